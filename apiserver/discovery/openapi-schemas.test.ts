import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openapiSchemas } from './openapi-schemas.js';

const Port = z.object({ port: z.number().int().describe('The port.'), target: z.union([z.number().int(), z.string()]).optional() }).describe('A port.');
const Service = z.object({ ports: z.array(Port).optional(), main: Port.describe('The main port.') });

describe('openapiSchemas', () => {
  it('names each schema and refers to it by $ref, keeping descriptions', () => {
    const schemas = openapiSchemas(new Map<z.ZodType, string>([[Service, 'x.Service'], [Port, 'x.Port']]));
    expect(schemas['x.Service']).toStrictEqual({
      type: 'object',
      properties: {
        ports: { type: 'array', items: { $ref: '#/components/schemas/x.Port' } },
        main: { description: 'The main port.', allOf: [{ $ref: '#/components/schemas/x.Port' }] },
      },
      required: ['main'],
    });
    expect(schemas['x.Port']).toStrictEqual({
      description: 'A port.',
      type: 'object',
      properties: {
        port: { type: 'integer', description: 'The port.' },
        target: { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' }] },
      },
      required: ['port'],
    });
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ 'x-kubernetes-int-or-string': true });
  });

  it('names an unnamed recursive schema too, so every $ref resolves', () => {
    const Node: z.ZodType = z.object({ name: z.string(), next: z.lazy(() => Node).optional() });
    const Holder = z.object({ head: Node });
    const schemas = openapiSchemas(new Map<z.ZodType, string>([[Holder, 'x.Holder']]));
    const refs = JSON.stringify(schemas).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(Object.keys(schemas).map((n) => `"$ref":"#/components/schemas/${n}"`)).toContain(r);
  });

  it('keeps fields whose names are JSON Schema keywords', () => {
    const Odd = z.object({ $id: z.string(), minimum: z.number().int(), additionalProperties: z.boolean() });
    const schemas = openapiSchemas(new Map<z.ZodType, string>([[Odd, 'x.Odd']]));
    expect(Object.keys((schemas['x.Odd'] as { properties: object }).properties)).toStrictEqual(['$id', 'minimum', 'additionalProperties']);
  });
});
