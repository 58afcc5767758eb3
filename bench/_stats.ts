/** Latency samples in ms, summarised the way the report shows them. */
export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarise(samplesMs: number[]): Summary {
  const sorted = Float64Array.from(samplesMs).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
  };
}

/** Nearest rank, so that a percentile is always a latency that was actually observed. */
function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** A clock comparable across threads and processes of one machine, in ms, with sub-ms resolution. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
