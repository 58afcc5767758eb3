import type { Clock } from '../api/clock.js';
import { secondsTimestamp } from '../api/timestamp.js';

/** Seconds, as Kubernetes writes timestamps. */
export function timestamp(clock: Clock): string {
  return secondsTimestamp(clock.now());
}

/** Microseconds, as Kubernetes writes a MicroTime (Lease renewTime): `2026-11-21T10:00:00.123000Z`. */
export function microTimestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/Z$/, '000Z');
}
