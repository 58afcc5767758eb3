import { describe, expect, it } from 'vitest';
import { claimChanges, refusedClaims, type HeldValues } from './allocator.js';
import { DEFAULT_SERVICE_RANGES, POOLS, ServiceAllocator } from './service-allocator.js';
import { cidrRange, inRange, ipv4ToInt } from './service-ranges.js';
import type { KubeObject } from './watch-cache.js';

/** Pools as the store would hold them: pool prefix -> held values. */
function pools(held: Record<string, string[]> = {}): HeldValues {
  return async (pool) => new Set(held[pool] ?? []);
}

const svc = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: 's', namespace: 'default' },
  spec: { ports: [{ port: 80, protocol: 'TCP' }], ...spec },
  ...(status ? { status } : {}),
});

type Spec = { clusterIP?: string; clusterIPs?: string[]; ipFamilies?: string[]; ipFamilyPolicy?: string; ports: Array<{ nodePort?: number }> };
const spec = (o: KubeObject) => o.spec as Spec;

describe('ServiceAllocator', () => {
  const allocator = () => new ServiceAllocator(DEFAULT_SERVICE_RANGES, Math.random);

  async function create(a: ServiceAllocator, o: KubeObject, held = pools()) {
    a.prepare(o, undefined);
    const filled = await a.fill(o, undefined, held);
    return { ...filled, claims: a.claims(o).map((c) => c.key) };
  }

  it('does the doc example: a NodePort service gets a cluster IP, IP families and a node port, and holds both', async () => {
    const o = svc({ type: 'NodePort' });
    const { picked, errors, claims } = await create(allocator(), o);
    const s = spec(o);
    expect(errors).toEqual([]);
    expect(inRange(cidrRange('10.96.0.0/12'), ipv4ToInt(s.clusterIP!)!)).toBe(true);
    expect(s).toMatchObject({ clusterIPs: [s.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    expect(s.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(s.ports[0]!.nodePort).toBeLessThanOrEqual(32767);
    expect(claims).toEqual([POOLS.clusterIP + s.clusterIP, POOLS.nodePort + s.ports[0]!.nodePort]);
    expect([...picked].sort()).toEqual([...claims].sort());
  });

  it('picks around held values, and leaves the values a user chose to the store to arbitrate', async () => {
    // A /29 hands out .1-.6; with all but .5 held, .5 it is.
    const a = new ServiceAllocator({ ...DEFAULT_SERVICE_RANGES, serviceCidr: '10.96.0.0/29' }, Math.random);
    const o = svc({});
    await create(a, o, pools({ [POOLS.clusterIP]: ['10.96.0.1', '10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.6'] }));
    expect(spec(o).clusterIP).toBe('10.96.0.5');
    const chosen = svc({ clusterIP: '10.96.0.1' });
    const { picked, errors } = await create(a, chosen, pools({ [POOLS.clusterIP]: ['10.96.0.1'] }));
    expect([picked.size, errors]).toEqual([0, []]);
  });

  it('answers a full range with a 500, as upstream does', async () => {
    const a = new ServiceAllocator({ ...DEFAULT_SERVICE_RANGES, nodePortRange: '30000-30001' }, Math.random);
    await expect(create(a, svc({ type: 'NodePort' }), pools({ [POOLS.nodePort]: ['30000', '30001'] }))).rejects.toMatchObject({
      code: 500,
      message: 'Internal error occurred: failed to allocate a nodePort: range is full',
    });
  });

  it('refuses chosen values out of range with upstream’s messages', async () => {
    const { errors } = await create(allocator(), svc({ type: 'NodePort', clusterIP: '10.0.0.10', ports: [{ port: 80, nodePort: 8080 }] }));
    expect(errors.map((e) => `${e.field}: ${e.message}`)).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP 10.0.0.10: provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12',
      'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
  });

  it('gives headless and ExternalName services no IP', async () => {
    const headless = svc({ clusterIP: 'None' });
    expect((await create(allocator(), headless)).claims).toEqual([]);
    expect(spec(headless)).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], ipFamilies: ['IPv4'] });
    const external = svc({ type: 'ExternalName', externalName: 'db.example.com' });
    expect((await create(allocator(), external)).claims).toEqual([]);
    expect(spec(external).clusterIP).toBeUndefined();
    expect(spec(external).ipFamilies).toBeUndefined();
  });

  it('gives a LoadBalancer a node port and an ingress IP from its own range', async () => {
    const o = svc({ type: 'LoadBalancer' });
    const { claims } = await create(allocator(), o);
    const ip = (o.status as { loadBalancer: { ingress: Array<{ ip: string }> } }).loadBalancer.ingress[0]!.ip;
    expect(inRange(cidrRange('172.18.0.0/16'), ipv4ToInt(ip)!)).toBe(true);
    expect(claims).toContain(POOLS.loadBalancerIP + ip);
    expect(claims).toHaveLength(3);
  });

  it('shares one node port between a TCP and a UDP port as one claim', async () => {
    const o = svc({ type: 'NodePort', ports: [{ name: 'a', port: 53, protocol: 'TCP', nodePort: 30053 }, { name: 'b', port: 53, protocol: 'UDP', nodePort: 30053 }] });
    expect((await create(allocator(), o)).claims.filter((k) => k.startsWith(POOLS.nodePort))).toEqual([POOLS.nodePort + '30053']);
  });

  describe('on update', () => {
    async function update(a: ServiceAllocator, old: KubeObject, next: KubeObject) {
      a.prepare(next, old);
      const { picked } = await a.fill(next, old, pools());
      return claimChanges(a, old, next, picked);
    }

    it('keeps allocated values an update left out, and node ports by port name', async () => {
      const a = allocator();
      const old = svc({ type: 'NodePort', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ name: 'web', port: 80, nodePort: 30080 }] });
      const next = svc({ type: 'NodePort', ports: [{ name: 'web', port: 8080 }] });
      const changes = await update(a, old, next);
      expect(spec(next)).toMatchObject({ clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ nodePort: 30080 }] });
      expect([changes.claim, changes.release]).toEqual([[], []]);
    });

    it('claims node ports going ClusterIP -> NodePort, and releases them going back', async () => {
      const a = allocator();
      const plain = svc({ type: 'ClusterIP', clusterIP: '10.96.0.20' });
      const nodePort = svc({ type: 'NodePort', clusterIP: '10.96.0.20' });
      const up = await update(a, plain, nodePort);
      const np = spec(nodePort).ports[0]!.nodePort!;
      expect(up.claim.map((c) => c.key)).toEqual([POOLS.nodePort + np]);
      // What `kubectl patch -p '{"spec":{"type":"ClusterIP"}}'` sends: the node port still in it.
      const back = structuredClone(nodePort);
      (back.spec as { type: string }).type = 'ClusterIP';
      const down = await update(a, nodePort, back);
      expect(spec(back).ports[0]!.nodePort).toBeUndefined();
      expect([down.claim, down.release]).toEqual([[], [POOLS.nodePort + np]]);
    });

    it('releases the cluster IP going to ExternalName, and a LoadBalancer’s IP when it stops being one', async () => {
      const a = allocator();
      const lb = svc({ type: 'LoadBalancer', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '172.18.0.9' }] } });
      const plain = structuredClone(lb);
      (plain.spec as { type: string }).type = 'ClusterIP';
      const down = await update(a, lb, plain);
      expect(plain.status).toEqual({});
      expect(down.release.sort()).toEqual([POOLS.loadBalancerIP + '172.18.0.9', POOLS.nodePort + '30080']);
      const ext = structuredClone(plain);
      Object.assign(ext.spec as object, { type: 'ExternalName', externalName: 'x.example.com' });
      expect((await update(a, plain, ext)).release).toEqual([POOLS.clusterIP + '10.96.0.30']);
    });
  });

  it('does the claimChanges doc example: a value held before and after is neither claimed nor released', () => {
    const a = allocator();
    const before = svc({ type: 'ClusterIP', clusterIP: '10.96.0.12' });
    const after = svc({ type: 'NodePort', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 30080 }] });
    const c = claimChanges(a, before, after, new Set());
    expect([c.claim.map((x) => x.key), c.release]).toEqual([[POOLS.nodePort + '30080'], []]);
  });

  it('refuses only chosen values that were taken; picked ones are picked again', () => {
    const a = allocator();
    const o = svc({ type: 'NodePort', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080 }] });
    const changes = claimChanges(a, undefined, o, new Set([POOLS.nodePort + '30080']));
    expect(refusedClaims(changes, [POOLS.nodePort + '30080'])).toEqual([]);
    expect(refusedClaims(changes, [POOLS.clusterIP + '10.96.0.10'])).toEqual([
      {
        field: 'spec.clusterIPs',
        reason: 'FieldValueInvalid',
        message: 'Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
      },
    ]);
  });
});
