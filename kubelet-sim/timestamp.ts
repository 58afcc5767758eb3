import type { Clock } from '../api/clock.js';

/** Seconds, as Kubernetes writes timestamps. */
export function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Microseconds, as Kubernetes writes a MicroTime (Lease renewTime): `2026-11-21T10:00:00.123000Z`. */
export function microTimestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/Z$/, '000Z');
}
