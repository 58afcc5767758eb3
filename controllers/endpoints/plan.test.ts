import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import type { Endpoints, Service } from '../../api/schemas/service.js';
import { desiredSubsets, findPort, HEADLESS_LABEL, planEndpoints, TRIGGER_TIME_ANNOTATION, type EndpointsAction } from './plan.js';
import { lessAddress } from './repack.js';

const NS = 'default';

interface PodSpecArgs {
  name: string;
  labels?: Record<string, string>;
  ip?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  terminating?: boolean;
  ports?: Array<{ name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }>;
  node?: string;
}

function pod(a: PodSpecArgs): Pod {
  return {
    metadata: { name: a.name, namespace: NS, uid: `uid-${a.name}`, labels: a.labels ?? { app: 'web' }, ...(a.terminating ? { deletionTimestamp: '2026-11-21T10:00:30Z' } : {}) },
    spec: { nodeName: a.node ?? 'node-1', containers: [{ name: 'c', image: 'nginx', ports: a.ports ?? [{ name: 'http', containerPort: 8080 }] }] },
    status: {
      phase: a.phase ?? 'Running',
      ...(a.ip ? { podIP: a.ip } : {}),
      conditions: [{ type: 'Ready', status: a.ready === false ? 'False' : 'True' }],
    },
  };
}

function svc(spec: Service['spec'] = {}, labels: Record<string, string> = {}): Service {
  return {
    metadata: { name: 'web', namespace: NS, labels },
    spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
  };
}

const ref = (name: string) => ({ kind: 'Pod', namespace: NS, name, uid: `uid-${name}` });

/** Applies the plan to the world: the Endpoints that exists afterwards. */
function apply(actions: EndpointsAction[], current: Endpoints | undefined): Endpoints | undefined {
  let out = current;
  for (const a of actions) out = a.type === 'delete' ? undefined : { ...a.endpoints, metadata: { ...a.endpoints.metadata, resourceVersion: '7' } };
  return out;
}

describe('desiredSubsets (the doc example)', () => {
  it('lists ready pods as addresses and the others as notReadyAddresses, with the resolved target port', () => {
    const pods = [
      pod({ name: 'a', ip: '10.0.0.2' }),
      pod({ name: 'b', ip: '10.0.0.1', ready: false }),
      pod({ name: 'c', ip: '10.0.0.3', ports: [{ name: 'metrics', containerPort: 9090 }] }),
      pod({ name: 'd' }),
    ];
    expect(desiredSubsets(svc(), pods)).toEqual([
      {
        addresses: [{ ip: '10.0.0.2', nodeName: 'node-1', targetRef: ref('a') }],
        notReadyAddresses: [{ ip: '10.0.0.1', nodeName: 'node-1', targetRef: ref('b') }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('leaves out terminal and terminating pods, keeps terminating ones (as ready) with publishNotReadyAddresses', () => {
    const pods = [
      pod({ name: 'done', ip: '10.0.0.1', phase: 'Succeeded' }),
      pod({ name: 'failed', ip: '10.0.0.2', phase: 'Failed' }),
      pod({ name: 'going', ip: '10.0.0.3', terminating: true }),
      pod({ name: 'starting', ip: '10.0.0.4', ready: false }),
    ];
    expect(desiredSubsets(svc(), pods)).toEqual([{ notReadyAddresses: [{ ip: '10.0.0.4', nodeName: 'node-1', targetRef: ref('starting') }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
    const published = desiredSubsets(svc({ publishNotReadyAddresses: true }), pods);
    expect(published).toHaveLength(1);
    expect(published[0]!.addresses!.map((a) => a.targetRef?.name)).toEqual(['going', 'starting']);
    expect(published[0]!.notReadyAddresses).toBeUndefined();
  });

  it('groups pods by port: a pod without a named port is only in the subset of the ports it has', () => {
    const service = svc({ ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'admin', port: 81, targetPort: 9000, protocol: 'TCP' }] });
    const pods = [pod({ name: 'a', ip: '10.0.0.1' }), pod({ name: 'b', ip: '10.0.0.2', ports: [] })];
    const subsets = desiredSubsets(service, pods);
    const a = { ip: '10.0.0.1', nodeName: 'node-1', targetRef: ref('a') };
    const b = { ip: '10.0.0.2', nodeName: 'node-1', targetRef: ref('b') };
    expect(subsets).toHaveLength(2);
    expect(subsets).toContainEqual({ addresses: [a], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] });
    expect(subsets).toContainEqual({ addresses: [a, b], ports: [{ name: 'admin', port: 9000, protocol: 'TCP' }] });
  });

  it('lists the pods of a headless service without ports, and those of a ClusterIP service without ports not at all', () => {
    const pods = [pod({ name: 'a', ip: '10.0.0.1' })];
    expect(desiredSubsets(svc({ ports: [], clusterIP: 'None' }), pods)).toEqual([{ addresses: [{ ip: '10.0.0.1', nodeName: 'node-1', targetRef: ref('a') }] }]);
    expect(desiredSubsets(svc({ ports: [] }), pods)).toEqual([]);
  });

  it('matches a named port by protocol too, and sets the hostname of a pod in the service subdomain', () => {
    const p = pod({ name: 'a', ip: '10.0.0.1', ports: [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }] });
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' })).toBeUndefined();
    expect(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' })).toBe(5353);
    expect(findPort(p, { port: 53 })).toBe(53);
    const named: Pod = { ...p, spec: { ...p.spec!, hostname: 'a', subdomain: 'web' } };
    expect(desiredSubsets(svc({ ports: [], clusterIP: 'None' }), [named])[0]!.addresses![0]!.hostname).toBe('a');
  });
});

describe('planEndpoints', () => {
  const base = { namespace: NS, name: 'web' };

  it('cuts a service of more than 1000 pods to 1000 addresses, says so, and then plans nothing', () => {
    const many = Array.from({ length: 1005 }, (_, i) => pod({ name: `p${i}`, ip: `10.1.${Math.floor(i / 250)}.${i % 250}` }));
    const created = apply(planEndpoints({ ...base, service: svc(), pods: many, current: undefined }), undefined)!;
    expect(created.subsets?.[0]?.addresses).toHaveLength(1000);
    expect(created.metadata?.annotations?.['endpoints.kubernetes.io/over-capacity']).toBe('truncated');
    expect(planEndpoints({ ...base, service: svc(), pods: many, current: created })).toEqual([]);
    const [shrunk] = planEndpoints({ ...base, service: svc(), pods: many.slice(0, 10), current: created });
    expect((shrunk as { endpoints: Endpoints }).endpoints.metadata?.annotations).toBeUndefined();
  });

  it('creates the Endpoints with the service labels, headless label and trigger time', () => {
    const [action] = planEndpoints({ ...base, service: svc({ clusterIP: 'None' }, { team: 'a' }), pods: [], current: undefined, triggerTime: '2026-11-21T10:00:00Z' });
    expect(action).toEqual({
      type: 'create',
      endpoints: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'web', namespace: NS, labels: { team: 'a', [HEADLESS_LABEL]: '' }, annotations: { [TRIGGER_TIME_ANNOTATION]: '2026-11-21T10:00:00Z' } },
        subsets: [],
      },
    });
  });

  it('leaves the Endpoints of a service without a selector alone, and deletes the one of a service that is gone', () => {
    const manual: Endpoints = { metadata: { name: 'web', namespace: NS }, subsets: [{ addresses: [{ ip: '1.2.3.4' }] }] };
    expect(planEndpoints({ ...base, service: svc({ selector: undefined }), pods: [], current: manual })).toEqual([]);
    expect(planEndpoints({ ...base, service: undefined, pods: [], current: manual })).toEqual([{ type: 'delete', namespace: NS, name: 'web' }]);
  });

  it('updates when a pod turns ready, keeping other annotations and clearing a stale trigger time', () => {
    const service = svc();
    const starting = pod({ name: 'a', ip: '10.0.0.1', ready: false });
    const current = apply(planEndpoints({ ...base, service, pods: [starting], current: undefined, triggerTime: '2026-11-21T10:00:00Z' }), undefined)!;
    current.metadata!.annotations = { ...current.metadata!.annotations, 'example.com/note': 'kept' };
    const [action] = planEndpoints({ ...base, service, pods: [pod({ name: 'a', ip: '10.0.0.1' })], current });
    expect(action?.type).toBe('update');
    const next = (action as { endpoints: Endpoints }).endpoints;
    expect(next.metadata?.resourceVersion).toBe('7');
    expect(next.metadata?.annotations).toEqual({ 'example.com/note': 'kept' });
    expect(next.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1']);
  });

  it('writes when only the service labels changed', () => {
    const current = apply(planEndpoints({ ...base, service: svc(), pods: [], current: undefined }), undefined);
    expect(planEndpoints({ ...base, service: svc({}, { tier: 'front' }), pods: [], current })).toMatchObject([{ type: 'update', endpoints: { metadata: { labels: { tier: 'front' } } } }]);
  });
});

// ---- properties -------------------------------------------------------------------------------

const arbPod = (i: number) =>
  fc.record({
    labels: fc.constantFrom<Record<string, string>>({ app: 'web' }, { app: 'web', v: '2' }, { app: 'api' }, {}),
    ip: fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.1.10', '10.0.0.9', '192.168.0.1'), { nil: undefined }),
    ready: fc.boolean(),
    phase: fc.constantFrom('Pending', 'Running', 'Running', 'Succeeded', 'Failed') as fc.Arbitrary<PodSpecArgs['phase']>,
    terminating: fc.boolean(),
    ports: fc.subarray([
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' as const },
    ]),
    node: fc.constantFrom('node-1', 'node-2'),
  }).map((a) => pod({ ...a, name: `p${i}` }));

const arbPods = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbPod(i))));

const arbService = fc
  .record({
    ports: fc.subarray([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' as const },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' as const },
      { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' as const },
      { name: 'fixed', port: 443, targetPort: 8443, protocol: 'TCP' as const },
    ]),
    publishNotReadyAddresses: fc.boolean(),
    clusterIP: fc.constantFrom('10.96.0.10', 'None'),
  })
  .map((spec) => svc(spec));

/** Every (pod, port, ready) the rules call for, written out independently of the planner. */
function expectedMembers(service: Service, pods: Pod[]): string[] {
  const spec = service.spec!;
  const out: string[] = [];
  for (const p of pods) {
    if (p.metadata?.labels?.app !== 'web') continue;
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' || !p.status?.podIP) continue;
    if (p.metadata.deletionTimestamp && !spec.publishNotReadyAddresses) continue;
    const ready = spec.publishNotReadyAddresses || p.status.conditions?.[0]?.status === 'True';
    const ports = spec.ports ?? [];
    if (ports.length === 0 && spec.clusterIP === 'None') out.push(`${p.metadata.name} - ${ready}`);
    for (const sp of ports) {
      const number = typeof sp.targetPort === 'number' ? sp.targetPort : p.spec?.containers[0]?.ports?.find((c) => c.name === sp.targetPort && (c.protocol ?? 'TCP') === sp.protocol)?.containerPort;
      if (number !== undefined) out.push(`${p.metadata.name} ${sp.name}:${number} ${ready}`);
    }
  }
  return out.sort();
}

function actualMembers(subsets: NonNullable<Endpoints['subsets']>): string[] {
  const out: string[] = [];
  for (const s of subsets) {
    for (const [list, ready] of [[s.addresses ?? [], true], [s.notReadyAddresses ?? [], false]] as const) {
      for (const a of list) {
        if (!s.ports) out.push(`${a.targetRef?.name} - ${ready}`);
        for (const p of s.ports ?? []) out.push(`${a.targetRef?.name} ${p.name}:${p.port} ${ready}`);
      }
    }
  }
  return out.sort();
}

describe('desiredSubsets properties', () => {
  it('lists exactly the pods and ports the rules call for, each ready or not ready as the rules say', () => {
    fc.assert(
      fc.property(arbService, arbPods, (service, pods) => {
        expect(actualMembers(desiredSubsets(service, pods))).toEqual(expectedMembers(service, pods));
      }),
    );
  });

  it('never lists a pod both as an address and as a not-ready address', () => {
    fc.assert(
      fc.property(arbService, arbPods, (service, pods) => {
        const subsets = desiredSubsets(service, pods);
        const ready = new Set(subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.targetRef?.uid)));
        const notReady = new Set(subsets.flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.targetRef?.uid)));
        for (const uid of ready) expect(notReady.has(uid)).toBe(false);
      }),
    );
  });

  it('is canonical: any order of the pods gives the same subsets, addresses sorted by IP, one subset per port set', () => {
    fc.assert(
      fc.property(arbService, arbPods.chain((pods) => fc.tuple(fc.constant(pods), fc.shuffledSubarray(pods, { minLength: pods.length }))), (service, [pods, shuffled]) => {
        const subsets = desiredSubsets(service, pods);
        expect(desiredSubsets(service, shuffled)).toEqual(subsets);
        for (const s of subsets) {
          for (const list of [s.addresses ?? [], s.notReadyAddresses ?? []]) {
            for (let i = 1; i < list.length; i++) expect(lessAddress(list[i - 1]!, list[i]!)).toBeLessThan(0);
          }
        }
        const portSets = subsets.map((s) => JSON.stringify((s.ports ?? []).map((p) => p.name).sort()));
        const addressSets = subsets.map((s) => JSON.stringify([s.addresses, s.notReadyAddresses]));
        expect(new Set(addressSets).size).toBe(subsets.length);
        expect(portSets.length).toBe(subsets.length);
      }),
    );
  });
});

describe('planEndpoints properties', () => {
  it('converges in one step and then plans nothing, from any earlier Endpoints', () => {
    fc.assert(
      fc.property(arbService, arbPods, arbPods, fc.boolean(), (service, before, after, existed) => {
        const key = { namespace: NS, name: 'web' };
        const earlier = existed ? apply(planEndpoints({ ...key, service, pods: before, current: undefined }), undefined) : undefined;
        const now = apply(planEndpoints({ ...key, service, pods: after, current: earlier, triggerTime: '2026-11-21T10:00:00Z' }), earlier)!;
        expect(now.subsets).toEqual(desiredSubsets(service, after));
        expect(planEndpoints({ ...key, service, pods: after, current: now })).toEqual([]);
        expect(planEndpoints({ ...key, service, pods: [...after].reverse(), current: now })).toEqual([]);
      }),
    );
  });
});
