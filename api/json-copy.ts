/**
 * `JSON.parse(JSON.stringify(v))`, several times faster for the plain data API objects are:
 * undefined, functions and symbols dropped from objects and turned to null in arrays, non-finite
 * numbers null, -0 as 0. Anything else (a Date or other toJSON, a class instance, a `__proto__`
 * key) takes the JSON round trip itself, so the result is always what the round trip gives.
 *
 *   jsonCopy({ a: undefined, b: [undefined, NaN], c: new Date(0) })   // { b: [null, null], c: '1970-01-01T00:00:00.000Z' }
 */
export function jsonCopy<T>(v: T): T {
  return copy(v) as T;
}

function copy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null;
    return typeof v === 'bigint' ? JSON.parse(JSON.stringify(v)) : v;
  }
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = dropped(v[i]) ? null : copy(v[i]);
    return out;
  }
  if (!plain(v)) return JSON.parse(JSON.stringify(v)) as unknown;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (!dropped(x)) out[k] = copy(x);
  }
  return out;
}

/**
 * `jsonCopy(v)`, reusing every part of `like` that the copy would equal: a new revision of an
 * object shares with the revision before it all that did not change (a pod's spec across its status
 * updates), so that keeping both costs little more than keeping one. Only frozen parts of `like` are
 * reused, since the copy's readers may share them too; they must be JSON's own data (parsed, or
 * copied by jsonCopy), as a cached object's are. An object is reused only with its keys in the same
 * order, so that the copy serializes as `v` does.
 *
 *   const was = deepFreeze({ spec: { image: 'a' }, status: { phase: 'Pending' } });
 *   const now = jsonCopySharing({ spec: { image: 'a' }, status: { phase: 'Running' } }, was);
 *   now.spec === was.spec   // true
 */
export function jsonCopySharing<T>(v: T, like: unknown): T {
  return share(v, like) as T;
}

function share(v: unknown, like: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    const c = copy(v);
    return c === like ? like : c;
  }
  if (like === null || typeof like !== 'object' || !Object.isFrozen(like)) return copy(v);
  if (Array.isArray(v)) {
    if (!Array.isArray(like)) return copy(v);
    const out = new Array<unknown>(v.length);
    let same = v.length === like.length;
    for (let i = 0; i < v.length; i++) {
      const x = dropped(v[i]) ? null : share(v[i], like[i]);
      out[i] = x;
      if (x !== like[i]) same = false;
    }
    return same ? like : out;
  }
  if (!plain(v) || Array.isArray(like)) return copy(v);
  const was = like as Record<string, unknown>;
  const order = Object.keys(was);
  const out: Record<string, unknown> = {};
  let n = 0;
  let same = true;
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (dropped(x)) continue;
    const c = share(x, Object.hasOwn(was, k) ? was[k] : undefined);
    out[k] = c;
    if (same && (order[n] !== k || c !== was[k])) same = false;
    n++;
  }
  return same && n === order.length ? like : out;
}

/** A plain data object, which JSON writes key by key: anything else takes the JSON round trip. */
function plain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function' && !Object.hasOwn(v, '__proto__');
}

/** What JSON leaves out of an object (and writes as null in an array). */
function dropped(x: unknown): boolean {
  return x === undefined || typeof x === 'function' || typeof x === 'symbol';
}
