import { afterEach, describe, expect, it } from 'vitest';
import { ApiClientError } from '../../api/client.js';
import { resolveResource } from '../../api/resources.js';
import type { EndpointSlice } from '../../api/schemas/discovery.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import type { KubeObject } from '../watch-cache.js';
import { endpointSliceStrategy } from './endpoint-slice.js';

const slices = resolveResource('endpointslices')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const slice = (over: Partial<EndpointSlice> = {}): EndpointSlice => ({
  metadata: { name: 'web-abcde', namespace: 'default' },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 8080 }],
  ...over,
});

const fields = (obj: EndpointSlice, old?: EndpointSlice) => endpointSliceStrategy.validate(obj as unknown as KubeObject, old as unknown as KubeObject | undefined).map((e) => `${e.field}: ${e.reason}`);

describe('endpointSliceStrategy', () => {
  it('gives every port a name and a protocol, which readers take for granted', () => {
    const s = slice({ ports: [{ port: 53 }] });
    endpointSliceStrategy.default(s as unknown as KubeObject);
    expect(s.ports).toEqual([{ port: 53, name: '', protocol: 'TCP' }]);
  });

  it('names every bad field: no address, a bad IPv4, a bad hostname, a repeated port name, a changed addressType', () => {
    expect(fields(slice())).toEqual([]);
    const bad = slice({
      endpoints: [{ addresses: [] }, { addresses: ['10.0.0.300'], hostname: 'Not_A_Label' }],
      ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }],
    });
    expect(fields(bad)).toEqual([
      'endpoints[0].addresses: FieldValueRequired',
      'endpoints[1].addresses[0]: FieldValueInvalid',
      'endpoints[1].hostname: FieldValueInvalid',
      'ports[1].name: FieldValueDuplicate',
    ]);
    expect(fields(slice({ addressType: 'IPv6', endpoints: [] }), slice())).toEqual(['addressType: FieldValueInvalid']);
    expect(fields(slice({ endpoints: Array.from({ length: 1001 }, (_, i) => ({ addresses: [`10.0.${i >> 8}.${i & 255}`] })) }))).toEqual(['endpoints: FieldValueTooMany']);
  });

  it('is served: a bad slice is a 422 that changes nothing, a good one is stored with its defaults', async () => {
    const { client } = await inProcessApi(cleanups);
    const err = await client.create(slices, 'default', slice({ endpoints: [{ addresses: [] }] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiClientError);
    expect((err as ApiClientError).code).toBe(422);
    expect((await client.list(slices, 'default')).items).toEqual([]);
    const created = await client.create<EndpointSlice>(slices, 'default', slice({ ports: [{ port: 53, protocol: 'UDP' }] }));
    expect(created.ports).toEqual([{ port: 53, protocol: 'UDP', name: '' }]);
  });
});
