/**
 * Whether two values of JSON data are the same JSON: key order aside, and a member that is
 * undefined counts as absent, since JSON leaves it out. For what the API reads and writes (parsed,
 * decoded, or copied by jsonCopy), where `isDeepStrictEqual` would also weigh prototypes, symbols
 * and undefined members, and take several times longer.
 *
 *   jsonEqual({ a: 1, b: [true], c: undefined }, { b: [true], a: 1 })   // true
 *   jsonEqual({ a: 1 }, { a: '1' })                                     // false
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Every member of `a` has its equal in `b`; then the same count means no member of `b` is left over.
  let members = 0;
  for (const k in x) {
    const v = x[k];
    if (v === undefined) continue;
    if (!Object.hasOwn(y, k) || !jsonEqual(v, y[k])) return false;
    members++;
  }
  for (const k in y) if (y[k] !== undefined) members--;
  return members === 0;
}
