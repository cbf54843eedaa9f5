/**
 * eventually retries an assertion until it passes or the deadline is reached, then rethrows
 * the last failure. Simulated controllers converge asynchronously, as real ones do; this waits
 * for a state, never for a fixed time.
 */
export async function eventually<T>(assertion: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
