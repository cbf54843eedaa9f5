/**
 * The three standard streams a command writes to, injected so commands never touch `process`
 * (kubectl's genericiooptions.IOStreams). Tests pass {@link testStreams}; only a plugin's main.ts
 * calls {@link processStreams}.
 */
import { PassThrough, Writable, type Readable } from 'node:stream';

/** IOStreams carries stdin/stdout/stderr plus whether each end is a terminal and the environment. */
export interface IOStreams {
  /** Standard input. */
  readonly in: Readable;
  /** Data: what a script would pipe (tables, json, yaml). */
  readonly out: Writable;
  /** Progress, warnings and errors. */
  readonly err: Writable;
  /** True when stdout is a terminal: decides table colour and human-oriented output. */
  readonly outIsTTY: boolean;
  /** True when stderr is a terminal: progress spinners/bars are drawn only then. */
  readonly errIsTTY: boolean;
  /** The environment (NO_COLOR, HELM_DEBUG …); injected so tests can set it without mutating process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** TestStreams are in-memory IOStreams whose written text can be read back. */
export interface TestStreams extends IOStreams {
  readonly out: Writable & { text(): string };
  readonly err: Writable & { text(): string };
}

/** TestStreamsOptions sets what the in-memory streams pretend to be. */
export interface TestStreamsOptions {
  /** Text available on stdin. */
  readonly input?: string;
  /** Pretend stdout is a terminal. Default false. */
  readonly outIsTTY?: boolean;
  /** Pretend stderr is a terminal. Default false. */
  readonly errIsTTY?: boolean;
  /** Environment seen by the command. Default {}. */
  readonly env?: Record<string, string | undefined>;
}

/**
 * ignoreClosedPipe is the error listener of stdout and stderr: a reader that went away (`| head`,
 * `| true`) closes the pipe, and Node reports EPIPE as an unhandled error with a stack trace.
 * As with kubectl (SIGPIPE), nothing more reaches that stream and nothing is printed about it;
 * unlike kubectl, the command still finishes what it started, so a write is never left half-done.
 */
export function ignoreClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code !== 'EPIPE') throw err;
}

/** processStreams wraps the real process streams; only main.ts may call it. */
export function processStreams(proc: {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}): IOStreams {
  proc.stdout.on('error', ignoreClosedPipe);
  proc.stderr.on('error', ignoreClosedPipe);
  return {
    // A getter: reading process.stdin builds a stream (fs.ReadStream or tty.ReadStream, about
    // 10 ms), and only commands that read standard input need one.
    get in() {
      return proc.stdin;
    },
    out: proc.stdout,
    err: proc.stderr,
    outIsTTY: proc.stdout.isTTY === true,
    errIsTTY: proc.stderr.isTTY === true,
    env: proc.env,
  };
}

function bufferStream(): Writable & { text(): string } {
  const chunks: Buffer[] = [];
  // Calling back synchronously keeps every write synchronous, so text() is exact right after write().
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  }) as Writable & { text(): string };
  stream.text = () => Buffer.concat(chunks).toString('utf8');
  return stream;
}

/** testStreams returns in-memory streams; `.out.text()` and `.err.text()` return everything written so far. */
export function testStreams(options: TestStreamsOptions = {}): TestStreams {
  const input = new PassThrough();
  input.end(options.input ?? '');
  return {
    in: input,
    out: bufferStream(),
    err: bufferStream(),
    outIsTTY: options.outIsTTY ?? false,
    errIsTTY: options.errIsTTY ?? false,
    env: options.env ?? {},
  };
}

/** writeLine writes one line to a stream; a tiny helper so commands never forget the newline. */
export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}
