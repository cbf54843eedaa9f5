/**
 * Gloo Edge 1.16.27 → 1.17.0 (README, Runbooks: Gloo Edge): the preflight's path plan (the latest
 * patch of the current minor first when the repository has a later one, then one minor at a time),
 * then per hop the leftover gateway-certgen Job, the CRDs by helm crdsync (plan, then apply), helm
 * upgrade and the check; a backup before the first hop and its diff after the last.
 */
import semver from 'semver';
import { chartRef, crdUndo, kubeContextFlags, type Procedure, type ProcedureContext } from './procedure.js';

/** upgradeHops is the vendor's path: latest patch of the current minor, the latest patch of each minor between, the target. */
export function upgradeHops(from: string, to: string, published: readonly string[]): string[] {
  const versions = published.filter((v) => semver.valid(v) && !semver.prerelease(v) && semver.gt(v, from) && semver.lte(v, to));
  const hops: string[] = [];
  let current = from;
  while (semver.lt(current, to)) {
    const sameMinor = versions.filter((v) => semver.major(v) === semver.major(current) && semver.minor(v) === semver.minor(current));
    const latestPatch = semver.maxSatisfying(sameMinor, '*');
    if (latestPatch && semver.gt(latestPatch, current)) {
      hops.push(latestPatch);
      current = latestPatch;
      continue;
    }
    // The next minor's latest patch (the target itself in its own minor).
    const nextMinors = versions.filter((v) => semver.gt(v, current)).sort(semver.compare);
    const next = nextMinors[0];
    if (!next) break;
    const inNextMinor = nextMinors.filter((v) => semver.major(v) === semver.major(next) && semver.minor(v) === semver.minor(next));
    const hop =
      semver.major(next) === semver.major(to) && semver.minor(next) === semver.minor(to)
        ? to
        : (semver.maxSatisfying(inNextMinor, '*') ?? next);
    hops.push(hop);
    current = hop;
  }
  return hops;
}

function publishedVersions(context: ProcedureContext): string[] {
  return context.charts.map((c) => c.version);
}

/** glooEdge rehearses the Gloo Edge upgrade. */
export const glooEdge: Procedure = {
  product: 'gloo-edge',
  title: 'Gloo Edge 1.16.27 → 1.17.0',
  profile: 'gloo-edge',
  namespace: 'gloo-system',
  release: 'gloo',
  repoName: 'gloo',
  chartName: 'gloo',
  from: { product: '1.16.27', chart: '1.16.27' },
  to: { product: '1.17.0', chart: '1.17.0' },
  k8sVersion: '1.29.14',

  async run(r, context) {
    const profile = ['--profile', this.profile];
    const ns = ['-n', this.namespace];
    await r.step('glooctl matches the server; the latest patch of the current minor first; one minor at a time (the path plan)', [
      ['kubectl', 'meshpreflight', ...profile, '--to', this.to.product, '--versions-from', context.indexUrl],
    ]);
    const hops = upgradeHops(this.from.product, this.to.product, publishedVersions(context));
    r.print(`  (the path, from the repository's versions: ${[this.from.product, ...hops].join(' → ')})`);
    await r.step('Keep a copy of the custom resources', [['kubectl', 'meshbackup', 'save', ...profile, '-A', '-f', 'gloo-before.tar.gz']]);
    let previous = this.from.product;
    for (const [i, hop] of hops.entries()) {
      const last = i === hops.length - 1;
      const hopNote = hops.length > 1 ? ` (hop ${i + 1} of ${hops.length}: ${previous} → ${hop})` : '';
      await r.step(`A leftover gateway-certgen Job (immutable) breaks the upgrade: delete it${hopNote}`, [
        ['kubectl', ...ns, 'delete', 'job', 'gateway-certgen', '--ignore-not-found'],
      ]);
      await r.step(
        `Apply the new CRDs before helm upgrade: read the plan${hopNote}`,
        [['helm', 'crdsync', chartRef(this), '--version', hop, '--dry-run', ...kubeContextFlags(context)]],
        // Exit 9 is the plan's verdict, not a failure here: 1.16 → 1.17 removes fields and tightens
        // bounds, which the next step applies with --allow-breaking once the plan has been read.
        { okExitCodes: [9], note: 'exit 9 would mean "breaking changes": read them, then the next step allows them' },
      );
      r.rollback(crdUndo(''), `then check: kubectl meshpreflight check --profile gloo-edge --expect ${previous}`);
      const crds = await r.step(`Apply the new CRDs before helm upgrade${hopNote}`, [
        ['helm', 'crdsync', chartRef(this), '--version', hop, '--allow-breaking', ...kubeContextFlags(context)],
      ]);
      // Set before the upgrade: a helm upgrade that fails midway leaves a failed revision to roll back.
      r.rollback(
        `helm rollback ${this.release} -n ${this.namespace} --wait   # the previous revision (${previous})`,
        crdUndo(crds.output),
        'kubectl meshbackup restore -f gloo-before.tar.gz --dry-run=server, then without --dry-run: the custom resources as backed up',
      );
      await r.step(`Upgrade (Envoy readiness probes avoid downtime)${hopNote}`, [
        ['helm', 'upgrade', this.release, chartRef(this), ...ns, '--version', hop, '--wait'],
      ]);
      if (last) {
        await r.step('What the upgrade changed in your resources', [['kubectl', 'meshbackup', 'diff', '-f', 'gloo-before.tar.gz']], {
          okExitCodes: [1],
        });
      }
      await r.step(`Check${hopNote}`, [['kubectl', 'meshpreflight', 'check', ...profile, '--expect', hop]]);
      previous = hop;
    }
  },
};
