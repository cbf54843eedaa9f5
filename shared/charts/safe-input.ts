/**
 * Guards for files a user hands us that may be hostile: archive member paths that escape the
 * extraction directory, and YAML whose aliases expand without bound ("billion laughs"). Shared by
 * meshbackup's archives and crdsync's charts. js-yaml 4 parses an alias as a reference to the
 * anchored node, so parsing stays small; the blow-up happens when the value is walked or
 * serialised, which is why every parsed document is measured before use.
 */
import yaml from 'js-yaml';

/** unsafeMemberPath says why a member path is refused (absolute, `..`), or undefined when it is fine. */
export function unsafeMemberPath(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.startsWith('\\')) return `member "${name}" has an absolute path`;
  if (name.split(/[\\/]/).includes('..')) return `member "${name}" has a ".." path`;
  return undefined;
}

/** maxExpandedNodes bounds the nodes a YAML file may expand to through aliases (alias bombs). */
export const maxExpandedNodes = 1_000_000;

/**
 * expandedSize walks a parsed value counting nodes, following shared references (js-yaml 4 makes an
 * alias a reference to the anchored object), and stops past `limit`.
 */
export function expandedSize(value: unknown, limit: number): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    count++;
    if (count > limit) return count;
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') stack.push(...Object.values(node));
  }
  return count;
}

/**
 * kubernetesYamlSchema reads YAML as kubectl does (sigs.k8s.io/yaml): YAML 1.2 core scalars plus
 * merge keys (`<<`), and no timestamps. js-yaml's default schema turns an unquoted `2024-01-01`
 * into a Date, which JSON then sends as "2024-01-01T00:00:00.000Z"; kubectl sends the text. It
 * is also the cheaper schema: each plain scalar is tried against fewer types (Gloo Edge's CRDs
 * hold about 2 MB of them).
 */
export const kubernetesYamlSchema = yaml.CORE_SCHEMA.extend({
  // js-yaml 4 exports its types at run time; @types/js-yaml does not declare them.
  implicit: [(yaml as unknown as { types: { merge: yaml.Type } }).types.merge],
});

/** YamlRefusal is why a YAML text was refused: it does not parse, or its aliases expand too far. */
export class YamlRefusal extends Error {}

/**
 * loadYamlDocuments parses a multi-document YAML text with {@link kubernetesYamlSchema} (safe) and
 * refuses, as a YamlRefusal, a text that does not parse or whose documents together expand past
 * `limit` nodes. Empty documents are dropped.
 */
export function loadYamlDocuments(text: string, limit = maxExpandedNodes): unknown[] {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, undefined, { schema: kubernetesYamlSchema });
  } catch (err) {
    throw new YamlRefusal(`YAML does not parse: ${(err as Error).message.split('\n')[0]}`);
  }
  // An alias needs an anchor (`&name`; js-yaml refuses an unknown alias): without one, nothing can
  // expand, and the walk over every node of a large chart is skipped.
  const mayAlias = text.includes('&');
  let budget = limit;
  const kept: unknown[] = [];
  for (const document of documents) {
    if (document === null || document === undefined) continue;
    if (mayAlias) budget -= expandedSize(document, budget);
    if (budget < 0) throw new YamlRefusal(`YAML aliases expand past ${limit} nodes (alias bomb?)`);
    kept.push(document);
  }
  return kept;
}
