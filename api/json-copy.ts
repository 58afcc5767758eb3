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
 * `jsonCopy(v)` of a value that is JSON data as a parse gives it (plain objects and arrays,
 * strings, finite numbers, booleans, null; no undefined), without the checks `jsonCopy` makes for
 * anything else: for values known to be such, as every object an API cache or informer holds is.
 *
 *   jsonClone({ spec: { replicas: 2 }, items: [null, 'a'] })   // an equal object, sharing nothing
 */
export function jsonClone<T>(v: T): T {
  return clone(v) as T;
}

function clone(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = clone(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in v) {
    // Assigning it would set the prototype instead: the round trip knows better.
    if (k === '__proto__') return copy(v);
    out[k] = clone((v as Record<string, unknown>)[k]);
  }
  return out;
}

/**
 * A copy of what a cache handed out: frozen, and JSON data as it was parsed (every cache of API
 * objects holds only such), so `jsonClone` copies it; anything else takes `jsonCopy`.
 */
export function copyOfCached<T>(v: T): T {
  return v !== null && typeof v === 'object' && Object.isFrozen(v) ? jsonClone(v) : jsonCopy(v);
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

/**
 * `jsonCopySharing(v, like)` without the copy: `v` itself, each part equal to the frozen part of
 * `like` at the same place replaced by it (or `like` itself, if all of `v` equals it). For a value
 * no one else holds, such as an object a write has just stored, which its one owner hands over.
 * Undefined, with `v` still the same JSON, if the JSON round trip would not give `v` back exactly
 * (an undefined member too: deleting it would leave the object slow to read ever after), or if a
 * part to change is frozen: the caller copies instead.
 *
 *   const was = deepFreeze({ spec: { image: 'a' }, status: { phase: 'Pending' } });
 *   const v = { spec: { image: 'a' }, status: { phase: 'Running' } };
 *   jsonAdoptSharing(v, was) === v   // true, and v.spec === was.spec
 */
export function jsonAdoptSharing<T>(v: T, like: unknown): T | undefined {
  const out = adopt(v, like);
  return out === REFUSED ? undefined : (out as T);
}

const REFUSED: unique symbol = Symbol('not adoptable');

function adopt(v: unknown, like: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : REFUSED;
  if (typeof v !== 'object') return REFUSED;
  const shared = like !== null && typeof like === 'object' && Object.isFrozen(like);
  // The older value's own part, handed back: frozen JSON data already.
  if (v === like && shared) return like;
  if (Array.isArray(v)) {
    const was = shared && Array.isArray(like) ? like : undefined;
    let same = was !== undefined && v.length === was.length;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === undefined) return REFUSED;
      const c = adopt(x, was?.[i]);
      if (c === REFUSED) return REFUSED;
      if (c !== x && !replace(v, i, c)) return REFUSED;
      if (c !== was?.[i]) same = false;
    }
    return same ? was : v;
  }
  if (!plain(v)) return REFUSED;
  const was = shared && !Array.isArray(like) ? (like as Record<string, unknown>) : undefined;
  const order = was ? Object.keys(was) : [];
  const o = v as Record<string, unknown>;
  let n = 0;
  let same = was !== undefined;
  for (const k in o) {
    const x = o[k];
    if (x === undefined) return REFUSED;
    const c = adopt(x, was && Object.hasOwn(was, k) ? was[k] : undefined);
    if (c === REFUSED) return REFUSED;
    if (c !== x && !replace(o, k, c)) return REFUSED;
    if (same && (order[n] !== k || c !== was![k])) same = false;
    n++;
  }
  return same && n === order.length ? was : v;
}

/** Puts a shared part in place of an equal one, unless the holder is frozen (someone else's). */
function replace(holder: object, at: string | number, part: unknown): boolean {
  if (Object.isFrozen(holder)) return false;
  (holder as Record<string | number, unknown>)[at] = part;
  return true;
}

/**
 * Whether JSON would carry `v` as it is, but for undefined members of objects, which it leaves out:
 * plain objects and arrays of strings, finite numbers (not -0), booleans and null. A reader that
 * takes undefined members for absent can then read `v` itself instead of a copy.
 *
 *   jsonFaithful({ a: [1, 'x'], b: undefined })   // true
 *   jsonFaithful({ a: [undefined] })              // false: JSON writes null there
 */
export function jsonFaithful(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!jsonFaithful(v[i])) return false;
    return true;
  }
  if (!plainData(v)) return false;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && !jsonFaithful(x)) return false;
  }
  return true;
}

/**
 * An object JSON writes key by key and parses back alike, as JSON.parse gives one: its own
 * `__proto__` member included, which its readers must set with `Object.defineProperty`.
 */
export function plainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && plainData(v);
}

function plainData(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}

/** A plain data object the copies here copy by assignment: one with a `__proto__` member takes the JSON round trip. */
function plain(v: object): boolean {
  return plainData(v) && !Object.hasOwn(v, '__proto__');
}

/** What JSON leaves out of an object (and writes as null in an array). */
function dropped(x: unknown): boolean {
  return x === undefined || typeof x === 'function' || typeof x === 'symbol';
}
