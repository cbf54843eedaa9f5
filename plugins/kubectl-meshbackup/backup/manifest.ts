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

/** validateManifest checks the shape we rely on and returns the reason it is unusable, or undefined. */
export function manifestProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'manifest.json is not an object';
  const manifest = value as Partial<Manifest>;
  if (typeof manifest.formatVersion !== 'number') return 'manifest.json has no formatVersion';
  if (manifest.formatVersion > formatVersion) {
    return `archive format version ${manifest.formatVersion} is newer than this tool reads (${formatVersion}); upgrade kubectl-meshbackup`;
  }
  if (!Array.isArray(manifest.kinds) || !Array.isArray(manifest.crds)) return 'manifest.json lacks kinds or crds';
  if (typeof manifest.files !== 'object' || manifest.files === null) return 'manifest.json lacks files';
  return undefined;
}
