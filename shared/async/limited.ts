/**
 * Bounded concurrency: at most `limit` calls of `work` in flight, items taken in order. The
 * helm crdsync applies and waits and the build's help rendering use it.
 */

/** forEachLimited calls `work` for every item, at most `limit` at once (at least one), and resolves when all are done. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
