/**
 * Ctrl-C and SIGTERM for every plugin, in one place. A command that reads its context's `signal`
 * has said it can stop at a safe point: the first signal aborts it, and it ends with
 * InterruptedError after its own cleanups (one line, exit 130). A command that never looked at
 * the signal, or a second signal, ends the process at once after the registered synchronous
 * cleanups (an extracted archive, a staging folder).
 */
import { InterruptedError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';

/** SignalName is what the process receives. */
export type SignalName = 'SIGINT' | 'SIGTERM';

/** exitCodeFor is 128 + the signal number, the shell convention: 130 for SIGINT, 143 for SIGTERM. */
export function exitCodeFor(signal: SignalName): number {
  return signal === 'SIGINT' ? ExitCode.Interrupted : ExitCode.Terminated;
}

/** Interrupt is the one interrupt state of a process; runPlugin owns it. */
export class Interrupt {
  private readonly controller = new AbortController();
  private watched = false;
  private readonly cleanups = new Set<() => void>();

  /** signal aborts on the first Ctrl-C/SIGTERM; reading it tells the interrupt that the command can stop by itself. */
  get signal(): AbortSignal {
    this.watched = true;
    return this.controller.signal;
  }

  /** onExit registers a synchronous cleanup for an immediate exit; call the returned function once the work is done. */
  onExit(cleanup: () => void): () => void {
    this.cleanups.add(cleanup);
    return () => this.cleanups.delete(cleanup);
  }

  /** runCleanups runs the registered cleanups; a failing one does not stop the rest. */
  runCleanups(): void {
    for (const cleanup of this.cleanups) {
      try {
        cleanup();
      } catch {
        // Best effort: the process is exiting on the user's request.
      }
    }
    this.cleanups.clear();
  }

  /**
   * receive handles one signal: 'abort' when the running command will stop by itself, or 'exit'
   * when the caller should run the cleanups, print one line and exit now.
   */
  receive(signal: SignalName): 'abort' | 'exit' {
    if (this.watched && !this.controller.signal.aborted) {
      this.controller.abort(
        signal === 'SIGINT' ? new InterruptedError('interrupted') : new InterruptedError('terminated', ExitCode.Terminated),
      );
      return 'abort';
    }
    return 'exit';
  }
}

/** interruptedLine is what an immediate exit prints, in the formatter's "error: …" shape. */
export function interruptedLine(signal: SignalName): string {
  return signal === 'SIGINT' ? 'error: interrupted\n' : 'error: terminated\n';
}

/** throwIfAborted ends a command at a safe point once the user asked it to stop. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError();
}

/** abortableSleep waits `ms`, or less when `signal` aborts (a finished wait must not hold the process open). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
