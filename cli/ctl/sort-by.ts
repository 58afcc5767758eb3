import { CtlError } from './errors.js';
import { evaluateRelaxed, relaxedJsonPath } from './jsonpath.js';

/**
 * `get --sort-by=PATH` as kubectl sorts: by the first value the path reaches in each object,
 * objects without one first, then numbers by value and strings byte by byte; ties keep the
 * server's order. A path no object has, and values kubectl cannot order (true/false, lists,
 * maps), are refused.
 *
 *   sortByPath([pod10, pod9], '.status.podIP')   // pod10 (10.244.1.10) before pod9 (10.244.1.9): strings
 */
export function sortByPath<T>(items: readonly T[], path: string, objectOf: (item: T) => unknown = (x) => x): T[] {
  const template = relaxedJsonPath(path);
  const keyed = items.map((item) => ({ item, key: evaluateRelaxed(template, objectOf(item))[0] }));
  if (items.length > 0 && keyed.every((k) => k.key === undefined || k.key === null)) {
    throw new CtlError(`couldn't find any field with path "${template}" in the list of objects`);
  }
  for (const { key } of keyed) {
    if (key !== undefined && key !== null && typeof key !== 'string' && typeof key !== 'number') {
      throw new CtlError(`field ${template} is an unsortable type: ${Array.isArray(key) ? 'list' : typeof key === 'object' ? 'map' : typeof key}`);
    }
  }
  return keyed.sort((a, b) => compare(a.key, b.key)).map((k) => k.item);
}

function compare(a: unknown, b: unknown): number {
  const missingA = a === undefined || a === null;
  const missingB = b === undefined || b === null;
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  throw new CtlError(`cannot compare ${typeof a} with ${typeof b} to sort`);
}
