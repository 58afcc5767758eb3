import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/client.js';
import { resolveResource } from '../../api/resources.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { validateNodeResources, type NodeStatusResources } from './resources.js';

const nodes = resolveResource('nodes')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const errors = (status: NodeStatusResources | undefined) => validateNodeResources(status).map((e) => `${e.field}: ${e.message}`);

describe("a node's capacity and allocatable, by upstream's ValidateNodeResources", () => {
  it('gives the example of its doc comment', () => {
    expect(errors({ capacity: { cpu: '-1', pods: '1500m' } })).toEqual([
      'status.capacity.cpu: Invalid value: -1: must be greater than or equal to 0',
      'status.capacity.pods: Invalid value: 1500m: must be an integer',
    ]);
  });

  it('takes what a kubelet reports, fractions of divisible resources included', () => {
    const status = { capacity: { cpu: '4', memory: '8Gi', pods: '110', 'hugepages-2Mi': '0', 'example.com/gpu': '2' }, allocatable: { cpu: '3900m', memory: '7.5Gi', pods: 110 } };
    expect(errors(status)).toEqual([]);
    expect(errors(undefined)).toEqual([]);
  });

  it('holds extended resources to whole units, and huge pages to one pre-allocated size', () => {
    expect(errors({ allocatable: { 'example.com/gpu': '0.5' } })).toEqual(['status.allocatable.example.com/gpu: Invalid value: 500m: must be an integer']);
    expect(errors({ capacity: { 'hugepages-2Mi': '4Mi', 'hugepages-1Gi': '1Gi', memory: '8Gi' } })).toEqual([
      'status.capacity.hugepages-1Gi: Invalid value: 1Gi: may not have pre-allocated hugepages for multiple page sizes',
      'status.capacity.memory: Invalid value: 8Gi: may not have pre-allocated hugepages for multiple page sizes',
    ]);
    // One size in capacity and another in allocatable are checked apart, as upstream does.
    expect(errors({ capacity: { 'hugepages-2Mi': '4Mi' }, allocatable: { 'hugepages-1Gi': '1Gi' } })).toEqual([]);
  });

  it('refuses a quantity that is not one', () => {
    expect(errors({ capacity: { cpu: 'four' } })).toEqual([expect.stringMatching(/^status\.capacity\.cpu: Invalid value: "four": /)]);
  });

  it('refuses such a node on create and on a status update, and keeps what it had', async () => {
    const { client } = await inProcessApi(cleanups);
    const node = (capacity: Record<string, string>): KubeObject => ({ metadata: { name: 'n1' }, status: { capacity } });
    await expect(client.create(nodes, undefined, node({ cpu: '-2' }))).rejects.toMatchObject({
      code: 422,
      status: { message: 'Node "n1" is invalid: status.capacity.cpu: Invalid value: -2: must be greater than or equal to 0' },
    });
    const made = await client.create(nodes, undefined, node({ cpu: '4', pods: '110' }));
    const bad = { ...made, status: { capacity: { cpu: '4', pods: '110.5' } } };
    await expect(client.updateStatus(nodes, undefined, bad)).rejects.toMatchObject({ code: 422 });
    expect((await client.get(nodes, undefined, 'n1')).status).toEqual({ capacity: { cpu: '4', pods: '110' } });
  });
});
