import { z } from 'zod';

/** An OpenAPI 3.0 schema object, as JSON. */
export type SchemaObject = { [key: string]: unknown };

export const REF_PREFIX = '#/components/schemas/';

/**
 * OpenAPI 3.0 component schemas from zod schemas, one per entry of `names`, each referring to the
 * others by `$ref` (`{"allOf":[{"$ref":"#/components/schemas/..."}]}` where a field adds its own
 * description, as the API server writes it). Descriptions come from the schemas' `.describe()`.
 *
 * Then made to read as the API server's own schemas: objects stay open (the server, not the schema,
 * decides what an unknown field means), integers lose zod's safe-integer bounds, and a union of
 * integer and string refers to `io.k8s.apimachinery.pkg.util.intstr.IntOrString`.
 */
export function openapiSchemas(names: ReadonlyMap<z.ZodType, string>): Record<string, SchemaObject> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of names) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'openapi-3.0',
    uri: (id) => REF_PREFIX + id,
    // z.unknown() and the like become {}: any value.
    unrepresentable: 'any',
  }) as { schemas: Record<string, SchemaObject> };

  // Unnamed schemas zod had to extract (a recursive one) arrive under "__shared"; name them too.
  const out: Record<string, SchemaObject> = {};
  const { __shared: shared, ...named } = schemas;
  const sharedDefs = (shared?.definitions ?? {}) as Record<string, SchemaObject>;
  for (const [id, schema] of Object.entries(sharedDefs)) out[`${SHARED}${id}`] = schema;
  Object.assign(out, named);
  for (const [id, schema] of Object.entries(out)) out[id] = tidy(schema) as SchemaObject;
  if (JSON.stringify(out).includes(INT_OR_STRING_REF)) out[INT_OR_STRING] = INT_OR_STRING_SCHEMA;
  return out;
}

const SHARED = 'minik.shared.';
const SHARED_REF = `${REF_PREFIX}__shared#/definitions/`;

// A field that takes a number or a string refers to one named schema, so that `kubectl explain`
// shows it as <IntOrString> rather than <Object>.
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const INT_OR_STRING_REF = REF_PREFIX + INT_OR_STRING;
const INT_OR_STRING_SCHEMA: SchemaObject = {
  description: 'An integer or a string, such as a port number or name, or a count or percentage.',
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  'x-kubernetes-int-or-string': true,
};

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (node === null || typeof node !== 'object') return node;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$id') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(SHARED_REF)) {
      out[key] = REF_PREFIX + SHARED + value.slice(SHARED_REF.length);
      continue;
    }
    // The keys of `properties` are field names, not keywords: tidy each field's schema only.
    out[key] = key === 'properties' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([f, v]) => [f, tidy(v)])) : tidy(value);
  }
  if (isIntOrString(out)) {
    const { anyOf: _, ...rest } = out;
    return { ...rest, allOf: [{ $ref: INT_OR_STRING_REF }] };
  }
  return out;
}

function isIntOrString(s: SchemaObject): boolean {
  const types = Array.isArray(s.anyOf) ? s.anyOf.map((o) => (o as SchemaObject).type) : [];
  return types.length === 2 && types.includes('integer') && types.includes('string');
}
