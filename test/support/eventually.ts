/**
 * Retries `fn` until it resolves (an assertion inside it passing), or fails with its last error
 * after `ms`: for state that other processes or loops reach in their own time.
 *
 *   await eventually(async () => expect(await slices()).toHaveLength(1), 'one slice');
 */
export async function eventually<T>(fn: () => Promise<T>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: ${(last as Error)?.message ?? last}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
