/**
 * Helm 3's release storage, byte-compatible with the Secret driver (helm/pkg/storage/driver/
 * secrets.go, util.go), so the real `helm list` and `helm status` read what the sandbox installs:
 * a Secret `sh.helm.release.v1.<name>.v<version>` of type helm.sh/release.v1 whose data.release
 * is Helm's own base64 of the gzipped release JSON — and, as with every Secret, base64 again in
 * the API's data field.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { KubeObject } from '../api/types.js';

/** Chart.yaml fields as stored in a release (chart.Metadata, JSON names). */
export interface HelmChartMetadata {
  name: string;
  version: string;
  apiVersion: string;
  appVersion?: string;
  kubeVersion?: string;
  description?: string;
  type?: string;
}

/** A hook as stored in a release (release.Hook). */
export interface HelmHook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: string[];
  last_run: { started_at: string; completed_at: string; phase: string };
  weight: number;
  delete_policies?: string[];
}

/** A Helm 3 release as JSON (release.Release). */
export interface HelmRelease {
  name: string;
  namespace: string;
  version: number;
  info: { first_deployed: string; last_deployed: string; deleted: string; description: string; status: string; notes?: string };
  chart: {
    metadata: HelmChartMetadata;
    templates: Array<{ name: string; data: string }>;
    values: Record<string, unknown>;
    lock?: unknown;
    schema?: string;
    files?: unknown[];
  };
  config: Record<string, unknown>;
  manifest: string;
  hooks: HelmHook[];
}

const gzipMagic = Buffer.from([0x1f, 0x8b, 0x08]);

/** helmReleaseSecretName is the storage key Helm uses: `sh.helm.release.v1.<release>.v<version>`. */
export function helmReleaseSecretName(release: string, version: number): string {
  return `sh.helm.release.v1.${release}.v${version}`;
}

/** encodeReleasePayload is Helm's encodeRelease: base64(gzip(JSON)). */
export function encodeReleasePayload(release: HelmRelease): string {
  return gzipSync(Buffer.from(JSON.stringify(release), 'utf8'), { level: 9 }).toString('base64');
}

/** decodeReleasePayload is Helm's decodeRelease: base64, then gunzip when gzipped (old releases were not). */
export function decodeReleasePayload(payload: string): HelmRelease {
  const bytes = Buffer.from(payload, 'base64');
  const json = bytes.subarray(0, 3).equals(gzipMagic) ? gunzipSync(bytes) : bytes;
  return JSON.parse(json.toString('utf8')) as HelmRelease;
}

/** encodeHelmReleaseSecret builds the release Secret exactly as Helm's Secret driver creates it. */
export function encodeHelmReleaseSecret(release: HelmRelease, now: Date = new Date()): KubeObject {
  const seconds = String(Math.floor(now.getTime() / 1000));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: helmReleaseSecretName(release.name, release.version),
      namespace: release.namespace,
      labels: {
        createdAt: seconds,
        modifiedAt: seconds,
        name: release.name,
        owner: 'helm',
        status: release.info.status,
        version: String(release.version),
      },
    },
    type: 'helm.sh/release.v1',
    // Secret.data holds bytes, which JSON carries as base64: Helm's base64 text is encoded once more.
    data: { release: Buffer.from(encodeReleasePayload(release), 'utf8').toString('base64') },
  };
}

/** decodeHelmReleaseSecret reads the release out of a release Secret as the API returns it. */
export function decodeHelmReleaseSecret(secret: KubeObject): HelmRelease {
  const data = (secret.data ?? {}) as { release?: string };
  if (typeof data.release !== 'string') throw new Error(`secret ${secret.metadata.name ?? ''} has no data.release: not a Helm release`);
  return decodeReleasePayload(Buffer.from(data.release, 'base64').toString('utf8'));
}
