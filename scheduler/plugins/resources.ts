import { milliValue, parseQuantity, value } from '../../api/quantity.js';

/**
 * The two resources the scheduler weighs, as plain integers: CPU in millicores, memory in bytes.
 * Both stay exact in a JavaScript number up to 2^53 (8 PiB of memory), far beyond any node here.
 *
 *   cpuOf('250m') = 250      memoryOf('1Ki') = 1024      cpuOf(2) = 2000
 */
export interface Resources {
  readonly milliCPU: number;
  readonly memory: number;
}

export const ZERO: Resources = { milliCPU: 0, memory: 0 };

/** A quantity as JSON carries it; a number such as `2` means two whole units. */
export type QuantityInput = string | number;

const parse = (q: QuantityInput) => parseQuantity(typeof q === 'number' ? String(q) : q);

export function cpuOf(q: QuantityInput): number {
  return milliValue(parse(q));
}

export function memoryOf(q: QuantityInput): number {
  return value(parse(q));
}

/** A whole count, such as allocatable pods. */
export const countOf = memoryOf;

export function addResources(a: Resources, b: Resources): Resources {
  return { milliCPU: a.milliCPU + b.milliCPU, memory: a.memory + b.memory };
}

/** Per resource, not as a whole: an init container may dominate CPU while the app dominates memory. */
export function maxResources(a: Resources, b: Resources): Resources {
  return { milliCPU: Math.max(a.milliCPU, b.milliCPU), memory: Math.max(a.memory, b.memory) };
}
