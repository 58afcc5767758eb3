/**
 * Seconds, as Kubernetes writes timestamps: the milliseconds cut off. Much happens within one second
 * of a cluster's time (a simulated cluster's most of all), so the last second's text is kept.
 *
 *   secondsTimestamp(Date.UTC(2026, 10, 21, 10, 0, 0, 999))   // '2026-11-21T10:00:00Z'
 */
export function secondsTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}
let lastSecond = Number.NaN;
let lastText = '';
