import { orderElements } from './element-order.js';
import { formatJsonPointer } from './json-pointer.js';
import { cloneJson, getOwn, isJsonObject, setOwn, type JsonArray, type JsonObject, type JsonValue } from './json-value.js';
import { PatchError } from './patch-error.js';
import { compileStrategy, type PatchStrategy, type StrategyNode } from './patch-strategy.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

/**
 * Applies a Kubernetes strategic merge patch (`application/strategic-merge-patch+json`, what
 * `kubectl apply`, `edit`, `set`, `rollout restart` and `cordon` send) and returns a new document;
 * neither argument is modified. It is a JSON merge patch, except that lists follow `strategy`
 * (merged element by element by merge key, or as sets of primitives) and these directives:
 *
 *   `"$patch": "replace"` in a map      the map (without the directive) replaces the original
 *   `"$patch": "delete"` in a map       the map becomes empty
 *   `{"$patch": "replace"}` in a list   the list's other elements replace the original list
 *   `{"name": "x", "$patch": "delete"}` removes the element whose merge key is `x`
 *   `"$patch": "merge"`                 the default; allowed anywhere
 *   `"$retainKeys": [...]`              keys of the original map not listed are cleared
 *   `"$setElementOrder/f": [...]`       orders list `f` (see element-order.ts)
 *   `"$deleteFromPrimitiveList/f": [...]` removes those values from primitive list `f`
 *
 * Any other key starting with `$` is refused. Error messages locate the problem in the patch.
 *
 *   applyStrategicMergePatch(
 *     { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } } } },
 *     { spec: { template: { spec: {
 *       '$setElementOrder/containers': [{ name: 'nginx' }],
 *       containers: [{ image: 'nginx:1.26', name: 'nginx' }] } } } },
 *     strategyFor('Deployment'))
 *     // { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26', ports: [{ containerPort: 80 }] }] } } } }
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, strategy: PatchStrategy): unknown {
  if (!isJsonObject(doc)) throw new PatchError('a strategic merge patch applies to a JSON object only');
  if (!isJsonObject(patch)) throw new PatchError('a strategic merge patch must be a JSON object', { malformed: true });
  // The copy is ours to change; values from the patch are copied as they are used.
  return mergeMap(cloneJson(doc) as JsonObject, patch, compileStrategy(strategy), []);
}

/** `original` is ours to change, or undefined when the field is absent; the result is never undefined. */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, node: StrategyNode | undefined, path: string[]): JsonObject {
  const directive = getOwn(patch, PATCH);
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    const rest = { ...patch };
    delete rest[PATCH];
    return mergeMap(undefined, rest, node, path);
  }
  if (directive !== undefined && directive !== 'merge') throw unknownPatchDirective(directive, path);

  const out = original ?? {};
  retainKeys(out, patch, path);
  const ordered = new Set<string>();
  for (const key of Object.keys(patch)) {
    if (key.startsWith('$')) checkDirectiveKey(key, path);
    if (key.startsWith(SET_ELEMENT_ORDER)) {
      const field = key.slice(SET_ELEMENT_ORDER.length);
      if (setElementOrder(out, patch, field, patch[key]!, node?.fields.get(field), path)) ordered.add(field);
    }
  }
  for (const key of Object.keys(patch)) {
    if (key.startsWith('$') || ordered.has(key)) continue;
    const value = patch[key]!;
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergeValue(getOwn(out, key), value, node?.fields.get(key), [...path, key]);
    if (merged === undefined) delete out[key];
    else setOwn(out, key, merged);
  }
  // Last, as upstream does in effect: kubectl sends a deletion list along with the same field's
  // `$setElementOrder`, which upstream always merges first.
  for (const key of Object.keys(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteFromPrimitiveList(out, key.slice(DELETE_FROM_PRIMITIVE_LIST.length), patch[key]!, path);
    }
  }
  return out;
}

/** The merged value, or undefined when the field should be absent. */
function mergeValue(original: JsonValue | undefined, patch: JsonValue, node: StrategyNode | undefined, path: string[]): JsonValue | undefined {
  if (isJsonObject(patch)) {
    const base = isJsonObject(original) && node?.strategy?.kind !== 'replace' ? original : undefined;
    // Deleting a map that is not there leaves nothing, rather than creating an empty one.
    if (base === undefined && getOwn(patch, PATCH) === 'delete') return undefined;
    return mergeMap(base, patch, node, path);
  }
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : undefined, patch, node, path);
  return patch;
}

function mergeList(original: JsonArray | undefined, patch: JsonArray, node: StrategyNode | undefined, path: string[]): JsonArray {
  const strategy = node?.strategy;
  if (strategy?.kind !== 'merge') {
    // Replaced, but built from the patch rather than copied, so no directive ends up stored.
    return patch.flatMap((element, i) => {
      const value = mergeValue(undefined, element, node?.items, [...path, String(i)]);
      return value === undefined ? [] : [value];
    });
  }
  if (strategy.mergeKey === undefined) return mergePrimitives(original ?? [], patch, path);
  return mergeByKey(original ?? [], patch, strategy.mergeKey, node?.items, path);
}

function mergeByKey(original: JsonArray, patch: JsonArray, mergeKey: string, items: StrategyNode | undefined, path: string[]): JsonArray {
  const keyOf = (element: JsonValue) => (isJsonObject(element) ? getOwn(element, mergeKey) : undefined);
  const deleted: JsonValue[] = [];
  const elements: JsonObject[] = [];
  let replace = false;
  patch.forEach((element, i) => {
    if (!isJsonObject(element)) {
      throw new PatchError(`${at(path, i)}: a list merged by "${mergeKey}" holds objects only`, { malformed: true });
    }
    const directive = getOwn(element, PATCH);
    if (directive === 'replace') {
      replace = true;
      return;
    }
    if (directive !== undefined && directive !== 'delete' && directive !== 'merge') {
      throw unknownPatchDirective(directive, [...path, String(i)]);
    }
    const key = keyOf(element);
    if (key === undefined) throw new PatchError(`${at(path, i)}: missing merge key "${mergeKey}"`, { malformed: true });
    if (directive === 'delete') deleted.push(key);
    else elements.push(element);
  });
  if (replace) return elements.map((element, i) => mergeMap(undefined, element, items, [...path, String(i)]));

  const kept = original.filter((element) => !deleted.includes(keyOf(element) as JsonValue));
  const merged = [...kept];
  elements.forEach((element, i) => {
    const key = keyOf(element);
    const found = merged.findIndex((m) => keyOf(m) === key);
    const existing = found >= 0 ? merged[found] : undefined;
    const value = mergeMap(isJsonObject(existing) ? existing : undefined, element, items, [...path, String(i)]);
    if (found >= 0) merged[found] = value;
    else merged.push(value);
  });
  return orderElements(merged, elements.map(keyOf), kept.map(keyOf), keyOf);
}

/** A set of primitives (finalizers): the union, each value once. */
function mergePrimitives(original: JsonArray, patch: JsonArray, path: string[]): JsonArray {
  const values: JsonArray = [];
  let replace = false;
  patch.forEach((element, i) => {
    if (isJsonObject(element) && getOwn(element, PATCH) === 'replace') replace = true;
    else if (isJsonObject(element) || Array.isArray(element)) {
      throw new PatchError(`${at(path, i)}: a list without a merge key can only merge primitives`, { malformed: true });
    } else values.push(element);
  });
  if (replace) return values;
  const union = [...new Set([...original, ...values])];
  return orderElements(union, values, original, (v) => v);
}

/** Clears the keys `$retainKeys` does not list; the patch itself may set only listed keys. */
function retainKeys(out: JsonObject, patch: JsonObject, path: string[]): void {
  const retained = getOwn(patch, RETAIN_KEYS);
  if (retained === undefined) return;
  if (!Array.isArray(retained) || !retained.every((k) => typeof k === 'string')) {
    throw new PatchError(`${at(path)}: $retainKeys must be a list of field names`, { malformed: true });
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith('$') && patch[key] !== null && !retained.includes(key)) {
      throw new PatchError(`${at(path)}: the patch sets "${key}", which $retainKeys does not list`, { malformed: true });
    }
  }
  for (const key of Object.keys(out)) if (!retained.includes(key)) delete out[key];
}

/**
 * Merges list `field` (when the patch has it) and orders it as `order` says. Returns whether the
 * field is done with; a field the patch deletes (null) or does not hold as a list is left to the caller.
 */
function setElementOrder(out: JsonObject, patch: JsonObject, field: string, order: JsonValue, node: StrategyNode | undefined, path: string[]): boolean {
  const orderPath = [...path, SET_ELEMENT_ORDER + field];
  if (!Array.isArray(order)) throw new PatchError(`${at(orderPath)}: must be a list`, { malformed: true });
  const strategy = node?.strategy;
  const mergeKey = strategy?.kind === 'merge' ? strategy.mergeKey : undefined;
  const keyOf = (element: JsonValue): unknown =>
    mergeKey === undefined
      ? isJsonObject(element) || Array.isArray(element) ? undefined : element
      : isJsonObject(element) ? getOwn(element, mergeKey) : undefined;
  const orderKeys = order.map((element, i) => {
    const key = keyOf(element);
    if (mergeKey !== undefined && key === undefined) {
      throw new PatchError(`${at(orderPath, i)}: missing merge key "${mergeKey}"`, { malformed: true });
    }
    return key;
  });

  const current = getOwn(out, field);
  const original = Array.isArray(current) ? current : undefined;
  const patchList = getOwn(patch, field);
  let merged: JsonArray;
  if (Array.isArray(patchList)) {
    checkOrderCoversPatch(patchList, orderKeys, keyOf, [...path, field]);
    merged = mergeList(original, patchList, node, [...path, field]);
  } else if (patchList === undefined && original !== undefined) {
    merged = original;
  } else {
    return false;
  }
  setOwn(out, field, orderElements(merged, orderKeys, (original ?? []).map(keyOf), keyOf));
  return true;
}

/** Upstream refuses a patch list whose elements `$setElementOrder` lists in another order, or not at all. */
function checkOrderCoversPatch(patchList: JsonArray, orderKeys: unknown[], keyOf: (e: JsonValue) => unknown, path: string[]): void {
  if (orderKeys.length === 0) return; // as upstream: an empty order constrains nothing
  let j = 0;
  for (const element of patchList) {
    if (isJsonObject(element) && getOwn(element, PATCH) !== undefined) continue;
    const key = keyOf(element);
    if (key === undefined) continue; // mergeList reports it
    while (j < orderKeys.length && orderKeys[j] !== key) j++;
    if (j === orderKeys.length) {
      throw new PatchError(`${at(path)}: the list's elements are not in $setElementOrder, or not in its order`, { malformed: true });
    }
    j++;
  }
}

function deleteFromPrimitiveList(out: JsonObject, field: string, values: JsonValue, path: string[]): void {
  if (!Array.isArray(values) || values.some((v) => isJsonObject(v) || Array.isArray(v))) {
    throw new PatchError(`${at(path)}: ${DELETE_FROM_PRIMITIVE_LIST}${field} must be a list of primitives`, { malformed: true });
  }
  const list = getOwn(out, field);
  if (Array.isArray(list)) setOwn(out, field, list.filter((v) => !values.includes(v)));
}

function checkDirectiveKey(key: string, path: string[]): void {
  const known =
    key === PATCH ||
    key === RETAIN_KEYS ||
    (key.startsWith(SET_ELEMENT_ORDER) && key.length > SET_ELEMENT_ORDER.length) ||
    (key.startsWith(DELETE_FROM_PRIMITIVE_LIST) && key.length > DELETE_FROM_PRIMITIVE_LIST.length);
  if (!known) throw new PatchError(`${at(path)}: unknown directive "${key}"`, { malformed: true });
}

function unknownPatchDirective(directive: JsonValue, path: string[]): PatchError {
  return new PatchError(`${at(path)}: unknown $patch directive ${JSON.stringify(directive)}`, { malformed: true });
}

/** A location in the patch, for messages; `/` is the patch itself. */
function at(path: string[], index?: number): string {
  const tokens = index === undefined ? path : [...path, String(index)];
  return tokens.length === 0 ? '/' : formatJsonPointer(tokens);
}
