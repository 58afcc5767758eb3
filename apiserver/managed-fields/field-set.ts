import { isDeepStrictEqual } from 'node:util';
import { compileStrategy, type StrategyNode } from '../patch/patch-strategy.js';
import { strategyFor } from '../patch/strategies.js';

/**
 * The fields an object sets, as server-side apply counts them: every leaf, every list item and map
 * that exists, each named by its path. A path is a list of steps in FieldsV1's own spelling:
 *
 *   f:spec                        a field of an object
 *   k:{"name":"nginx"}            the item of a keyed list (containers by name, ports by containerPort)
 *   v:"example.com/protect"       a member of a set (finalizers)
 *   .                             the list item or map itself, beside its fields
 *
 * A set holds each path as its steps joined by SEP, so that sets are plain string sets.
 */
export type FieldSet = Set<string>;

export const SEP = '\u0001';
const EMPTY_NODE: StrategyNode = { fields: new Map() };

/** The object's fields under `part`: what a write of the main resource, or of its status, sets. */
export function fieldsOf(kind: string, object: Record<string, unknown>, part: 'main' | 'status'): FieldSet {
  const out: FieldSet = new Set();
  const root = compileStrategy(strategyFor(kind));
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || value === undefined) continue;
    if ((key === 'status') !== (part === 'status')) continue;
    if (key === 'metadata') {
      const meta = value as Record<string, unknown>;
      for (const m of OWNED_METADATA) {
        if (meta[m] !== undefined) walk(meta[m], child(child(root, 'metadata'), m), `f:metadata${SEP}f:${m}`, out);
      }
      continue;
    }
    walk(value, child(root, key), `f:${key}`, out);
  }
  return out;
}

/** The metadata a writer owns; the rest (name, uid, resourceVersion, ...) is the server's or fixed. */
const OWNED_METADATA = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

function child(node: StrategyNode, key: string): StrategyNode {
  return node.fields.get(key) ?? EMPTY_NODE;
}

function walk(value: unknown, node: StrategyNode, path: string, out: FieldSet): void {
  const s = node.strategy;
  if (Array.isArray(value) && s?.kind === 'merge') {
    // The list exists, empty or not; its items are counted on their own.
    out.add(path + SEP + '.');
    for (const item of value) {
      if (s.mergeKey !== undefined && isObject(item)) {
        const itemPath = path + SEP + itemStep(item, s.mergeKey);
        out.add(itemPath + SEP + '.');
        for (const [k, v] of Object.entries(item)) if (v !== undefined) walk(v, child(node.items ?? EMPTY_NODE, k), `${itemPath}${SEP}f:${k}`, out);
      } else out.add(`${path}${SEP}v:${JSON.stringify(item)}`);
    }
    return;
  }
  if (isObject(value)) {
    // A map or struct exists, empty or not; its fields are counted on their own.
    out.add(path + SEP + '.');
    for (const [k, v] of Object.entries(value)) if (v !== undefined) walk(v, child(node, k), `${path}${SEP}f:${k}`, out);
    return;
  }
  // A scalar, or an atomic list (replaced whole).
  out.add(path);
}

function itemStep(item: Record<string, unknown>, mergeKey: string): string {
  return `k:${JSON.stringify({ [mergeKey]: item[mergeKey] })}`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const steps = (path: string): string[] => (path === '' ? [] : path.split(SEP));
export const isNode = (path: string): boolean => path.endsWith(`${SEP}.`);
/** The node a `.` path stands for: its item or map. */
export const nodeOf = (path: string): string => path.slice(0, -2);
export const within = (path: string, node: string): boolean => path === node || path.startsWith(node + SEP);

/** The value at a path, or undefined; a `.` path gives its node. */
export function valueAt(object: unknown, path: string): unknown {
  let at: unknown = object;
  for (const step of steps(path)) {
    if (step === '.') break;
    if (at === undefined || at === null) return undefined;
    if (step.startsWith('f:')) at = isObject(at) ? at[step.slice(2)] : undefined;
    else if (step.startsWith('k:')) at = Array.isArray(at) ? at.find((item) => matches(item, step)) : undefined;
    else if (step.startsWith('v:')) at = Array.isArray(at) && at.some((v) => isDeepStrictEqual(v, JSON.parse(step.slice(2)))) ? JSON.parse(step.slice(2)) : undefined;
    else return undefined;
  }
  return at;
}

function matches(item: unknown, step: string): boolean {
  if (!isObject(item)) return false;
  const keys = JSON.parse(step.slice(2)) as Record<string, unknown>;
  return Object.entries(keys).every(([k, v]) => isDeepStrictEqual(item[k], v));
}

/** Takes the field, item, member or node at `path` out of `object` (changed in place). */
export function removeAt(object: Record<string, unknown>, path: string): void {
  const all = steps(isNode(path) ? nodeOf(path) : path);
  const last = all.pop()!;
  const parent = valueAt(object, all.join(SEP));
  if (last.startsWith('f:') && isObject(parent)) delete parent[last.slice(2)];
  else if (last.startsWith('k:') && Array.isArray(parent)) {
    const i = parent.findIndex((item) => matches(item, last));
    if (i >= 0) parent.splice(i, 1);
  } else if (last.startsWith('v:') && Array.isArray(parent)) {
    const member = JSON.parse(last.slice(2)) as unknown;
    const i = parent.findIndex((v) => isDeepStrictEqual(v, member));
    if (i >= 0) parent.splice(i, 1);
  }
}

/**
 * The path as Kubernetes prints it in a conflict: `.spec.replicas`,
 * `.spec.template.spec.containers[name="nginx"].image`, `.metadata.finalizers[="x"]`.
 */
export function formatPath(path: string): string {
  let out = '';
  for (const step of steps(path)) {
    if (step === '.') continue;
    if (step.startsWith('f:')) out += `.${step.slice(2)}`;
    else if (step.startsWith('k:')) {
      const keys = JSON.parse(step.slice(2)) as Record<string, unknown>;
      out += `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    } else if (step.startsWith('v:')) out += `[=${step.slice(2)}]`;
  }
  return out;
}

/** FieldsV1, the set as a tree of steps with `{}` at each leaf, as managedFields holds it. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of [...set].sort()) {
    let at = root;
    for (const step of steps(path)) at = (at[step] ??= {}) as Record<string, unknown>;
  }
  return root;
}

/** Whether a tree reads as FieldsV1: every key a step this code can follow, every value a tree. */
export function isFieldsV1(tree: unknown, depth = 0): boolean {
  if (!isObject(tree) || depth > 100) return false;
  return Object.entries(tree).every(([k, v]) => validStep(k) && isFieldsV1(v, depth + 1));
}

function validStep(step: string): boolean {
  if (step === '.' || step.startsWith('f:')) return true;
  if (!step.startsWith('k:') && !step.startsWith('v:')) return false;
  try {
    const v = JSON.parse(step.slice(2)) as unknown;
    return step.startsWith('v:') || isObject(v);
  } catch {
    return false;
  }
}

export function fromFieldsV1(tree: unknown): FieldSet {
  const out: FieldSet = new Set();
  const visit = (node: unknown, prefix: string) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && prefix !== '') out.add(prefix);
    for (const k of keys) visit(node[k], prefix === '' ? k : prefix + SEP + k);
  };
  visit(tree, '');
  return out;
}
