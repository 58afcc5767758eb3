import type { Clock } from '../api/clock.js';

/** Seconds, as Kubernetes writes timestamps. */
export function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
