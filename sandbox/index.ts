/**
 * Starting a sandbox API server in-process: store, API, controllers, PKI, HTTP(S) server and
 * kubeconfig, then the requested product installs. Tests, the bench and `npm run sandbox` all
 * start it through `startSandbox`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxApi } from './api/internal-api.js';
import type { InternalApi } from './api/types.js';
import { AuditLog, type AuditEntry } from './audit/audit-log.js';
import { parseDenial } from './auth/authorizer.js';
import { mintTokens } from './auth/tokens.js';
import { defaultControllerDelays, startControllers, type ControllerDelays } from './controllers/index.js';
import { FaultInjector } from './faults/fault-injector.js';
import { writeKubeconfig } from './kubeconfig.js';
import { createServingCertificates } from './pki/certificates.js';
import { installProduct } from './products/index.js';
import { startApiServer } from './server/http-server.js';

/** How to start a sandbox. */
export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** HTTPS with a fresh CA (default) or plain HTTP. */
  tls?: boolean;
  /** Where to write the kubeconfig (default: a new temporary file). */
  kubeconfigPath?: string;
  /** The version /version reports (default 1.33.1); the kubectl dispatcher on PATH follows it. */
  k8sVersion?: string;
  /** PRODUCT@VERSION installs, run in order. */
  installs?: string[];
  /** Also create application workloads with the mesh's sidecar (NGINX Service Mesh installs; namespace mesh-apps). */
  injectedWorkloads?: boolean;
  /** A fault spec (see sandbox/README.md). */
  faults?: string;
  /** Controller delays overriding defaultControllerDelays. */
  delays?: Partial<ControllerDelays>;
  /** Where product installs read vendor fixtures; default MESH_VENDOR_FIXTURES, else ../shared/fixtures beside the repo, else null. */
  vendorFixturesDir?: string | null;
  /** How often watches with allowWatchBookmarks get a bookmark (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Rights taken from the restricted user besides writing CRDs and cluster roles, e.g. "list ratelimits.specs.smi.nginx.com". */
  restrictedDenials?: string[];
}

/** A running sandbox. */
export interface SandboxHandle {
  url: string;
  kubeconfigPath: string;
  adminToken: string;
  restrictedToken: string;
  /** The CA in PEM ('' over plain HTTP). */
  caPem: string;
  k8sVersion: string;
  api: InternalApi;
  audit: { entries(): AuditEntry[]; clear(): void };
  faults: { set(spec: string): void; clear(): void };
  /** restricted.deny replaces the restrictedDenials at run time (a permission revoked mid-command). */
  restricted: { deny(rules: string[]): void };
  /** Stops controllers and the server; removes the kubeconfig when the sandbox chose its path. */
  close(): Promise<void>;
}

/** The namespaces a fresh cluster has. */
const initialNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function repoRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}

/** defaultVendorFixturesDir is MESH_VENDOR_FIXTURES, else ../shared/fixtures beside the repository when present, else null. */
export function defaultVendorFixturesDir(): string | null {
  if (process.env.MESH_VENDOR_FIXTURES) return process.env.MESH_VENDOR_FIXTURES;
  const root = repoRoot();
  const candidate = root ? resolve(root, '..', 'shared', 'fixtures') : undefined;
  return candidate && existsSync(candidate) ? candidate : null;
}

/** startSandbox starts everything and resolves once the server listens and every install is done. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  for (const rule of options.restrictedDenials ?? []) parseDenial(rule);
  // One array, read by the server on every request, so restricted.deny takes effect at once.
  const restrictedDenials: string[] = [...(options.restrictedDenials ?? [])];
  const host = options.host ?? '127.0.0.1';
  const k8sVersion = options.k8sVersion ?? '1.33.1';
  const tokens = mintTokens();
  const faults = new FaultInjector(options.faults ?? '');
  const audit = new AuditLog();
  const delays = { ...defaultControllerDelays, ...options.delays };
  const api = new SandboxApi(undefined, { gracefulPodDeletion: (delays.podTerminationMs ?? 0) > 0 });
  for (const name of initialNamespaces)
    api.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const controllers = startControllers(api, delays);

  const useTls = options.tls ?? true;
  const certificates = useTls
    ? await createServingCertificates(
        host === '127.0.0.1' || host === 'localhost' ? ['127.0.0.1', 'localhost'] : [host, '127.0.0.1', 'localhost'],
      )
    : undefined;
  const server = await startApiServer(
    {
      api,
      tokens,
      faults,
      audit,
      k8sVersion,
      ...(certificates ? { tls: { certPem: certificates.certPem, keyPem: certificates.keyPem } } : {}),
      ...(options.bookmarkIntervalMs !== undefined ? { bookmarkIntervalMs: options.bookmarkIntervalMs } : {}),
      restrictedDenials,
    },
    host,
    options.port ?? 0,
  );

  let tempDir: string | undefined;
  let kubeconfigPath = options.kubeconfigPath;
  if (!kubeconfigPath) {
    tempDir = mkdtempSync(join(tmpdir(), 'sandbox-kubeconfig-'));
    kubeconfigPath = join(tempDir, 'kubeconfig');
  }
  writeKubeconfig(kubeconfigPath, {
    server: server.url,
    ...(certificates ? { caPem: certificates.caPem } : {}),
    adminToken: tokens.admin,
    restrictedToken: tokens.restricted,
  });

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const controller of controllers) controller.stop();
    await server.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    const vendorFixturesDir = options.vendorFixturesDir !== undefined ? options.vendorFixturesDir : defaultVendorFixturesDir();
    for (const spec of options.installs ?? [])
      await installProduct(api, spec, { vendorFixturesDir, ...(options.injectedWorkloads ? { injectedWorkloads: true } : {}) });
  } catch (error) {
    await close();
    throw error;
  }

  return {
    url: server.url,
    kubeconfigPath,
    adminToken: tokens.admin,
    restrictedToken: tokens.restricted,
    caPem: certificates?.caPem ?? '',
    k8sVersion,
    api,
    audit: { entries: () => audit.entries(), clear: () => audit.clear() },
    faults: { set: (spec) => faults.set(spec), clear: () => faults.clear() },
    restricted: {
      deny(rules) {
        for (const rule of rules) parseDenial(rule);
        restrictedDenials.splice(0, restrictedDenials.length, ...rules);
      },
    },
    close,
  };
}
