/**
 * The kubelet's restart back-off for a crashing container: 10 s after the first restart, doubling
 * with each one after it, never more than 5 minutes (kubelet.go: backOffPeriod, MaxContainerBackOff).
 * `restarts` is the container's restartCount when it crashes again; the first crash (restartCount 0)
 * is restarted at once, so the first back-off a user sees reads "back-off 10s".
 *
 *   crashBackoffMs(1)    // 10000
 *   crashBackoffMs(3)    // 40000
 *   crashBackoffMs(99)   // 300000
 *   goDuration(160000)   // '2m40s'
 */
export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

export function crashBackoffMs(restarts: number): number {
  const n = Number.isFinite(restarts) && restarts > 1 ? Math.floor(restarts) - 1 : 0;
  // 2^5 * 10 s is already past the cap, so larger exponents need not be computed.
  return Math.min(INITIAL_BACKOFF_MS * 2 ** Math.min(n, 6), MAX_BACKOFF_MS);
}

/** Milliseconds as Go's time.Duration prints whole seconds, the way kubelet messages show them. */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
