import { cloneJson, getOwn, isJsonObject, setOwn, type JsonObject, type JsonValue } from './json-value.js';

/**
 * Applies an RFC 7386 JSON Merge Patch (`application/merge-patch+json`, what `kubectl label`,
 * `annotate` and `scale` send) and returns a new document; `doc` is never modified. Objects merge
 * key by key, `null` deletes a key, and anything else (arrays included) replaces what was there.
 * A patch that is not an object replaces the whole document.
 *
 *   applyMergePatch(
 *     { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { replicas: 1 } },
 *     { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 5 } })
 *     // { metadata: { labels: { app: 'web', env: 'prod' } }, spec: { replicas: 5 } }
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(doc as JsonValue), patch as JsonValue);
}

/** `target` is a private copy and may be changed; `patch` is only read, and copied where it is used. */
function mergeInto(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(target) ? target : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key]!;
    if (value === null) delete out[key];
    else setOwn(out, key, mergeInto(getOwn(out, key) ?? null, value));
  }
  return out;
}
