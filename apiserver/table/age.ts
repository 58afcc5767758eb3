import { humanDuration } from './human-duration.js';

/**
 * How long ago an RFC 3339 timestamp was, as the AGE column prints it; "<unknown>" when there is
 * no timestamp (an object not yet stored has none). `now` is passed in so that one table renders
 * every row against the same instant, and tests against a fixed one:
 *
 *   age('2024-05-01T12:00:00Z', Date.parse('2024-05-01T12:02:30Z'))   // "2m30s"
 *   age(undefined, 0)                                                 // "<unknown>"
 */
export function age(timestamp: string | undefined, now: number): string {
  const at = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}
