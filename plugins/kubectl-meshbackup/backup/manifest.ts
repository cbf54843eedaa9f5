/**
 * The archive manifest (manifest.json at the archive root). See the README section
 * "kubectl meshbackup" for the layout.
 */
import type { SanitizePolicy } from './sanitize.js';

/** formatVersion is the archive format this tool writes; a newer one is refused on read. */
export const formatVersion = 1;

/** KindEntry describes one backed-up kind and its file. */
export interface KindEntry {
  readonly group: string;
  /** version is the apiVersion the objects were read (and are stored) at. */
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** file is the member path, e.g. resources/virtualservices.gateway.solo.io.yaml. */
  readonly file: string;
  readonly count: number;
  /** countsByNamespace maps namespace ("" for cluster-scoped) to the number of objects. */
  readonly countsByNamespace: Record<string, number>;
}

/** Manifest is manifest.json. */
export interface Manifest {
  readonly formatVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  /** source: where it was saved from; never credentials. */
  readonly source: { readonly context: string; readonly server: string; readonly serverVersion?: string };
  /**
   * product: the profile the archive was made with. restoreOrder and notRestored travel with it
   * (plural.group keys), so an archive made with --profile-file restores in that profile's order
   * without the file; archives without them fall back to the built-in profile of that name.
   */
  readonly product: {
    readonly profile?: string;
    readonly version?: string;
    readonly groups: readonly string[];
    readonly restoreOrder?: readonly string[];
    readonly notRestored?: readonly string[];
  };
  readonly selector?: { readonly namespaces?: readonly string[]; readonly labelSelector?: string };
  readonly sanitize: SanitizePolicy;
  /** crds lists the CRD members, one per CRD. */
  readonly crds: readonly { readonly name: string; readonly file: string }[];
  readonly kinds: readonly KindEntry[];
  /** files maps every member path except manifest.json to its sha256 (hex). */
  readonly files: Record<string, string>;
}

/** objectCount is how many objects the archive holds, all kinds together. */
export function objectCount(manifest: Pick<Manifest, 'kinds'>): number {
  return manifest.kinds.reduce((sum, kind) => sum + kind.count, 0);
}

/** dnsName is a DNS subdomain as Kubernetes accepts it for API groups, plurals and CRD names. */
const dnsName = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const sha256Hex = /^[0-9a-f]{64}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** kindFile is the member a kind's objects live in: the layout allows no other. */
export function kindFile(kind: Pick<KindEntry, 'plural' | 'group'>): string {
  return `resources/${kind.plural}.${kind.group}.yaml`;
}

/** crdFile is the member a CRD lives in. */
export function crdFile(name: string): string {
  return `crds/${name}.yaml`;
}

function kindProblem(value: unknown, index: number): string | undefined {
  const where = `manifest.json kinds[${index}]`;
  if (!isRecord(value)) return `${where} is not an object`;
  for (const field of ['group', 'version', 'kind', 'plural', 'file'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') return `${where} has no ${field}`;
  }
  const kind = value as unknown as KindEntry;
  // The core group ("") has no CRDs; every backed-up group is a DNS subdomain.
  if (!dnsName.test(kind.group)) return `${where} has an invalid group "${kind.group}"`;
  if (!dnsName.test(kind.plural) || kind.plural.includes('.')) return `${where} has an invalid plural "${kind.plural}"`;
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(kind.version)) return `${where} has an invalid version "${kind.version}"`;
  if (!/^[A-Za-z][A-Za-z0-9]{0,62}$/.test(kind.kind)) return `${where} has an invalid kind "${kind.kind}"`;
  if (typeof kind.namespaced !== 'boolean') return `${where} has no namespaced flag`;
  if (kind.file !== kindFile(kind)) return `${where} names the file "${kind.file}"; the layout puts ${kind.kind} in ${kindFile(kind)}`;
  if (!isCount(kind.count)) return `${where} has no valid count`;
  if (!isRecord(kind.countsByNamespace)) return `${where} has no countsByNamespace`;
  let sum = 0;
  for (const [namespace, count] of Object.entries(kind.countsByNamespace)) {
    if (!isCount(count)) return `${where} countsByNamespace has an invalid count for "${namespace}"`;
    if (namespace !== '' && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace))
      return `${where} countsByNamespace names an invalid namespace "${namespace}"`;
    if ((namespace === '') === kind.namespaced && count > 0)
      return `${where} countsByNamespace does not fit its scope (${kind.namespaced ? 'namespaced' : 'cluster-scoped'})`;
    sum += count;
  }
  if (sum !== kind.count) return `${where} countsByNamespace adds up to ${sum}, its count says ${kind.count}`;
  return undefined;
}

/**
 * manifestProblem checks everything a reader relies on and returns the reason the manifest is
 * unusable, or undefined: the fields restore reads (createdAt becomes a label value), each kind and
 * CRD entry, member names that follow the layout (`resources/<plural>.<group>.yaml`,
 * `crds/<name>.yaml`), and a `files` list that is exactly those members, each with a sha256.
 */
export function manifestProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'manifest.json is not an object';
  const manifest = value as Partial<Manifest>;
  if (typeof manifest.formatVersion !== 'number' || !Number.isInteger(manifest.formatVersion) || manifest.formatVersion < 1)
    return 'manifest.json has no formatVersion';
  if (manifest.formatVersion > formatVersion) {
    return `archive format version ${manifest.formatVersion} is newer than this tool reads (${formatVersion}); upgrade kubectl-meshbackup`;
  }
  if (typeof manifest.createdAt !== 'string' || Number.isNaN(Date.parse(manifest.createdAt)))
    return 'manifest.json has no valid createdAt time';
  if (!isRecord(manifest.tool) || typeof manifest.tool.name !== 'string' || typeof manifest.tool.version !== 'string')
    return 'manifest.json has no tool name and version';
  if (!isRecord(manifest.source)) return 'manifest.json has no source';
  if (
    !isRecord(manifest.product) ||
    !Array.isArray(manifest.product.groups) ||
    !manifest.product.groups.every((group) => typeof group === 'string')
  ) {
    return 'manifest.json has no product groups';
  }
  if (manifest.product.profile !== undefined && typeof manifest.product.profile !== 'string')
    return 'manifest.json has an invalid product profile';
  if (manifest.selector !== undefined) {
    const selector = manifest.selector as { namespaces?: unknown; labelSelector?: unknown };
    if (!isRecord(selector)) return 'manifest.json has an invalid selector';
    if (
      selector.namespaces !== undefined &&
      !(Array.isArray(selector.namespaces) && selector.namespaces.every((name) => typeof name === 'string'))
    ) {
      return 'manifest.json has an invalid selector.namespaces';
    }
    if (selector.labelSelector !== undefined && typeof selector.labelSelector !== 'string')
      return 'manifest.json has an invalid selector.labelSelector';
  }
  if (!Array.isArray(manifest.kinds) || !Array.isArray(manifest.crds)) return 'manifest.json lacks kinds or crds';
  if (!isRecord(manifest.files)) return 'manifest.json lacks files';
  const listed = new Set<string>();
  for (const [index, kind] of manifest.kinds.entries()) {
    const problem = kindProblem(kind, index);
    if (problem) return problem;
    const file = (kind as KindEntry).file;
    if (listed.has(file)) return `manifest.json lists ${file} twice`;
    listed.add(file);
  }
  for (const [index, crd] of (manifest.crds as unknown[]).entries()) {
    const where = `manifest.json crds[${index}]`;
    if (!isRecord(crd) || typeof crd.name !== 'string' || typeof crd.file !== 'string') return `${where} has no name or file`;
    if (!dnsName.test(crd.name) || !crd.name.includes('.')) return `${where} has an invalid CRD name "${crd.name}"`;
    if (crd.file !== crdFile(crd.name))
      return `${where} names the file "${crd.file}"; the layout puts CRD ${crd.name} in ${crdFile(crd.name)}`;
    if (listed.has(crd.file)) return `manifest.json lists ${crd.file} twice`;
    listed.add(crd.file);
  }
  for (const [member, hash] of Object.entries(manifest.files)) {
    if (!listed.has(member)) return `manifest.json files lists ${member}, which no kind or CRD entry names`;
    if (typeof hash !== 'string' || !sha256Hex.test(hash)) return `manifest.json files has no valid sha256 for ${member}`;
  }
  for (const member of listed) {
    if (!Object.hasOwn(manifest.files, member)) return `manifest.json files has no sha256 for ${member}`;
  }
  return undefined;
}
