/**
 * Waits in real time for a condition that reconcilers bring about on their own promise chains
 * (manual clock tests: time stands still meanwhile). Generous, since the machine may be busy.
 */
export async function until<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`never saw ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
