/** Upstream's SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH = 1;

/**
 * Runs `fn` `count` times in batches of 1, 2, 4, 8... (each batch at once), stopping after the first
 * batch in which a call fails, so that a ReplicaSet whose pods are all refused (a quota, a bad
 * template) sends one request, not 500. Answers how many calls succeeded and the first error.
 *
 *   slowStartBatch(10, ok)                     batches 1, 2, 4, 3      -> { successes: 10 }
 *   slowStartBatch(10, fails from the 4th on)  batches 1, 2, 4 (stop)  -> { successes: 3, error }
 *
 * Calls never made are neither successes nor failures: the caller stops expecting them.
 */
export async function slowStartBatch(count: number, fn: () => Promise<void>, initialBatch = SLOW_START_INITIAL_BATCH): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatch); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length > 0) return { successes, error: failed[0]!.reason };
    remaining -= batch;
  }
  return { successes };
}
