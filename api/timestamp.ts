/**
 * Seconds, as Kubernetes writes timestamps: the milliseconds cut off. Much happens within one second
 * of a cluster's time (a simulated cluster's most of all), so the last second's text is kept.
 *
 *   secondsTimestamp(Date.UTC(2026, 10, 21, 10, 0, 0, 999))   // '2026-11-21T10:00:00Z'
 */
export function secondsTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString();
    // Years 0-9999 give 'YYYY-MM-DDTHH:mm:ss.sssZ'; others carry a sign and six digits.
    lastText = iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
    lastSecond = second;
  }
  return lastText;
}
let lastSecond = Number.NaN;
let lastText = '';
