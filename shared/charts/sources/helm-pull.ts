/**
 * Charts named as helm names them — `REPO/NAME` from the user's repositories, `oci://…` — are
 * fetched by `$HELM_BIN pull`, so the user's repositories.yaml, registry logins, credentials and TLS
 * settings apply without crdsync reading any of them (research/crdsync.md §0.6). The archive helm
 * writes goes to a private temporary folder and is read with the same checks as any chart.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readChartArchive, type ChartCrds } from '../chart-files.js';
import { HelmError, stderrTail, type HelmRunner } from '../../helm/helm-runner.js';
import { SourceError } from './http.js';

/** HelmPullRequest is one chart reference and version for `helm pull`. */
export interface HelmPullRequest {
  /** reference is `REPO/NAME` or `oci://host/path/name`. */
  readonly reference: string;
  readonly version?: string;
  /** repoUrl is passed as --repo when the reference is a bare chart name. */
  readonly repoUrl?: string;
  readonly insecureHttp?: boolean;
  /** plainHttp passes helm's --plain-http (helm 3.13+) for an oci:// reference. */
  readonly plainHttp?: boolean;
  /** plainHttpFlag is the caller's flag that reaches a plain-http registry, named in the hint (default --plain-http). */
  readonly plainHttpFlag?: string;
  /** signal stops `helm pull` (e.g. a --timeout): the pull then fails as a SourceError. */
  readonly signal?: AbortSignal;
}

/** isHelmReference says whether CHART names a chart helm resolves (REPO/NAME or oci://), not a local path. */
export function isHelmReference(chart: string): boolean {
  return chart.startsWith('oci://') || /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/.test(chart);
}

/** pullWithHelm runs `helm pull` into a private temporary folder and reads the chart's CRD files. */
export async function pullWithHelm(helm: HelmRunner, request: HelmPullRequest): Promise<ChartCrds & { reference: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crdsync-pull-'));
  try {
    const args = ['pull', request.reference, '--destination', dir];
    if (request.version) args.push('--version', request.version);
    if (request.repoUrl) args.push('--repo', request.repoUrl);
    if ((request.insecureHttp || request.plainHttp) && request.reference.startsWith('oci://')) args.push('--plain-http');
    try {
      // Connection flags are meaningless to `helm pull` and older helms refuse none of them; send none.
      await helm.run(args, { connection: {}, ...(request.signal ? { signal: request.signal } : {}) });
    } catch (err) {
      if (err instanceof HelmError) {
        const tail = stderrTail(err.stderr, 1) || err.message;
        // Go's TLS client meeting a plain-http registry: say which flag reaches it.
        const hint =
          request.reference.startsWith('oci://') && !args.includes('--plain-http') && /HTTP response to HTTPS client/.test(tail)
            ? ` (pass ${request.plainHttpFlag ?? '--plain-http'} to reach a plain-http registry)`
            : '';
        throw new SourceError(
          `helm pull ${request.reference}${request.version ? ` --version ${request.version}` : ''} failed: ${tail.replace(/^Error: /, '')}${hint}`,
        );
      }
      throw err;
    }
    const files = (await fs.readdir(dir)).filter((name) => name.endsWith('.tgz'));
    if (files.length !== 1) throw new SourceError(`helm pull ${request.reference} wrote ${files.length} archives, expected one`);
    const chart = await readChartArchive(request.reference, await fs.readFile(path.join(dir, files[0] as string)));
    return { ...chart, reference: request.reference };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
