import { z } from 'zod';
import { unknownFields } from './unknown-fields.js';
import type { KubeObject } from './watch-cache.js';

/** What the schema kept of a body, and the paths it dropped (as `unknownFields` finds them). */
export interface FieldDecoded {
  object: KubeObject;
  unknown: string[];
}

/** What one field decoded to: its kept value as JSON (a fresh copy for every body), its dropped paths. */
interface Remembered {
  json: string;
  unknown: string[];
}

/** Enough for every distinct spec and status of a busy cluster; past it the memory starts over. */
const MAX_REMEMBERED = 4096;
const remembered = new WeakMap<z.ZodType, Map<string, Remembered>>();

/**
 * Decodes a body one top-level field at a time, remembering what each object-valued field that may
 * repeat (see `repeats`) decoded to. Most writes send
 * again a spec the server has seen (a status update carries the spec; pods of one
 * template share theirs), and the kinds' schemas are shape only (no refinements, no defaults, no
 * cross-field rules, unknown keys stripped), so a field decodes alike wherever it appears. The
 * result is what `schema.safeParse` keeps, keys in the schema's order as zod writes them.
 *
 * Undefined when this path cannot promise that: a schema that is not a plain stripping object, a
 * value that is undefined (JSON would drop it, zod keeps the key) or otherwise not plain JSON data
 * (NaN, a Date), or a field that does not parse;
 * the caller then decodes the whole body, which also words the errors.
 *
 *   decodeByField(Pod, { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x', bogus: true }] } })
 *     -> { object: { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x' }] } }, unknown: ['spec.containers[0].bogus'] }
 */
export function decodeByField(schema: z.ZodType, input: KubeObject): FieldDecoded | undefined {
  if (!(schema instanceof z.ZodObject) || schema._zod.def.catchall !== undefined) return undefined;
  const shape = schema.shape as Record<string, z.ZodType>;
  const kept = new Map<string, unknown>();
  const unknown: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) return undefined;
    const field = Object.hasOwn(shape, k) ? shape[k] : undefined;
    if (!field) {
      unknown.push(k);
      continue;
    }
    const decoded = repeats(k, v) ? rememberedField(field, k, v as object) : freshField(field, k, v);
    if (!decoded) return undefined;
    kept.set(k, decoded.value);
    unknown.push(...decoded.unknown);
  }
  // A required field left out (or one with a default) is for the whole decode to answer.
  for (const k of notOmittable(schema, shape)) if (!kept.has(k)) return undefined;
  const object: KubeObject = {};
  for (const k of Object.keys(shape)) if (kept.has(k)) object[k] = kept.get(k);
  return { object, unknown };
}

const omittable = new WeakMap<z.ZodType, string[]>();

/** The fields of a schema whose absence is not simply absence in the result: required ones, defaulted ones. */
function notOmittable(schema: z.ZodType, shape: Record<string, z.ZodType>): string[] {
  let keys = omittable.get(schema);
  if (!keys) {
    keys = Object.keys(shape).filter((k) => {
      const missing = shape[k]!.safeParse(undefined);
      return !missing.success || missing.data !== undefined;
    });
    omittable.set(schema, keys);
  }
  return keys;
}

/**
 * Whether a field's value is worth remembering: an object that is not the metadata or a status
 * (what most writes change) and does not name a version (an Event's involvedObject). Those come
 * again too seldom: a miss costs two serializations more than decoding afresh, and a hit saves
 * about as much as two misses cost.
 */
function repeats(k: string, v: unknown): boolean {
  return k !== 'metadata' && k !== 'status' && v !== null && typeof v === 'object' && !Object.hasOwn(v, 'resourceVersion');
}

function freshField(field: z.ZodType, path: string, v: unknown): { value: unknown; unknown: string[] } | undefined {
  const parsed = field.safeParse(v);
  if (!parsed.success) return undefined;
  return { value: parsed.data, unknown: unknownFields(v, parsed.data, path) };
}

function rememberedField(field: z.ZodType, path: string, v: object): { value: unknown; unknown: string[] } | undefined {
  let memo = remembered.get(field);
  if (!memo) remembered.set(field, (memo = new Map()));
  const key = JSON.stringify(v);
  const hit = memo.get(key);
  if (hit) return { value: JSON.parse(hit.json), unknown: hit.unknown.map((p) => under(path, p)) };
  const parsed = field.safeParse(v);
  // What JSON would not give back as it is (undefined, NaN, a Date...) cannot be remembered as JSON.
  if (!parsed.success || !jsonStable(v)) return undefined;
  const unknown = unknownFields(v, parsed.data, '');
  if (memo.size >= MAX_REMEMBERED) memo.clear();
  memo.set(key, { json: JSON.stringify(parsed.data), unknown });
  return { value: parsed.data, unknown: unknown.map((p) => under(path, p)) };
}

/** A path found inside a field, as seen from the body: `spec` + `replcas` is `spec.replcas`, + `[0]` is `spec[0]`. */
function under(field: string, p: string): string {
  return p.startsWith('[') ? field + p : `${field}.${p}`;
}

/** Whether `JSON.parse(JSON.stringify(v))` is `v` again: plain data of strings, finite numbers, booleans, null. */
function jsonStable(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return false;
  return Object.values(v).every(jsonStable);
}
