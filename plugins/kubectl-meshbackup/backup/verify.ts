/**
 * verify: integrity (openArchive checks the layout, limits and every sha256; checkArchive here parses
 * every member and checks it against the manifest, the same function restore runs first)
 * and compatibility with target CRDs (the live cluster's or files'): every backed-up apiVersion
 * must be served by a CRD of the same group and plural.
 */
import { InputFileError } from '../../../shared/errors/errors.js';
import type { CustomResourceDefinition, KubeObject } from '../../../shared/kube/ports.js';
import { maxExpandedNodes, parseMember, type OpenedArchive } from './archive.js';

/** VerifyProblem is one failed check. */
export interface VerifyProblem {
  readonly item: string;
  readonly reason: string;
}

/** CheckedArchive is every member parsed and checked: what restore writes, and nothing else. */
export interface CheckedArchive {
  /** crds maps a CRD name to its (only) object. */
  readonly crds: ReadonlyMap<string, KubeObject>;
  /** objects maps a kind's member to its objects, in file order. */
  readonly objects: ReadonlyMap<string, KubeObject[]>;
  /** count is the number of objects, all kinds together. */
  readonly count: number;
}

/**
 * checkArchive parses every member of an opened archive and checks it against the manifest, so
 * that `verify` passes exactly the archives `restore` will write from, and `restore` finds every
 * problem before its first write: each CRD member holds one CustomResourceDefinition of its name;
 * each kind member holds `count` objects of that kind's apiVersion and kind, namespaced as the
 * kind is, spread over namespaces as countsByNamespace says. The first problem throws an
 * InputFileError (exit 3) naming the member.
 */
export async function checkArchive(file: string, archive: OpenedArchive): Promise<CheckedArchive> {
  const maxNodes = archive.limits?.maxExpandedNodes ?? maxExpandedNodes;
  const refuse = (member: string, reason: string): never => {
    throw new InputFileError(file, `${member}: ${reason}`);
  };
  const crds = new Map<string, KubeObject>();
  for (const entry of archive.manifest.crds) {
    const parsed = await parseMember(file, archive.dir, entry.file, maxNodes);
    const [crd] = parsed;
    if (
      parsed.length !== 1 ||
      !crd ||
      crd.kind !== 'CustomResourceDefinition' ||
      !(crd.apiVersion ?? '').startsWith('apiextensions.k8s.io/')
    ) {
      refuse(entry.file, 'does not hold exactly one CustomResourceDefinition');
    }
    if (crd?.metadata?.name !== entry.name) refuse(entry.file, `holds CRD ${String(crd?.metadata?.name)}, the manifest says ${entry.name}`);
    const spec = (crd?.spec ?? {}) as { group?: unknown; names?: { plural?: unknown; kind?: unknown }; versions?: unknown };
    if (
      `${String(spec.names?.plural)}.${String(spec.group)}` !== entry.name ||
      typeof spec.names?.kind !== 'string' ||
      !Array.isArray(spec.versions) ||
      spec.versions.length === 0
    ) {
      refuse(entry.file, `CRD ${entry.name} lacks its group, names or versions (truncated or edited)`);
    }
    crds.set(entry.name, crd as KubeObject);
  }
  const objects = new Map<string, KubeObject[]>();
  let count = 0;
  for (const kind of archive.manifest.kinds) {
    const parsed = await parseMember(file, archive.dir, kind.file, maxNodes);
    if (parsed.length !== kind.count) refuse(kind.file, `holds ${parsed.length} objects, the manifest says ${kind.count}`);
    const apiVersion = `${kind.group}/${kind.version}`;
    const byNamespace: Record<string, number> = {};
    for (const [index, object] of parsed.entries()) {
      const where = `document ${index + 1} (${object.metadata?.name ?? ''})`;
      if (object.apiVersion !== apiVersion || object.kind !== kind.kind) {
        refuse(kind.file, `${where} is ${object.apiVersion} ${object.kind}, the manifest says ${apiVersion} ${kind.kind}`);
      }
      const namespace = object.metadata?.namespace ?? '';
      if (kind.namespaced !== (namespace !== '')) {
        refuse(
          kind.file,
          `${where} ${kind.namespaced ? 'has no namespace, but' : 'has a namespace, but'} ${kind.kind} is ${kind.namespaced ? 'namespaced' : 'cluster-scoped'}`,
        );
      }
      byNamespace[namespace] = (byNamespace[namespace] ?? 0) + 1;
    }
    for (const namespace of new Set([...Object.keys(byNamespace), ...Object.keys(kind.countsByNamespace)])) {
      if ((byNamespace[namespace] ?? 0) !== (kind.countsByNamespace[namespace] ?? 0)) {
        refuse(
          kind.file,
          `holds ${byNamespace[namespace] ?? 0} objects in ${namespace ? `namespace ${namespace}` : 'the cluster scope'}, the manifest says ${kind.countsByNamespace[namespace] ?? 0}`,
        );
      }
    }
    objects.set(kind.file, parsed);
    count += parsed.length;
  }
  return { crds, objects, count };
}

/**
 * checkObjects is `verify`'s integrity check: {@link checkArchive}, whose first problem throws
 * (exit 3, as restore would refuse the archive); `problems` stays for the served-version checks.
 */
export async function checkObjects(file: string, archive: OpenedArchive): Promise<{ objects: number; problems: VerifyProblem[] }> {
  const checked = await checkArchive(file, archive);
  return { objects: checked.count, problems: [] };
}

interface CrdSpec {
  group?: string;
  names?: { plural?: string };
  versions?: Array<{ name: string; served?: boolean }>;
}

/** checkServed reports every backed-up kind whose version the target CRDs do not serve. */
export function checkServed(archive: Pick<OpenedArchive, 'manifest'>, targetCrds: readonly CustomResourceDefinition[]): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const kind of archive.manifest.kinds) {
    if (kind.count === 0) continue;
    const name = `${kind.plural}.${kind.group}`;
    const crd = targetCrds.find((candidate) => {
      const spec = (candidate.spec ?? {}) as CrdSpec;
      return spec.group === kind.group && spec.names?.plural === kind.plural;
    });
    if (!crd) {
      problems.push({ item: name, reason: `no target CRD serves ${kind.kind} ${kind.group}/${kind.version} (CRD ${name} missing)` });
      continue;
    }
    const versions = ((crd.spec ?? {}) as CrdSpec).versions ?? [];
    const version = versions.find((candidate) => candidate.name === kind.version);
    if (!version || version.served === false) {
      const served = versions.filter((candidate) => candidate.served !== false).map((candidate) => candidate.name);
      problems.push({
        item: name,
        reason: `backed-up ${kind.kind} version ${kind.group}/${kind.version} (${kind.count} objects) is not served by the target CRD (serves ${served.join(', ') || 'nothing'})`,
      });
    }
  }
  return problems;
}
