/**
 * A duration as kubectl's AGE column shows it: two or three significant figures, never more
 * than six characters below two years, the same text kube-apiserver renders:
 *
 *   humanDuration(90_000)           // "90s"    (seconds up to two minutes)
 *   humanDuration(150_000)          // "2m30s"  (minutes and seconds up to ten minutes)
 *   humanDuration(3 * 3_600_000)    // "3h"     (at three hours minutes give way to hours)
 *   humanDuration(49 * 3_600_000)   // "2d1h"
 *   humanDuration(-1_500)           // "0s"     (a clock a second ahead still reads as now)
 *
 * `ms` is the age in milliseconds; fractions of a second are dropped, toward zero.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;

  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;

  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;

  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
