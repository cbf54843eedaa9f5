/**
 * `npm run sandbox -- --kubeconfig FILE [--install P@V]... [--k8s-version 1.29.4] [--faults SPEC] [--http] [--port N]`:
 * serves a sandbox API server in the foreground until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startSandbox, type SandboxOptions } from './index.js';
import { FaultSpecError, parseFaultSpec } from './faults/fault-spec.js';
import { supportedInstalls } from './products/index.js';

const usage = `Usage: npm run sandbox -- --kubeconfig FILE [options]

Serves an in-memory Kubernetes API server for kubectl, helm and client-node.

Options:
  --kubeconfig FILE      where to write the kubeconfig (contexts sandbox, sandbox-restricted)
  --install P@V          install a product before serving (repeatable), e.g. gloo-mesh@0.10.7
  --injected-workloads   with nginx-service-mesh: also application workloads carrying its sidecar (ns mesh-apps)
  --k8s-version X.Y.Z    the version /version reports (default 1.33.1)
  --faults SPEC          inject faults, e.g. "429:rate=0.1,retry-after=1;latency:ms=50"
  --http                 plain HTTP instead of HTTPS
  --host ADDR            listen address (default 127.0.0.1)
  --port N               listen port (default: any free port)
  -h, --help             show this help
`;

class UsageError extends Error {}

function options(argv: string[]): SandboxOptions & { kubeconfigPath: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: { type: 'string' },
        install: { type: 'string', multiple: true },
        'injected-workloads': { type: 'boolean' },
        'k8s-version': { type: 'string' },
        faults: { type: 'string' },
        http: { type: 'boolean' },
        host: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values;
  if (values.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  if (!values.kubeconfig) throw new UsageError('--kubeconfig FILE is required');
  const version = values['k8s-version'] ?? '1.33.1';
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new UsageError(`--k8s-version must look like 1.29.4, got "${version}"`);
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  }
  if (values.faults) {
    try {
      parseFaultSpec(values.faults);
    } catch (error) {
      if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`);
      throw error;
    }
  }
  // A mistyped product is a usage error found before anything starts, not a half-started sandbox.
  const unknown = (values.install ?? []).find((spec) => !supportedInstalls.includes(spec));
  if (unknown) throw new UsageError(`--install: unsupported "${unknown}": supported are ${supportedInstalls.join(', ')}`);
  const result: SandboxOptions & { kubeconfigPath: string } = {
    kubeconfigPath: values.kubeconfig,
    k8sVersion: version,
    tls: !values.http,
    port,
    installs: values.install ?? [],
  };
  if (values.faults) result.faults = values.faults;
  if (values['injected-workloads']) result.injectedWorkloads = true;
  if (values.host) result.host = values.host;
  return result;
}

async function main(): Promise<void> {
  let sandboxOptions;
  try {
    sandboxOptions = options(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message} (see --help)\n`);
      process.exit(2);
    }
    throw error;
  }
  // Signals are handled from the start, so a SIGTERM during start-up also ends with exit 0.
  const running: { sandbox?: Awaited<ReturnType<typeof startSandbox>> } = {};
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    if (!running.sandbox) process.exit(0);
    running.sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while closing: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const sandbox = await startSandbox(sandboxOptions);
  running.sandbox = sandbox;
  if (stopping) {
    await sandbox.close();
    process.exit(0);
  }
  process.stderr.write(`sandbox API server (Kubernetes v${sandbox.k8sVersion}) at ${sandbox.url}; kubeconfig ${sandbox.kubeconfigPath}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${(error as Error).message}\n`);
  process.exit(1);
});
