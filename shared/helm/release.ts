/**
 * Reads Helm 3 release records straight from the cluster, without the helm binary
 * (research/preflight.md §3). A release lives in Secret `sh.helm.release.v1.<name>.v<revision>`
 * (type helm.sh/release.v1) in the release namespace. Its `data.release` is base64 twice — once
 * by the Secret encoding, once by Helm — then gzip (only when the gzip magic is present: early
 * Helm 3 did not compress), then JSON. The ConfigMap driver has a single base64 layer.
 */
import { gunzipSync } from 'node:zlib';
import { CliError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import type { KubeObject } from '../kube/ports.js';

/** HelmChartMetadata is the part of Chart.yaml a release records. */
export interface HelmChartMetadata {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** kubeVersion is a semver constraint on the Kubernetes version. */
  readonly kubeVersion?: string;
}

/** HelmRelease is a decoded release record. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  /** revision is the release's "version" (1, 2, …), not the chart version. */
  readonly revision: number;
  /** status: deployed, superseded, failed, pending-install, pending-upgrade, pending-rollback … */
  readonly status: string;
  readonly chart: HelmChartMetadata;
  /** config holds the user-supplied values only. */
  readonly config: Record<string, unknown>;
  /** manifest is the rendered YAML. */
  readonly manifest: string;
  /** hooks are the chart's hook objects (e.g. Gloo's gateway-certgen Job) with their delete policies. */
  readonly hooks?: readonly HelmHook[];
}

/** HelmHook is a hook as a release records it. */
export interface HelmHook {
  readonly name: string;
  readonly kind: string;
  /** events: pre-install, pre-upgrade, post-upgrade … */
  readonly events: readonly string[];
  /** deletePolicies: before-hook-creation, hook-succeeded, hook-failed. */
  readonly deletePolicies: readonly string[];
}

/** ReleaseDecodeError is a release record that cannot be decoded (exit 3: unparsable data). */
export class ReleaseDecodeError extends CliError {
  constructor(what: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot decode Helm release ${what}: ${reason}`, ExitCode.BadInput, options);
  }
}

/** releaseSecretType is the Secret type Helm 3 stores releases as. */
export const releaseSecretType = 'helm.sh/release.v1';

/** releaseLabelSelector selects a release's history (or every Helm 3 release when `name` is omitted). */
export function releaseLabelSelector(name?: string): string {
  return name ? `owner=helm,name=${name}` : 'owner=helm';
}

const gzipMagic = [0x1f, 0x8b, 0x08];

/** maxReleaseBytes bounds a decompressed release record (real ones are a few MB at most). */
export const maxReleaseBytes = 64 * 1024 * 1024;

/** decodeReleasePayload decodes Helm's own layer: base64, then gzip when the magic bytes are there, then JSON. */
export function decodeReleasePayload(helmBase64: string, what: string): HelmRelease {
  let bytes = Buffer.from(helmBase64, 'base64');
  if (gzipMagic.every((byte, index) => bytes[index] === byte)) {
    try {
      // A release Secret holds at most 1 MiB; a hostile one must not inflate without bound.
      bytes = gunzipSync(bytes, { maxOutputLength: maxReleaseBytes });
    } catch (err) {
      throw new ReleaseDecodeError(what, `gzip: ${(err as Error).message}`, { cause: err });
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ReleaseDecodeError(what, 'payload is not JSON', { cause: err });
  }
  const record = raw as {
    name?: string;
    namespace?: string;
    version?: number;
    info?: { status?: string };
    chart?: { metadata?: Partial<HelmChartMetadata> };
    config?: Record<string, unknown>;
    manifest?: string;
    hooks?: Array<{ name?: string; kind?: string; events?: string[]; delete_policies?: string[] }>;
  };
  const metadata = record.chart?.metadata;
  if (!metadata?.name || !metadata.version) throw new ReleaseDecodeError(what, 'no chart.metadata.name/version');
  return {
    name: record.name ?? '',
    namespace: record.namespace ?? '',
    revision: record.version ?? 0,
    status: record.info?.status ?? 'unknown',
    chart: {
      name: metadata.name,
      version: metadata.version,
      ...(metadata.appVersion ? { appVersion: metadata.appVersion } : {}),
      ...(metadata.kubeVersion ? { kubeVersion: metadata.kubeVersion } : {}),
    },
    config: record.config ?? {},
    manifest: record.manifest ?? '',
    hooks: (record.hooks ?? []).map((hook) => ({
      name: hook.name ?? '',
      kind: hook.kind ?? '',
      events: hook.events ?? [],
      deletePolicies: hook.delete_policies ?? [],
    })),
  };
}

function describe(object: KubeObject): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/** decodeReleaseSecret decodes a release Secret as the API serves it (data.release base64-encoded by the API). */
export function decodeReleaseSecret(secret: KubeObject): HelmRelease {
  const data = secret.data as Record<string, string> | undefined;
  const encoded = data?.release;
  if (!encoded) throw new ReleaseDecodeError(`Secret ${describe(secret)}`, 'no data.release');
  // The Secret layer: the API serves data values base64-encoded.
  const helmBase64 = Buffer.from(encoded, 'base64').toString('utf8');
  return decodeReleasePayload(helmBase64, `Secret ${describe(secret)}`);
}

/** decodeReleaseConfigMap decodes a release stored by the ConfigMap driver (HELM_DRIVER=configmap). */
export function decodeReleaseConfigMap(configMap: KubeObject): HelmRelease {
  const encoded = (configMap.data as Record<string, string> | undefined)?.release;
  if (!encoded) throw new ReleaseDecodeError(`ConfigMap ${describe(configMap)}`, 'no data.release');
  return decodeReleasePayload(encoded, `ConfigMap ${describe(configMap)}`);
}

const pendingStatuses = new Set(['pending-install', 'pending-upgrade', 'pending-rollback']);

/**
 * currentRelease picks the highest deployed revision; concurrent helm runs can leave several
 * "deployed" records and Helm itself takes the latest. undefined when none is deployed.
 */
export function currentRelease(history: readonly HelmRelease[]): HelmRelease | undefined {
  return history.filter((release) => release.status === 'deployed').sort((a, b) => b.revision - a.revision)[0];
}

/** stuckRelease returns the latest revision when it is pending-*, the cause of "another operation is in progress". */
export function stuckRelease(history: readonly HelmRelease[]): HelmRelease | undefined {
  const latest = [...history].sort((a, b) => b.revision - a.revision)[0];
  return latest && pendingStatuses.has(latest.status) ? latest : undefined;
}
