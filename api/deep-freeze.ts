/**
 * Freezes an object and everything under it, for values many readers share and none may change
 * in place (an informer's cache, the parsed default stages).
 *
 *   const o = deepFreeze({ spec: { replicas: 1 } });
 *   o.spec.replicas = 2;   // TypeError in strict mode
 */
export function deepFreeze<T>(obj: T): Readonly<T> {
  if (obj && typeof obj === 'object' && !Object.isFrozen(obj)) {
    Object.freeze(obj);
    for (const k in obj) deepFreeze((obj as Record<string, unknown>)[k]);
  }
  return obj;
}
