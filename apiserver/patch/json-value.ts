/**
 * JSON values as `JSON.parse` builds them, and the few operations every patch needs on them.
 * A patch body is user input, so keys such as `__proto__` are ordinary keys here:
 *
 *   const obj: JsonObject = {};
 *   setOwn(obj, '__proto__', 1);   // an own key, not a new prototype
 *   getOwn(obj, '__proto__');      // 1
 *   getOwn({}, 'toString');        // undefined, not Object.prototype.toString
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonArray = JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonValue = JsonPrimitive | JsonArray | JsonObject;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own key only: inherited properties are not part of a document. */
export function getOwn(obj: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Plain assignment to `__proto__` would replace the prototype instead of adding the key. */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

/** A deep copy sharing nothing with `value`, so that patching a copy never reaches the caller's objects. */
export function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]!));
    return out;
  }
  return value;
}

/** Structural equality; key order does not matter, array order does (RFC 6902 section 4.6). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]!));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
  }
  return false;
}
