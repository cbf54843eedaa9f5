/**
 * verify: integrity (openArchive checks every sha256; here every object parses and counts match)
 * and compatibility with target CRDs (the live cluster's or files'): every backed-up apiVersion
 * must be served by a CRD of the same group and plural.
 */
import type { CustomResourceDefinition } from '../../../shared/kube/ports.js';
import { parseMember, type OpenedArchive } from './archive.js';

/** VerifyProblem is one failed check. */
export interface VerifyProblem {
  readonly item: string;
  readonly reason: string;
}

/** checkObjects parses every member and compares counts with the manifest. */
export async function checkObjects(file: string, archive: OpenedArchive): Promise<{ objects: number; problems: VerifyProblem[] }> {
  const problems: VerifyProblem[] = [];
  let objects = 0;
  for (const crd of archive.manifest.crds) {
    const parsed = await parseMember(file, archive.dir, crd.file);
    if (parsed.length !== 1 || parsed[0]?.kind !== 'CustomResourceDefinition') {
      problems.push({ item: crd.file, reason: 'does not hold exactly one CustomResourceDefinition' });
    }
  }
  for (const kind of archive.manifest.kinds) {
    const parsed = await parseMember(file, archive.dir, kind.file);
    objects += parsed.length;
    if (parsed.length !== kind.count) {
      problems.push({ item: kind.file, reason: `holds ${parsed.length} objects, the manifest says ${kind.count}` });
    }
  }
  return { objects, problems };
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
