/**
 * diff: compare an archive with the cluster per object — missing from the cluster, changed (spec,
 * labels, annotations; restore's own label ignored), or only in the cluster (within the archive's
 * namespaces and kinds).
 */
import yaml from 'js-yaml';
import { ApiStatusError, UsageError } from '../../../shared/errors/errors.js';
import type { CustomObjectStore, KubeObject } from '../../../shared/kube/ports.js';
import { parseMember, type OpenedArchive } from './archive.js';
import { doing, restoredLabel, targetNamespaces } from './restore.js';
import { legacyRestoredFromLabel } from '../../../shared/labels.js';
import { listItems } from '../../../shared/kube/pagination.js';

/** ObjectDifference is one differing object. */
export interface ObjectDifference {
  readonly state: 'missing' | 'changed' | 'only-in-cluster';
  readonly item: string;
  /** patch is a unified diff (archive → cluster) of the compared fields, for `changed`. */
  readonly patch?: string;
}

/** comparable keeps the fields diff compares. */
export function comparable(object: KubeObject): Record<string, unknown> {
  const labels = { ...object.metadata?.labels };
  delete labels[restoredLabel];
  delete labels[legacyRestoredFromLabel];
  const result: Record<string, unknown> = {};
  if (Object.keys(labels).length > 0) result.labels = labels;
  if (object.metadata?.annotations && Object.keys(object.metadata.annotations).length > 0) result.annotations = object.metadata.annotations;
  if (object.spec !== undefined) result.spec = object.spec;
  return result;
}

const key = (object: KubeObject): string => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/**
 * diffArchive compares every kind of the archive with the cluster. An explicit -n (`namespace`)
 * works as with `kubectl diff -n`: the archive's objects must all be in it (else a UsageError before
 * any request), and only that namespace is searched for objects the archive lacks.
 */
export async function diffArchive(
  ports: { customObjects: Pick<CustomObjectStore, 'list'> },
  archive: OpenedArchive,
  archiveFile: string,
  options: { readonly namespace?: string } = {},
): Promise<ObjectDifference[]> {
  if (options.namespace !== undefined) {
    const elsewhere = targetNamespaces(archive.manifest.kinds, {}).filter((namespace) => namespace !== options.namespace);
    if (elsewhere.length > 0)
      throw new UsageError(
        `the archive's objects are in namespace ${elsewhere.join(', ')}, not ${options.namespace} (-n): drop -n to compare each object in its own namespace`,
      );
  }
  const differences: ObjectDifference[] = [];
  for (const kind of archive.manifest.kinds) {
    const kindKey = `${kind.plural}.${kind.group}`;
    const saved = await parseMember(archiveFile, archive.dir, kind.file, archive.limits?.maxExpandedNodes);
    const gvr = { group: kind.group, version: kind.version, resource: kind.plural };
    const live = new Map<string, KubeObject>();
    try {
      const labelSelector = archive.manifest.selector?.labelSelector;
      for await (const item of listItems((continueToken) => ports.customObjects.list(gvr, { labelSelector, continueToken })))
        live.set(key(item), item);
    } catch (err) {
      if (!(err instanceof ApiStatusError && err.code === 404)) throw doing(`listing ${kindKey}`, err);
    }
    const namespaces = options.namespace !== undefined ? [options.namespace] : archive.manifest.selector?.namespaces;
    for (const object of saved) {
      const name = key(object);
      const item = `${kindKey} ${name.startsWith('/') ? name.slice(1) : name}`;
      const current = live.get(name);
      live.delete(name);
      if (!current) {
        differences.push({ state: 'missing', item });
        continue;
      }
      const before = yaml.dump(comparable(object), { sortKeys: true, lineWidth: -1 });
      const after = yaml.dump(comparable(current), { sortKeys: true, lineWidth: -1 });
      if (before !== after)
        differences.push({
          state: 'changed',
          item,
          patch: (await import('diff')).createTwoFilesPatch(`archive ${item}`, `cluster ${item}`, before, after, undefined, undefined, {
            context: 3,
          }),
        });
    }
    for (const [name, object] of [...live.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (namespaces && object.metadata?.namespace && !namespaces.includes(object.metadata.namespace)) continue;
      differences.push({ state: 'only-in-cluster', item: `${kindKey} ${name.startsWith('/') ? name.slice(1) : name}` });
    }
  }
  return differences;
}
