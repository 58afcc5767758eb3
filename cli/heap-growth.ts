import { setFlagsFromString } from 'node:v8';

/**
 * How far each process's JavaScript heap may grow past what its last full collection kept, as GOGC
 * is for Kubernetes' own Go components: 100 lets it double. Left to itself V8 lets a heap grow up to
 * fourfold while writes stream in, and at 10,000 pods an API server held 270 MB of live objects in
 * a 942 MB heap, a node simulator 52 MB in 335. Doubling costs the API server about 5 % more CPU.
 * `MINIK_HEAP_GROWTH_PERCENT=0` leaves the choice to V8.
 */
export const DEFAULT_HEAP_GROWTH_PERCENT = 100;
export const HEAP_GROWTH_ENV = 'MINIK_HEAP_GROWTH_PERCENT';

/** The percent the environment asks for; throws a one-line message for anything but a whole number up to 1000. */
export function heapGrowthPercent(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[HEAP_GROWTH_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_HEAP_GROWTH_PERCENT;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || n > 1000) {
    throw new Error(`${HEAP_GROWTH_ENV}=${raw}: expected a whole number of percent from 0 (V8 decides) to 1000`);
  }
  return n;
}

/** Sets V8's heap growing factor for this process; V8 reads it at every full collection. */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
