import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RESOURCES, SUBRESOURCE_SCHEMAS } from '../api/resources.js';
import { Binding } from '../api/schemas/cluster.js';
import { Pod } from '../api/schemas/pod.js';
import { setOwn } from './patch/json-value.js';
import { decodeWithSchema } from './schema-decoder.js';
import { unknownFields } from './unknown-fields.js';
import type { KubeObject } from './watch-cache.js';
import { withoutNulls } from './without-nulls.js';

/**
 * What zod keeps of the body with its nulls dropped, and what it dropped: the answer the decoder
 * must give. A `__proto__` key is a key like any other, which zod's records would drop: zod sees it
 * under another name.
 */
function reference(schema: z.ZodType, body: unknown) {
  const input = withoutNulls(renamed(body, PROTO, STAND_IN));
  const parsed = schema.safeParse(input);
  if (!parsed.success) return undefined;
  const unknown = unknownFields(input, parsed.data).map((p) => p.replaceAll(STAND_IN, PROTO));
  return { object: renamed(parsed.data, STAND_IN, PROTO) as KubeObject, unknown };
}

const PROTO = '__proto__';
const STAND_IN = '\u0000proto\u0000';

/** `v` with every key `from` named `to`, in its place. */
function renamed(v: unknown, from: string, to: string): unknown {
  if (Array.isArray(v)) return v.map((x) => renamed(x, from, to));
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setOwn(out, k === from ? to : k, renamed(x, from, to));
  return out;
}

const SCHEMAS: Array<[string, z.ZodType]> = [
  ...RESOURCES.map((r): [string, z.ZodType] => [r.kind, r.schema]),
  ...Object.entries(SUBRESOURCE_SCHEMAS),
];

const MICRO_TIMES = ['2026-11-21T10:00:00.000000Z', '2026-01-01T00:00:00.123456+02:00'];
const WRONG = fc.constantFrom<unknown>(null, undefined, 'x', 3, 1.5, -0, true, {}, [], [null], NaN, new Date(0), { bogus: 1 });

interface Def {
  type: string;
  checks?: unknown[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  values?: unknown[];
}

/**
 * Bodies shaped by a schema: every field the schema names (optional ones less often the deeper
 * they are), keys now and then out of the schema's order, and with `noise`, now and then a value
 * of the wrong type, a null, an undefined, or a key the schema does not know.
 */
function bodyOf(schema: z.ZodType, noise: boolean, depth = 0): fc.Arbitrary<unknown> {
  const def = schema._zod.def as unknown as Def;
  const right = shaped(def, noise, depth);
  return noise ? fc.oneof({ arbitrary: right, weight: 12 }, { arbitrary: WRONG, weight: 1 }) : right;
}

function shaped(def: Def, noise: boolean, depth: number): fc.Arbitrary<unknown> {
  switch (def.type) {
    case 'string':
      return (def.checks ?? []).length > 0 ? fc.constantFrom(...MICRO_TIMES) : fc.string({ maxLength: 6 });
    case 'number':
      return (def.checks ?? []).length > 0 ? fc.integer({ min: -5, max: 2 ** 40 }) : fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries!));
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'unknown':
      // As JSON.parse gives it: no -0.
      return fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    case 'optional':
    case 'nullable':
      return bodyOf(def.innerType!, noise, depth);
    case 'array':
      return fc.array(bodyOf(def.element!, noise, depth + 1), { maxLength: depth > 3 ? 1 : 2 });
    case 'record':
      return fc.dictionary(fc.constantFrom('a', 'b', 'app', 'x/y', PROTO), bodyOf(def.valueType!, noise, depth + 1), { maxKeys: 2 });
    case 'union':
      return fc.oneof(...def.options!.map((o) => bodyOf(o, noise, depth)));
    case 'object': {
      const shape = def.shape!;
      const fields = Object.entries(shape).map(([k, s]) => {
        const required = !s.safeParse(undefined).success;
        const value = bodyOf(s, noise, depth + 1);
        const keep = required ? 1 : depth === 0 ? 0.7 : depth > 3 ? 0.05 : 0.25;
        return fc.tuple(fc.constant(k), fc.double({ min: 0, max: 1, noNaN: true }).map((p) => required || p < keep), value);
      });
      // A stray key now and then, named as objects' inherited members are too.
      const strays = noise ? fc.option(fc.constantFrom('bogus', PROTO, 'constructor'), { nil: undefined, freq: 2 }) : fc.constant(undefined);
      return fc.tuple(fc.tuple(...fields), fc.boolean(), strays).map(([entries, reorder, stray]) => {
        const kept = entries.filter(([, keep]) => keep).map(([k, , v]): [string, unknown] => [k, v]);
        if (reorder) kept.reverse();
        if (stray !== undefined) kept.splice(kept.length >> 1, 0, [stray, { deeper: 1, labels: { x: 'y' } }]);
        return Object.fromEntries(kept);
      });
    }
    default:
      throw new Error(`no bodies for a ${def.type} schema`);
  }
}

/** Every object and array inside `v`. */
function containers(v: unknown, into = new Set<object>()): Set<object> {
  if (v !== null && typeof v === 'object') {
    into.add(v);
    for (const x of Object.values(v)) containers(x, into);
  }
  return into;
}

describe('decodeWithSchema', () => {
  it('keeps and drops what zod does, with the example of its doc comment', () => {
    const body = { kind: 'Pod', metadata: { labels: null }, spec: { containers: [{ name: 'a', image: 'x', bogus: true }] } };
    const got = decodeWithSchema(Pod, body);
    expect(got).toEqual({ object: { kind: 'Pod', metadata: {}, spec: { containers: [{ name: 'a', image: 'x' }] } }, unknown: ['spec.containers[0].bogus'] });
    expect(got).toEqual(reference(Pod, body));
  });

  it('writes the keys in the schema order, as zod does, whatever order they came in', () => {
    const body = { spec: { nodeName: 'node-1', containers: [{ image: 'x', name: 'a' }] }, metadata: { namespace: 'default', name: 'web' }, kind: 'Pod' };
    expect(JSON.stringify(decodeWithSchema(Pod, body)!.object)).toBe(JSON.stringify(reference(Pod, body)!.object));
    expect(Object.keys(decodeWithSchema(Pod, body)!.object)).toEqual(['kind', 'metadata', 'spec']);
  });

  it('leaves to zod a body that does not fit, or that holds what JSON would change', () => {
    expect(decodeWithSchema(Pod, { kind: 'Pod', spec: { containers: 'none' } })).toBeUndefined();
    expect(decodeWithSchema(Binding, { kind: 'Binding' })).toBeUndefined();
    expect(decodeWithSchema(Pod, { spec: { containers: [{ name: 'web', image: 'a', livenessProbe: { periodSeconds: NaN } }] } })).toBeUndefined();
    expect(decodeWithSchema(Pod, { spec: { containers: [undefined] } })).toBeUndefined();
    expect(decodeWithSchema(Pod, { metadata: { creationTimestamp: new Date(0) } })).toBeUndefined();
  });

  it('answers every body of every kind that fits, with what zod keeps and the unknown fields it would find', () => {
    for (const [kind, schema] of SCHEMAS) {
      fc.assert(
        fc.property(bodyOf(schema, false), (body) => {
          const got = decodeWithSchema(schema, body);
          const want = reference(schema, body);
          expect(want, `${kind}: a body made to fit does not`).toBeDefined();
          expect(got, `${kind}: the decoder left a body that fits to zod`).toBeDefined();
          expect(JSON.stringify(got!.object)).toBe(JSON.stringify(want!.object));
          expect(got!.unknown).toEqual(want!.unknown);
        }),
        { numRuns: 40 },
      );
    }
  });

  it('whenever it answers a body with wrong values, nulls and unknown keys, answers what zod does, and shares nothing with the body', () => {
    for (const [kind, schema] of SCHEMAS) {
      fc.assert(
        fc.property(bodyOf(schema, true), (body) => {
          const got = decodeWithSchema(schema, body);
          const want = reference(schema, body);
          if (!want) {
            expect(got, `${kind}: zod refuses what the decoder took`).toBeUndefined();
            return;
          }
          if (!got) return;
          expect(got.object).toEqual(want.object);
          expect(JSON.stringify(got.object)).toBe(JSON.stringify(want.object));
          expect(got.unknown).toEqual(want.unknown);
          const sent = containers(body);
          for (const part of containers(got.object)) expect(sent.has(part)).toBe(false);
        }),
        { numRuns: 60 },
      );
    }
  });
});
