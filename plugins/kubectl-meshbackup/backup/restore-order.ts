/**
 * Restore order: CRDs, then namespaces, then the profile's restoreOrder, then unknown kinds
 * (alphabetically, so the order is stable).
 */

/** orderKinds sorts kind keys (`plural.group`) by the profile's restoreOrder; unknown kinds go last, sorted. */
export function orderKinds(keys: readonly string[], restoreOrder: readonly string[]): string[] {
  const rank = (key: string): number => {
    const index = restoreOrder.indexOf(key);
    return index === -1 ? restoreOrder.length : index;
  };
  return [...keys].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
