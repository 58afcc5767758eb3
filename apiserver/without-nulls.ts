import { setOwn } from './patch/json-value.js';

/**
 * A body with every explicit null in an object left out: Kubernetes' decoder reads a null field as
 * "unset". So is an undefined one, as JSON would not carry it. Nulls in arrays stay, for the schema
 * to refuse. A copy; the body is left as it was. A `__proto__` key is a key like any other, as
 * JSON.parse made it: the copy has it as its own member, not as its prototype.
 *
 *   withoutNulls({ metadata: { labels: null, name: 'web', uid: undefined }, args: [null] })   // { metadata: { name: 'web' }, args: [null] }
 */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) setOwn(out, k, withoutNulls(x));
  return out;
}

