import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../api/schemas/discovery.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';
import { CONTROLLER_NAME, MANAGED_BY_LABEL, planSlices, SERVICE_NAME_LABEL, type SliceAction } from './plan.js';

const NS = 'default';

interface PodArgs {
  name: string;
  app?: string;
  ip?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  terminating?: boolean;
  /** The container's port named http; without one, the service's named target port does not resolve. */
  http?: number;
}

function pod(a: PodArgs): Pod {
  return {
    metadata: { name: a.name, namespace: NS, uid: `uid-${a.name}`, labels: { app: a.app ?? 'web' }, ...(a.terminating ? { deletionTimestamp: '2026-11-21T10:00:30Z' } : {}) },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports: a.http === undefined ? [] : [{ name: 'http', containerPort: a.http }] }] },
    status: { phase: a.phase ?? 'Running', ...(a.ip ? { podIP: a.ip } : {}), conditions: [{ type: 'Ready', status: a.ready === false ? 'False' : 'True' }] },
  };
}

const service: Service = {
  metadata: { name: 'web', namespace: NS, uid: 'uid-svc', labels: { team: 'blue' } },
  spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};

/** Applies a plan as the API server would: created slices get a name and every write a new version. */
function apply(slices: EndpointSlice[], actions: SliceAction[], serial: { n: number }): EndpointSlice[] {
  const out = new Map(slices.map((s) => [s.metadata!.name!, s]));
  for (const a of actions) {
    if (a.type === 'delete') {
      expect(out.has(a.name), `delete of ${a.name}, which does not exist`).toBe(true);
      out.delete(a.name);
      continue;
    }
    const name = a.type === 'create' ? `${a.slice.metadata!.generateName}${String(++serial.n).padStart(5, '0')}` : a.slice.metadata!.name!;
    if (a.type === 'update') expect(out.has(name), `update of ${name}, which does not exist`).toBe(true);
    out.set(name, { ...a.slice, metadata: { ...a.slice.metadata, name, resourceVersion: String(++serial.n) } });
  }
  return [...out.values()];
}

const addressesOf = (slices: EndpointSlice[]) => slices.flatMap((s) => s.endpoints.map((e) => e.addresses[0]!)).sort();

describe('planSlices', () => {
  it('creates one slice for the selected pods, with their conditions, the resolved port and the labels readers select by', () => {
    const actions = planSlices({
      service,
      pods: [pod({ name: 'a', ip: '10.0.0.2', http: 8080 }), pod({ name: 'b', ip: '10.0.0.3', http: 8080, ready: false }), pod({ name: 'c', ip: '10.0.0.4', http: 8080, terminating: true }), pod({ name: 'other', app: 'db', ip: '10.0.0.9', http: 8080 })],
      slices: [],
    });
    expect(actions).toHaveLength(1);
    const slice = (actions[0] as { slice: EndpointSlice }).slice;
    expect(slice).toMatchObject({
      addressType: 'IPv4',
      metadata: {
        generateName: 'web-',
        labels: { team: 'blue', [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: CONTROLLER_NAME },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'uid-svc', controller: true, blockOwnerDeletion: true }],
      },
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    });
    expect(slice.endpoints.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.0.0.2', { ready: true, serving: true, terminating: false }],
      ['10.0.0.3', { ready: false, serving: false, terminating: false }],
      ['10.0.0.4', { ready: false, serving: true, terminating: true }],
    ]);
    expect(slice.endpoints[0]).toMatchObject({ nodeName: 'node-1', targetRef: { kind: 'Pod', namespace: NS, name: 'a', uid: 'uid-a' } });
  });

  it('keeps one empty placeholder slice while no pod is an endpoint, and replaces it once one is', () => {
    const serial = { n: 0 };
    const none = apply([], planSlices({ service, pods: [pod({ name: 'a' }), pod({ name: 'done', ip: '10.0.0.1', phase: 'Succeeded', http: 80 })], slices: [] }), serial);
    expect(none).toHaveLength(1);
    expect(none[0]).toMatchObject({ endpoints: [], ports: [] });
    expect(planSlices({ service, pods: [], slices: none })).toEqual([]);
    const some = apply(none, planSlices({ service, pods: [pod({ name: 'a', ip: '10.0.0.2', http: 8080 })], slices: none }), serial);
    expect(some).toHaveLength(1);
    expect(addressesOf(some)).toEqual(['10.0.0.2']);
  });

  it('gives pods whose ports resolve differently slices of their own', () => {
    const slices = apply([], planSlices({ service, pods: [pod({ name: 'a', ip: '10.0.0.2', http: 8080 }), pod({ name: 'b', ip: '10.0.0.3', http: 9090 }), pod({ name: 'c', ip: '10.0.0.4' })], slices: [] }), { n: 0 });
    expect(slices.map((s) => [(s.ports ?? []).map((p) => p.port), addressesOf([s])]).sort()).toEqual([
      [[], ['10.0.0.4']],
      [[8080], ['10.0.0.2']],
      [[9090], ['10.0.0.3']],
    ]);
  });

  it('leaves a service without a selector alone', () => {
    expect(planSlices({ service: { ...service, spec: { ...service.spec, selector: {} } }, pods: [pod({ name: 'a', ip: '10.0.0.2', http: 80 })], slices: [] })).toEqual([]);
  });

  const world = fc.array(
    fc.record({
      ip: fc.integer({ min: 1, max: 250 }),
      ready: fc.boolean(),
      phase: fc.constantFrom('Pending', 'Running', 'Running', 'Succeeded') as fc.Arbitrary<PodArgs['phase']>,
      terminating: fc.boolean(),
      selected: fc.boolean(),
      http: fc.option(fc.constantFrom(8080, 9090), { nil: undefined }),
      hasIp: fc.boolean(),
    }),
    { maxLength: 40 },
  );
  type Drawn = { ip: number; ready: boolean; phase: PodArgs['phase']; terminating: boolean; selected: boolean; http: number | undefined; hasIp: boolean };
  const podsOf = (w: Drawn[]) =>
    w.map((p, i) => pod({ name: `p${i}`, app: p.selected ? 'web' : 'db', ...(p.hasIp ? { ip: `10.0.${i}.${p.ip}` } : {}), ready: p.ready, phase: p.phase, terminating: p.terminating, ...(p.http ? { http: p.http } : {}) }));
  const eligible = (pods: Pod[]) =>
    pods.filter((p) => p.metadata!.labels!.app === 'web' && p.status!.podIP && p.status!.phase !== 'Succeeded' && p.status!.phase !== 'Failed').map((p) => p.status!.podIP!).sort();

  it('converges from any slices it made before to exactly the eligible pods, once each, at most max to a slice, then plans nothing', () => {
    fc.assert(
      fc.property(world, world, fc.integer({ min: 1, max: 7 }), (before, after, max) => {
        const serial = { n: 0 };
        const first = apply([], planSlices({ service, pods: podsOf(before), slices: [], maxEndpointsPerSlice: max }), serial);
        const pods = podsOf(after);
        const slices = apply(first, planSlices({ service, pods, slices: first, maxEndpointsPerSlice: max }), serial);
        expect(addressesOf(slices)).toEqual(eligible(pods));
        for (const s of slices) expect(s.endpoints.length).toBeLessThanOrEqual(max);
        // The port set of a slice is that of every pod in it.
        for (const s of slices) {
          for (const e of s.endpoints) {
            const p = pods.find((x) => x.metadata!.uid === e.targetRef!.uid)!;
            expect((s.ports ?? []).map((x) => x.port)).toEqual(p.spec!.containers[0]!.ports!.map((x) => x.containerPort));
          }
        }
        expect(slices.length === 0 ? 'none' : 'some').toBe('some');
        expect(planSlices({ service, pods, slices, maxEndpointsPerSlice: max })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('rewrites only the slice that held a pod that went', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (count, max, pick) => {
        const serial = { n: 0 };
        const pods = Array.from({ length: count }, (_, i) => pod({ name: `p${i}`, ip: `10.0.0.${i + 1}`, http: 8080 }));
        const slices = apply([], planSlices({ service, pods, slices: [], maxEndpointsPerSlice: max }), serial);
        const gone = pods[pick % count]!;
        const actions = planSlices({ service, pods: pods.filter((p) => p !== gone), slices, maxEndpointsPerSlice: max });
        expect(actions).toHaveLength(1);
        const held = slices.find((s) => s.endpoints.some((e) => e.targetRef?.uid === gone.metadata!.uid))!;
        expect(actions[0]!.type === 'delete' ? actions[0]!.name : (actions[0] as { slice: EndpointSlice }).slice.metadata!.name).toBe(held.metadata!.name);
      }),
    );
  });
});
