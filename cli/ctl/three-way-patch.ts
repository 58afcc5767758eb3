import { jsonEqual, type JsonValue } from '../../apiserver/patch/json-value.js';
import { compileStrategy, type PatchStrategy, type StrategyNode } from '../../apiserver/patch/patch-strategy.js';
import { setOwn } from '../../apiserver/patch/json-value.js';

type JsonMap = { [key: string]: JsonValue };

/**
 * The strategic merge patch `kubectl apply` sends (upstream's `CreateThreeWayMergePatch`):
 * changes and additions from the live object to the manifest, plus deletions of what the last
 * applied manifest had and the new one does not. Fields nobody applied (server defaults, another
 * client's labels, a scaler's replicas when the manifest has none) are left alone, because a
 * field absent from both manifests is never deleted. An empty patch means "unchanged".
 *
 *   const last = { metadata: { labels: { app: 'web', tier: 'front' } } };
 *   const live = { metadata: { labels: { app: 'web', tier: 'front', team: 'a' } } };   // team: set by hand
 *   const next = { metadata: { labels: { app: 'web' } } };
 *   threeWayMergePatch(last, next, live, strategyFor('Deployment'))
 *     // { metadata: { labels: { tier: null } } }      (team stays)
 *   threeWayMergePatch(next, next, applied, strategy)  // {}  once applied
 */
export function threeWayMergePatch(original: JsonMap | undefined, modified: JsonMap, current: JsonMap, strategy: PatchStrategy): JsonMap {
  const node = compileStrategy(strategy);
  const delta = diffMaps(current, modified, node, { ignoreDeletions: true, ignoreChangesAndAdditions: false, retainKeys: false });
  const deletions = diffMaps(original ?? {}, modified, node, { ignoreDeletions: false, ignoreChangesAndAdditions: true, retainKeys: false });
  return mergePatches(deletions, delta, node);
}

interface DiffOptions {
  ignoreDeletions: boolean;
  ignoreChangesAndAdditions: boolean;
  /** The map is a one-of (`retainKeys`): the patch names the keys to keep. */
  retainKeys: boolean;
}

function isMap(v: JsonValue | undefined): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: JsonValue): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function diffMaps(original: JsonMap, modified: JsonMap, node: StrategyNode | undefined, opts: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  const retain: string[] = [];
  for (const [key, mod] of Object.entries(modified)) {
    if (opts.retainKeys && mod !== null) retain.push(key);
    if (!Object.hasOwn(original, key)) {
      if (!opts.ignoreChangesAndAdditions) setOwn(patch, key, mod);
      continue;
    }
    const orig = original[key]!;
    if (typeOf(orig) !== typeOf(mod)) {
      if (!opts.ignoreChangesAndAdditions) setOwn(patch, key, mod);
      continue;
    }
    const child = node?.fields.get(key);
    if (isMap(orig) && isMap(mod)) {
      if (child?.strategy?.kind === 'replace') {
        if (!opts.ignoreChangesAndAdditions && !jsonEqual(orig, mod)) setOwn(patch, key, mod);
        continue;
      }
      const sub = diffMaps(orig, mod, child, { ...opts, retainKeys: child?.strategy?.kind === 'merge' && Boolean(child.strategy.retainKeys) });
      if (Object.keys(sub).length > 0) setOwn(patch, key, sub);
    } else if (Array.isArray(orig) && Array.isArray(mod)) {
      diffListField(key, orig, mod, child, opts, patch);
    } else if (!opts.ignoreChangesAndAdditions && !jsonEqual(orig, mod)) {
      setOwn(patch, key, mod);
    }
  }
  if (!opts.ignoreDeletions) {
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  }
  const cleared = Object.keys(original).some((k) => original[k] !== null && !Object.hasOwn(modified, k));
  if (retain.length > 0 && (Object.keys(patch).length > 0 || cleared)) patch.$retainKeys = retain.sort();
  return patch;
}

function diffListField(key: string, orig: JsonValue[], mod: JsonValue[], node: StrategyNode | undefined, opts: DiffOptions, patch: JsonMap): void {
  const strategy = node?.strategy;
  if (strategy?.kind !== 'merge') {
    if (!opts.ignoreChangesAndAdditions && !jsonEqual(orig, mod)) setOwn(patch, key, mod);
    return;
  }
  const mergeKey = strategy.mergeKey;
  if (mergeKey && mod.every(isMap) && orig.every(isMap)) {
    const keyOf = (v: JsonMap) => JSON.stringify(v[mergeKey] ?? null);
    const origByKey = new Map(orig.map((v) => [keyOf(v), v]));
    const modKeys = new Set(mod.map(keyOf));
    const changes: JsonValue[] = [];
    for (const m of mod) {
      const o = origByKey.get(keyOf(m));
      if (o === undefined) {
        if (!opts.ignoreChangesAndAdditions) changes.push(m);
        continue;
      }
      const sub = diffMaps(o, m, node?.items, { ...opts, retainKeys: Boolean(strategy.retainKeys) });
      if (Object.keys(sub).length > 0) changes.push({ [mergeKey]: m[mergeKey] ?? null, ...sub });
    }
    if (!opts.ignoreDeletions) {
      for (const o of orig) if (!modKeys.has(keyOf(o))) changes.push({ [mergeKey]: o[mergeKey] ?? null, $patch: 'delete' });
    }
    const sameOrder = jsonEqual(orig.map(keyOf).filter((k) => modKeys.has(k)), mod.map(keyOf).filter((k) => origByKey.has(k)));
    if (changes.length > 0) setOwn(patch, key, changes);
    if ((!opts.ignoreChangesAndAdditions && (changes.length > 0 || !sameOrder)) || (!opts.ignoreDeletions && changes.length > 0)) {
      patch[`$setElementOrder/${key}`] = mod.map((m) => ({ [mergeKey]: (m as JsonMap)[mergeKey] ?? null }));
    }
    return;
  }
  // A set of primitives (finalizers): additions merge in, removals go in their own directive.
  const has = (list: JsonValue[], v: JsonValue) => list.some((x) => jsonEqual(x, v));
  const added = opts.ignoreChangesAndAdditions ? [] : mod.filter((v) => !has(orig, v));
  const removed = opts.ignoreDeletions ? [] : orig.filter((v) => !has(mod, v));
  if (added.length > 0) setOwn(patch, key, added);
  if (removed.length > 0) patch[`$deleteFromPrimitiveList/${key}`] = removed;
  if ((!opts.ignoreDeletions && removed.length > 0) || (!opts.ignoreChangesAndAdditions && !jsonEqual(orig, mod))) patch[`$setElementOrder/${key}`] = mod;
}

/**
 * The deletions patch and the changes patch as one. They never touch the same leaf (deletions
 * are of keys the manifest lacks, changes of keys it has), so merging maps key by key and
 * merge-keyed lists element by element is enough.
 */
function mergePatches(a: JsonMap, b: JsonMap, node: StrategyNode | undefined): JsonMap {
  const out: JsonMap = { ...a };
  for (const [key, bv] of Object.entries(b)) {
    const av = out[key];
    const child = node?.fields.get(key);
    if (isMap(av) && isMap(bv)) setOwn(out, key, mergePatches(av, bv, child));
    else if (Array.isArray(av) && Array.isArray(bv) && !key.startsWith('$') && child?.strategy?.kind === 'merge') {
      const mergeKey = child.strategy.mergeKey;
      if (mergeKey) {
        const byKey = new Map(av.map((v) => [JSON.stringify((v as JsonMap)[mergeKey] ?? null), v]));
        for (const v of bv) {
          const k = JSON.stringify((v as JsonMap)[mergeKey] ?? null);
          const prev = byKey.get(k);
          byKey.set(k, isMap(prev) && isMap(v) ? mergePatches(prev, v, child.items) : v);
        }
        setOwn(out, key, [...byKey.values()]);
      } else setOwn(out, key, [...av, ...bv.filter((v) => !av.some((x) => jsonEqual(x, v)))]);
    } else setOwn(out, key, bv);
  }
  // The server wants a list's elements in the order `$setElementOrder` gives, deletions last.
  for (const key of Object.keys(out)) {
    const order = out[`$setElementOrder/${key}`];
    const mergeKey = node?.fields.get(key)?.strategy;
    const list = out[key];
    if (!Array.isArray(order) || !Array.isArray(list) || mergeKey?.kind !== 'merge' || !mergeKey.mergeKey) continue;
    const k = mergeKey.mergeKey;
    const rank = (v: JsonValue) => order.findIndex((o) => jsonEqual((o as JsonMap)[k] ?? null, (v as JsonMap)[k] ?? null));
    const deletes = list.filter((v) => isMap(v) && v.$patch === 'delete');
    setOwn(out, key, [...list.filter((v) => !deletes.includes(v)).sort((a, b) => rank(a) - rank(b)), ...deletes]);
  }
  return out;
}
