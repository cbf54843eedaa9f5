/**
 * Ctrl-C for `kubectl meshbackup`. A command that can stop cleanly (save: remove its staging and
 * temporary file, leave nothing at the target) runs inside {@link Interrupt.gracefully}; the first
 * Ctrl-C then aborts its signal and the command ends with InterruptedError (one line, exit 130).
 * Anywhere else, or on a second Ctrl-C, the process exits at once with one line after the
 * registered synchronous cleanups (an extracted archive): restore needs nothing more, because a
 * rerun skips what already exists.
 */

/** Interrupt is the one Ctrl-C state of a process; main.ts owns it. */
export class Interrupt {
  private readonly controller = new AbortController();
  private graceful = 0;
  private readonly cleanups = new Set<() => void>();

  /** signal aborts on the first Ctrl-C during a graceful section. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** gracefully runs `work` with Ctrl-C aborting `signal` instead of ending the process. */
  async gracefully<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.graceful++;
    try {
      return await work(this.controller.signal);
    } finally {
      this.graceful--;
    }
  }

  /**
   * onExit registers a synchronous cleanup (remove an extracted archive) for an immediate exit;
   * call the returned function once the work is done.
   */
  onExit(cleanup: () => void): () => void {
    this.cleanups.add(cleanup);
    return () => this.cleanups.delete(cleanup);
  }

  /** runCleanups runs the registered cleanups before an immediate exit; a failing one does not stop the rest. */
  runCleanups(): void {
    for (const cleanup of this.cleanups) {
      try {
        cleanup();
      } catch {
        // Best effort: the process is exiting on the user's Ctrl-C.
      }
    }
    this.cleanups.clear();
  }

  /**
   * onSigint returns 'abort' when a graceful section will stop by itself, or 'exit' when the
   * process should print one line and exit 130 now.
   */
  onSigint(): 'abort' | 'exit' {
    if (this.graceful > 0 && !this.controller.signal.aborted) {
      this.controller.abort();
      return 'abort';
    }
    return 'exit';
  }
}

/** interruptedLine is what an immediate exit prints, in the formatter's "error: …" shape. */
export const interruptedLine = 'error: interrupted (a rerun of restore skips what already exists)\n';
