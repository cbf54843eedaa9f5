/**
 * Where end-to-end tests run: a fresh sandbox API server by default, or the real cluster
 * named by E2E_KUBECONFIG. Every test gets its own HOME and KUBECACHEDIR, so the kubectl
 * dispatcher probes this server's /version anew and really runs the kubectl minor the
 * server reports (its answers are cached under the kube cache dir).
 */
import { mkdtempSync, mkdirSync, symlinkSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { execa, type Result } from 'execa';
import { binEntries } from './paths.js';

/** A cluster the tests talk to. */
export interface TestCluster {
  /** The kubeconfig file (admin context current). */
  kubeconfig: string;
  /** True when this is the sandbox (faults, audit and installs are available). */
  isSandbox: boolean;
  /** Stops the sandbox (a real cluster is left alone). */
  close(): Promise<void>;
}

/** realClusterKubeconfig is E2E_KUBECONFIG when set: the e2e tier then runs against that cluster. */
export function realClusterKubeconfig(): string | undefined {
  return process.env.E2E_KUBECONFIG || undefined;
}

/** The result of running a command: never throws on a non-zero exit. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * ClientEnv is one isolated client environment: a fresh HOME and KUBECACHEDIR, KUBECONFIG,
 * and a PATH whose first entry holds the built plugins as `kubectl-*` executables, so
 * `kubectl meshbackup` goes through kubectl's real plugin discovery.
 */
export class ClientEnv {
  readonly home: string;
  readonly env: Record<string, string>;

  constructor(
    readonly kubeconfig: string,
    extra: Record<string, string> = {},
  ) {
    this.home = mkdtempSync(join(tmpdir(), 'mesh-test-home-'));
    const bin = join(this.home, 'bin');
    mkdirSync(bin);
    for (const [name, file] of Object.entries(binEntries)) {
      if (existsSync(file)) symlinkSync(file, join(bin, name));
    }
    this.env = {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
      HOME: this.home,
      KUBECACHEDIR: join(this.home, '.kube', 'cache'),
      KUBECONFIG: kubeconfig,
      NO_COLOR: '1',
      ...extra,
    };
  }

  /** run executes a command in this environment and returns its exit code and output. */
  async run(
    file: string,
    args: string[],
    options: { input?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    const result: Result = await execa(file, args, {
      env: { ...this.env, ...options.env },
      extendEnv: true,
      reject: false,
      input: options.input,
      cwd: options.cwd ?? this.home,
      timeout: options.timeoutMs ?? 120_000,
      stripFinalNewline: false,
    });
    // A command that could not start (ENOENT, ETXTBSY …) has no exit code: show execa's reason.
    const stderr =
      result.exitCode === undefined ? `${result.shortMessage ?? ''}\n${String(result.stderr ?? '')}` : String(result.stderr ?? '');
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout ?? ''), stderr };
  }

  /** kubectl runs the real kubectl from PATH. */
  kubectl(
    args: string[],
    options: { input?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    return this.run('kubectl', args, options);
  }

  /** dispose removes the temporary HOME. */
  dispose(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** expectSuccess throws a readable error when a command failed, so the test shows its stderr. */
export function expectSuccess(result: CommandResult, what: string): CommandResult {
  if (result.exitCode !== 0) {
    throw new Error(`${what} exited ${result.exitCode}\n--- stderr ---\n${result.stderr}\n--- stdout ---\n${result.stdout.slice(0, 4000)}`);
  }
  return result;
}

/** runOrThrow is execa with output captured, for setup steps. */
export async function runOrThrow(file: string, args: string[], env: Record<string, string>): Promise<string> {
  const r = await execa(file, args, { env, reject: false });
  if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.exitCode}: ${String(r.stderr)}`);
  return String(r.stdout);
}
