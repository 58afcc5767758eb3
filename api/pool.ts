/**
 * Runs `task(i)` for i in 0..n-1 with at most `concurrency` in flight; rejects with the first
 * failure, once the tasks under way have settled.
 *
 *   await pool(5000, 64, (i) => client.create(nodes, undefined, node(i)));
 */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  let failed: { err: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n && !failed) {
        try {
          await task(next++);
        } catch (err) {
          failed ??= { err };
        }
      }
    }),
  );
  if (failed) throw failed.err;
}
