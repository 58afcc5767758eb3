/**
 * The order upstream's strategic merge gives a merged list (normalizeElementOrder and
 * mergeSortedSlice in k8s.io/apimachinery's strategicpatch), reproduced because clients see it:
 * the patch's elements in the patch's order (or `$setElementOrder`'s), the other elements in
 * their original order, and an original element goes before a patch element only when both were
 * in the original list and it came first there. So a new element goes first, not last.
 *
 * Elements are compared by key (the merge key's value; a primitive is its own key); an element
 * whose key is undefined is never in the patch and never compares.
 *
 *   orderElements(['a', 'b', 'x'], ['x'], ['a', 'b'], (v) => v)            // ['x', 'a', 'b']
 *   orderElements(['a', 'b', 'c'], ['c', 'a'], ['a', 'b', 'c'], (v) => v)  // ['b', 'c', 'a']
 */
export function orderElements<T>(
  items: readonly T[],
  patchOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  keyOf: (item: T) => unknown,
): T[] {
  const inPatch = positions(patchOrder);
  const inServer = positions(serverOrder);
  const at = (where: Map<unknown, number>, item: T): number => {
    const key = keyOf(item);
    return key === undefined ? -1 : (where.get(key) ?? -1);
  };
  const byPosition = (where: Map<unknown, number>) => (a: T, b: T) =>
    rank(at(where, a)) - rank(at(where, b));

  const fromPatch = items.filter((item) => at(inPatch, item) >= 0).sort(byPosition(inPatch));
  const serverOnly = items.filter((item) => at(inPatch, item) < 0).sort(byPosition(inServer));

  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) out.push(serverOnly[i++]!);
    else if (i >= serverOnly.length) out.push(fromPatch[j++]!);
    else {
      const left = at(inServer, serverOnly[i]!);
      const right = at(inServer, fromPatch[j]!);
      if (left >= 0 && right >= 0 && left < right) out.push(serverOnly[i++]!);
      else out.push(fromPatch[j++]!);
    }
  }
  return out;
}

/** First position of each key. */
function positions(keys: readonly unknown[]): Map<unknown, number> {
  const map = new Map<unknown, number>();
  keys.forEach((key, i) => {
    if (key !== undefined && !map.has(key)) map.set(key, i);
  });
  return map;
}

/** Elements without a position keep their relative order, after the rest (the sort is stable). */
function rank(position: number): number {
  return position < 0 ? Number.MAX_SAFE_INTEGER : position;
}
