import { z } from 'zod';
import { jsonFaithful, plainObject } from '../api/json-copy.js';
import { setOwn } from './patch/json-value.js';
import { withoutNulls } from './without-nulls.js';
import { unknownFields } from './unknown-fields.js';
import type { KubeObject } from './watch-cache.js';

/** What the schema kept of a body, and the paths it dropped (as `unknownFields` finds them). */
export interface SchemaDecoded {
  object: KubeObject;
  unknown: string[];
}

/** A value that does not fit: the caller decodes the body with zod, which words the errors. */
const FAIL: unique symbol = Symbol('does not fit');
type Decode = (v: unknown) => unknown;

/**
 * Set when a decode meets a key its schema does not name. Unknown fields are rare (every component
 * sends what it read), so a decode only notes that there were some; `unknownFields` then finds them
 * in the order it always has.
 */
let strayed = false;

/**
 * A request body decoded in one pass by a decoder built from the kind's zod schema: what
 * `schema.safeParse(withoutNulls(body))` keeps, keys in the schema's order, and the unknown fields
 * `unknownFields` would find, without the copy that drops nulls, without zod's per-value
 * bookkeeping. The kinds' schemas are shape only (plain stripping objects, strings, finite numbers,
 * a few formats): the decoder is built for exactly those, and a schema with anything else has none.
 * A `__proto__` key is a key like any other, as it is to Kubernetes: a ConfigMap may hold one in
 * its data (where zod's records would drop it), and in an object it is an unknown field.
 *
 * Undefined when this path cannot promise zod's answer: a schema it has no decoder for, a value
 * that does not fit (a wrong type, a required field missing: zod then words the error), or one
 * that is not plain JSON data (NaN, a Date, undefined in an array).
 *
 *   decodeWithSchema(Pod, { kind: 'Pod', metadata: { labels: null }, spec: { containers: [{ name: 'a', image: 'x', bogus: true }] } })
 *     -> { object: { kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a', image: 'x' }] } }, unknown: ['spec.containers[0].bogus'] }
 */
export function decodeWithSchema(schema: z.ZodType, body: unknown): SchemaDecoded | undefined {
  const decode = decoderOf(schema);
  if (!decode) return undefined;
  strayed = false;
  const object = decode(body);
  if (object === FAIL || object === null || typeof object !== 'object' || Array.isArray(object)) return undefined;
  return { object: object as KubeObject, unknown: strayed ? unknownFields(withoutNulls(body), object) : [] };
}

const decoders = new WeakMap<z.ZodType, Decode | null>();

function decoderOf(schema: z.ZodType): Decode | undefined {
  let d = decoders.get(schema);
  if (d === undefined) decoders.set(schema, (d = compile(schema) ?? null));
  return d ?? undefined;
}

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; format?: string; pattern?: RegExp } } }>;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
}

const defOf = (s: z.ZodType) => s._zod.def as unknown as Def;

/** The decoder of one schema node, or undefined if it is a kind of node this file does not know. */
function compile(schema: z.ZodType): Decode | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringDecoder(def);
    case 'number':
      return numberDecoder(def);
    case 'boolean':
      return noChecks(def) ? (v) => (typeof v === 'boolean' ? v : FAIL) : undefined;
    case 'enum': {
      const values = new Set(Object.values(def.entries ?? {}));
      return (v) => (values.has(v as string) ? v : FAIL);
    }
    case 'literal': {
      const values = new Set(def.values ?? []);
      return (v) => (values.has(v) ? v : FAIL);
    }
    case 'unknown':
      // What zod keeps of it is the value as sent, nulls dropped as everywhere.
      return (v) => (jsonFaithful(v) ? withoutNulls(v) : FAIL);
    case 'optional':
      return def.innerType && compile(def.innerType);
    case 'nullable': {
      const inner = def.innerType && compile(def.innerType);
      return inner && ((v) => (v === null ? null : inner(v)));
    }
    case 'array':
      return noChecks(def) && def.element ? arrayDecoder(def.element) : undefined;
    case 'record':
      return def.keyType && def.valueType && defOf(def.keyType).type === 'string' && noChecks(defOf(def.keyType)) ? recordDecoder(def.valueType) : undefined;
    case 'union':
      return unionDecoder(def.options ?? []);
    case 'object':
      return def.catchall === undefined && noChecks(def) && def.shape ? objectDecoder(def.shape) : undefined;
    default:
      return undefined;
  }
}

function noChecks(def: Def): boolean {
  return (def.checks ?? []).length === 0;
}

function stringDecoder(def: Def): Decode | undefined {
  const patterns: RegExp[] = [];
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check !== 'string_format' || d.format !== 'regex' || !d.pattern) return undefined;
    patterns.push(d.pattern);
  }
  if (patterns.length === 0) return (v) => (typeof v === 'string' ? v : FAIL);
  return (v) => {
    if (typeof v !== 'string') return FAIL;
    for (const p of patterns) {
      p.lastIndex = 0;
      if (!p.test(v)) return FAIL;
    }
    return v;
  };
}

function numberDecoder(def: Def): Decode | undefined {
  let integer = false;
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check !== 'number_format' || d.format !== 'safeint') return undefined;
    integer = true;
  }
  if (integer) return (v) => (Number.isSafeInteger(v) ? v : FAIL);
  return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : FAIL);
}

function arrayDecoder(element: z.ZodType): Decode | undefined {
  const each = compile(element);
  if (!each) return undefined;
  return (v) => {
    if (!Array.isArray(v)) return FAIL;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === undefined) return FAIL;
      const d = each(x);
      if (d === FAIL) return FAIL;
      out[i] = d;
    }
    return out;
  };
}

function recordDecoder(value: z.ZodType): Decode | undefined {
  const each = compile(value);
  if (!each) return undefined;
  return (v) => {
    if (!plainObject(v)) return FAIL;
    const out: Record<string, unknown> = {};
    for (const k in v) {
      const x = v[k];
      if (x === null) continue;
      if (x === undefined) return FAIL;
      const d = each(x);
      if (d === FAIL) return FAIL;
      setOwn(out, k, d);
    }
    return out;
  };
}

/** Unions of plain values only (IntOrString, a quantity): the first option that fits, as zod picks. */
function unionDecoder(options: z.ZodType[]): Decode | undefined {
  const plain = new Set(['string', 'number', 'boolean', 'enum', 'literal']);
  if (!options.every((o) => plain.has(defOf(o).type))) return undefined;
  const each = options.map(compile);
  if (each.some((d) => d === undefined)) return undefined;
  const decoders = each as Decode[];
  return (v) => {
    for (const d of decoders) {
      const out = d(v);
      if (out !== FAIL) return out;
    }
    return FAIL;
  };
}

interface Field {
  index: number;
  decode: Decode;
}

function objectDecoder(shape: Record<string, z.ZodType>): Decode | undefined {
  const fields = new Map<string, Field>();
  const names = Object.keys(shape);
  for (let i = 0; i < names.length; i++) {
    const decode = compile(shape[names[i]!]!);
    if (!decode) return undefined;
    fields.set(names[i]!, { index: i, decode });
  }
  // A field whose absence zod refuses (or fills in) must be there for this path to answer.
  const required = names.filter((k) => {
    const missing = shape[k]!.safeParse(undefined);
    return !missing.success || missing.data !== undefined;
  });
  return (v) => {
    if (!plainObject(v)) return FAIL;
    let out: Record<string, unknown> = {};
    let last = -1;
    let ordered = true;
    for (const k in v) {
      const x = v[k];
      if (x === null || x === undefined) continue;
      const f = fields.get(k);
      if (f === undefined) {
        strayed = true;
        continue;
      }
      const d = f.decode(x);
      if (d === FAIL) return FAIL;
      if (f.index < last) ordered = false;
      last = f.index;
      out[k] = d;
    }
    for (const k of required) if (!Object.hasOwn(out, k)) return FAIL;
    // zod writes the schema's order; bodies mostly come in it already (they were read that way).
    if (!ordered) out = inOrder(out, names);
    return out;
  };
}

function inOrder(o: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of names) if (Object.hasOwn(o, k)) out[k] = o[k];
  return out;
}
