/**
 * Runs the helm binary, the way helm plugins are expected to (helm-diff runs "$HELM_BIN"): the
 * binary comes from HELM_BIN (set by helm for its plugins, or by the user), and the connection
 * flags the user gave our plugin are passed on, so helm talks to the same cluster we do.
 * execa is imported lazily, like client-node, to keep `--help` fast.
 */
import { CliError } from '../errors/errors.js';
import { ExitCode, type ExitCodeValue } from '../errors/exit-codes.js';
import { LogLevel, silentLogger, type Logger } from '../log/logger.js';

/** HelmError is a failed helm invocation: execa's short message plus the end of helm's stderr. */
export class HelmError extends CliError {
  /** stderr is helm's complete standard error. */
  readonly stderr: string;
  /** helmExitCode is helm's own exit code, when it ran at all. */
  readonly helmExitCode?: number;

  constructor(message: string, exitCode: ExitCodeValue, detail: { stderr: string; helmExitCode?: number; cause?: unknown }) {
    super(message, exitCode, { cause: detail.cause });
    this.stderr = detail.stderr;
    this.helmExitCode = detail.helmExitCode;
  }
}

/** HelmConnection are the cluster flags forwarded to helm (as --kube-context/--namespace/--kubeconfig). */
export interface HelmConnection {
  readonly kubeContext?: string;
  readonly namespace?: string;
  readonly kubeconfig?: string;
}

/** HelmRunnerOptions configure the runner; main.ts fills them from the environment. */
export interface HelmRunnerOptions {
  /** env is the environment helm runs with (HELM_BIN is read from it; default "helm"). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connection?: HelmConnection;
  readonly logger?: Logger;
}

/** HelmRunOptions are one invocation's stdin, cluster flags and cancellation. */
export interface HelmRunOptions {
  readonly input?: string;
  readonly connection?: HelmConnection;
  /** signal stops helm (SIGTERM) when aborted, e.g. by a --timeout; the run then fails with a HelmError. */
  readonly signal?: AbortSignal;
}

/** HelmRunner runs helm subcommands and returns their stdout. */
export interface HelmRunner {
  /** run executes `helm <args> <connection flags>` and returns stdout; failures throw HelmError. */
  run(args: readonly string[], options?: HelmRunOptions): Promise<string>;
  /** version returns helm's version string, e.g. "v3.14.4". */
  version(): Promise<string>;
}

/** connectionArgs turns a HelmConnection into helm's global flags. */
export function connectionArgs(connection: HelmConnection | undefined): string[] {
  const args: string[] = [];
  if (connection?.kubeContext) args.push('--kube-context', connection.kubeContext);
  if (connection?.namespace) args.push('--namespace', connection.namespace);
  if (connection?.kubeconfig) args.push('--kubeconfig', connection.kubeconfig);
  return args;
}

/** stderrTail returns the last `lines` non-empty lines of helm's stderr, joined on one line. */
export function stderrTail(stderr: string, lines = 3): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-lines)
    .join('; ');
}

/** exitCodeForHelmFailure maps helm's complaint onto the suite's exit-code table. */
export function exitCodeForHelmFailure(stderr: string, spawnCode?: string): ExitCodeValue {
  if (spawnCode === 'ENOENT') return ExitCode.Precondition;
  if (/Kubernetes cluster unreachable|connection refused|no such host|i\/o timeout/i.test(stderr)) return ExitCode.Unreachable;
  if (/\b(forbidden|unauthorized)\b/i.test(stderr)) return ExitCode.Unauthorized;
  if (/timed out waiting/i.test(stderr)) return ExitCode.Timeout;
  return ExitCode.ApiError;
}

const firstLine = (text: string): string => text.split('\n')[0] ?? '';

/** createHelmRunner returns a runner over execa honouring HELM_BIN. */
export function createHelmRunner(options: HelmRunnerOptions): HelmRunner {
  const helmBin = options.env.HELM_BIN || 'helm';
  const logger = options.logger ?? silentLogger;
  const run = async (args: readonly string[], runOptions: HelmRunOptions = {}) => {
    const { execa, ExecaError } = await import('execa');
    const fullArgs = [...args, ...connectionArgs(runOptions.connection ?? options.connection)];
    logger.v(LogLevel.Debug, `running ${helmBin} ${fullArgs.join(' ')}`);
    try {
      const result = await execa(helmBin, fullArgs, {
        env: options.env as Record<string, string>,
        extendEnv: false,
        input: runOptions.input,
        stripFinalNewline: false,
        ...(runOptions.signal ? { cancelSignal: runOptions.signal } : {}),
      });
      return result.stdout;
    } catch (err) {
      if (err instanceof ExecaError) {
        const stderr = typeof err.stderr === 'string' ? err.stderr : '';
        const tail = stderrTail(stderr);
        const spawnCode = (err.cause as { code?: string } | undefined)?.code ?? (err as { code?: string }).code;
        const message =
          spawnCode === 'ENOENT'
            ? `helm binary "${helmBin}" not found: install helm or set HELM_BIN`
            : err.isCanceled
              ? `stopped before it answered (${firstLine(String((runOptions.signal?.reason as Error | undefined)?.message ?? 'cancelled'))})`
              : tail
                ? `${err.shortMessage}: ${tail}`
                : err.shortMessage;
        throw new HelmError(message, exitCodeForHelmFailure(stderr, spawnCode), {
          stderr,
          helmExitCode: err.exitCode,
          cause: err,
        });
      }
      throw err;
    }
  };
  return {
    run,
    async version() {
      // --template prints just the version (e.g. "v3.14.4"), no parsing of the human format.
      return (await run(['version', '--template', '{{.Version}}'], { connection: {} })).trim();
    },
  };
}
