import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, isNotFound, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { NodeSim } from './node-sim.js';
import { inProcessApi } from '../test/support/in-process-api.js';

const podsR = resolveResource('pods')!;
const nodesR = resolveResource('nodes')!;
const leasesR = resolveResource('leases')!;
const eventsR = resolveResource('events')!;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Speed 100: pod-running's 1-1.5 s takes 10-15 ms, a heartbeat 100 ms.
async function cluster(nodes = 2) {
  const { client } = await inProcessApi(cleanups);
  const transitions: string[] = [];
  const start = async () => {
    const sim = new NodeSim({ client, nodes, cpu: '4', memory: '8Gi', maxPods: 110, speed: 100, onTransition: (s) => transitions.push(s) });
    cleanups.push(() => sim.stop());
    await sim.start();
    return sim;
  };
  return { client, sim: await start(), transitions, restart: start };
}

type Pod = KubeObject & {
  spec?: { nodeName?: string };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
};
const ready = (o: { status?: { conditions?: { type: string; status: string }[] } } | undefined) =>
  o?.status?.conditions?.find((c) => c.type === 'Ready')?.status;

function pod(name: string, extra: { annotations?: Record<string, string>; restartPolicy?: string } = {}): KubeObject {
  return {
    metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { nodeName: 'node-1', ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}), containers: [{ name: 'c', image: 'nginx' }] },
  };
}

const getPod = (client: ApiClient, name: string) => client.get<Pod>(podsR, 'default', name);

async function waitRunningReady(client: ApiClient, name: string): Promise<Pod> {
  return vi.waitFor(async () => {
    const p = await getPod(client, name);
    expect([p.status?.phase, ready(p)]).toEqual(['Running', 'True']);
    return p;
  }, { timeout: 10_000, interval: 20 });
}

describe('NodeSim against the API served in process', () => {
  it('registers its nodes, makes them Ready and keeps a Lease for each in kube-node-lease', async () => {
    const { client, sim } = await cluster(2);
    expect(sim.nodeNames).toEqual(['node-1', 'node-2']);
    await vi.waitFor(async () => {
      for (const [i, name] of ['node-1', 'node-2'].entries()) {
        const n = await client.get<Pod & { spec?: { podCIDR?: string }; metadata: { labels?: Record<string, string> } }>(nodesR, undefined, name);
        expect(ready(n)).toBe('True');
        expect(n.spec?.podCIDR).toBe(`10.244.${i + 1}.0/24`);
        expect(n.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' });
        const lease = await client.get<KubeObject & { spec?: { holderIdentity?: string; leaseDurationSeconds?: number } }>(leasesR, 'kube-node-lease', name);
        expect(lease.spec).toMatchObject({ holderIdentity: name, leaseDurationSeconds: 40 });
      }
    });
    expect(sim.ready()).toBe(true);
  });

  it('creates each node Ready in one write, as a kubelet registers, and then records NodeReady', async () => {
    const { client } = await inProcessApi(cleanups);
    const creates: KubeObject[] = [];
    const watching = new Proxy(client, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'create' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
        return (r: { kind: string }, ns: string | undefined, obj: KubeObject) => {
          if (r.kind === 'Node') creates.push(obj);
          return v.call(target, r, ns, obj);
        };
      },
    });
    const transitions: string[] = [];
    const sim = new NodeSim({ client: watching, nodes: 3, cpu: '4', memory: '8Gi', maxPods: 110, speed: 100, onTransition: (s) => transitions.push(s) });
    cleanups.push(() => sim.stop());
    await sim.start();
    expect(creates.map((n) => [n.metadata?.name, ready(n as Pod)])).toEqual([['node-1', 'True'], ['node-2', 'True'], ['node-3', 'True']]);
    expect(transitions.filter((t) => t === 'node-initialize')).toHaveLength(3);
    await vi.waitFor(async () => {
      const events = (await client.list(eventsR, 'default')).items as Array<KubeObject & { reason?: string; involvedObject?: { name?: string } }>;
      expect(events.filter((e) => e.reason === 'NodeReady').map((e) => e.involvedObject?.name).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    });
  });

  it('takes a bound pod through ContainerCreating to Running and Ready, with an IP from its node', async () => {
    const { client, transitions } = await cluster(2);
    await client.create(podsR, 'default', pod('web-1'));
    const creating = await vi.waitFor(async () => {
      const p = await getPod(client, 'web-1');
      expect(p.status?.phase).toBeDefined();
      return p;
    }, { timeout: 10_000, interval: 5 });
    expect(creating.status?.phase === 'Pending' || creating.status?.phase === 'Running').toBe(true);
    const running = await waitRunningReady(client, 'web-1');
    expect(running.status?.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(transitions.filter((t) => t.startsWith('pod-'))).toEqual(['pod-pending', 'pod-running']);
    // The stage's Events follow its status write: Ready can be seen before Started is.
    await vi.waitFor(async () => {
      const { items } = await client.list<KubeObject & { reason?: string; involvedObject?: { name?: string } }>(eventsR, 'default');
      expect(items.filter((e) => e.involvedObject?.name === 'web-1').map((e) => e.reason)).toEqual(expect.arrayContaining(['Pulling', 'Started']));
    });
  });

  it('writes as a kubelet does, on three clients: pods on one, Leases and Node status on the heartbeat one, Events on their own', async () => {
    const { client } = await inProcessApi(cleanups);
    /** The client, noting the resource of every write made through it. */
    const recording = (writes: string[]) =>
      new Proxy(client, {
        get(target, prop, receiver) {
          const v = Reflect.get(target, prop, receiver);
          if (typeof v !== 'function') return v;
          if (!['create', 'update', 'updateStatus', 'patch', 'delete'].includes(String(prop))) return v.bind(target);
          return (r: { resource: string }, ...rest: unknown[]) => {
            writes.push(r.resource);
            return (v as (...a: unknown[]) => unknown).call(target, r, ...rest);
          };
        },
      });
    const main: string[] = [];
    const heartbeats: string[] = [];
    const events: string[] = [];
    const sim = new NodeSim({ client: recording(main), heartbeatClient: recording(heartbeats), eventClient: recording(events), nodes: 1, cpu: '4', memory: '8Gi', maxPods: 110, speed: 100 });
    cleanups.push(() => sim.stop());
    await sim.start();
    await client.create(podsR, 'default', pod('web-1'));
    await waitRunningReady(client, 'web-1');
    await vi.waitFor(() => {
      expect(new Set(heartbeats)).toEqual(new Set(['leases', 'nodes']));
      expect(new Set(events)).toEqual(new Set(['events']));
    }, { timeout: 10_000, interval: 20 });
    expect(new Set(main)).toEqual(new Set(['nodes', 'pods']));
    // Only the registration of the node is made on the main client, as a kubelet registers through its own.
    expect(main.filter((r) => r === 'nodes')).toHaveLength(1);
  });

  it("gives a deleted pod's address back to its node: the next pod there is handed it", async () => {
    const { client } = await cluster(2);
    await client.create(podsR, 'default', pod('web-1'));
    const first = await waitRunningReady(client, 'web-1');
    await client.delete(podsR, 'default', 'web-1');
    await vi.waitFor(async () => {
      await expect(getPod(client, 'web-1')).rejects.toSatisfy(isNotFound);
    }, { timeout: 10_000, interval: 10 });
    await client.create(podsR, 'default', pod('web-2'));
    const second = await waitRunningReady(client, 'web-2');
    expect(second.status?.podIP).toBe(first.status?.podIP);
  });

  it('pulls an image once per node: a later pod there finds it present, unless its pull policy is Always', async () => {
    const { client } = await cluster(2);
    const withImage = (name: string, image: string, nodeName: string, imagePullPolicy?: string): KubeObject => ({
      metadata: { name },
      spec: { nodeName, containers: [{ name: 'c', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] },
    });
    const reasons = (pod: string) =>
      vi.waitFor(async () => {
        const { items } = await client.list<KubeObject & { reason?: string; message?: string; involvedObject?: { name?: string } }>(eventsR, 'default');
        const mine = items.filter((e) => e.involvedObject?.name === pod).map((e) => `${e.reason}: ${e.message}`);
        expect(mine).toEqual(expect.arrayContaining([expect.stringMatching(/^Started/)]));
        return mine.filter((m) => m.startsWith('Pull')).sort();
      });
    await client.create(podsR, 'default', withImage('first', 'web:1', 'node-1'));
    await waitRunningReady(client, 'first');
    expect(await reasons('first')).toEqual(['Pulled: Successfully pulled image "web:1" in 1s (1s including waiting)', 'Pulling: Pulling image "web:1"']);
    await client.create(podsR, 'default', withImage('second', 'web:1', 'node-1'));
    await client.create(podsR, 'default', withImage('elsewhere', 'web:1', 'node-2'));
    await client.create(podsR, 'default', withImage('always', 'web:1', 'node-1', 'Always'));
    for (const p of ['second', 'elsewhere', 'always']) await waitRunningReady(client, p);
    expect(await reasons('second')).toEqual(['Pulled: Container image "web:1" already present on machine']);
    expect(await reasons('elsewhere')).toEqual(['Pulled: Successfully pulled image "web:1" in 1s (1s including waiting)', 'Pulling: Pulling image "web:1"']);
    expect(await reasons('always')).toEqual(['Pulled: Successfully pulled image "web:1" in 1s (1s including waiting)', 'Pulling: Pulling image "web:1"']);
  });

  it('gives two running pods on a node different IPs', async () => {
    const { client } = await cluster(1);
    await client.create(podsR, 'default', pod('a'));
    await client.create(podsR, 'default', pod('b'));
    const [a, b] = [await waitRunningReady(client, 'a'), await waitRunningReady(client, 'b')];
    expect(a.status?.podIP).not.toBe(b.status?.podIP);
  });

  it('removes a running pod that is deleted', async () => {
    const { client } = await cluster(1);
    await client.create(podsR, 'default', pod('web-1'));
    await waitRunningReady(client, 'web-1');
    const answer = await client.delete(podsR, 'default', 'web-1');
    expect(answer.metadata?.deletionTimestamp).toBeDefined();
    await vi.waitFor(async () => {
      const err = await getPod(client, 'web-1').then(() => undefined, (e: unknown) => e);
      expect(isNotFound(err)).toBe(true);
    }, { timeout: 10_000, interval: 20 });
  });

  it('ends a pod annotated minik.dev/completes with restartPolicy Never as Succeeded', async () => {
    const { client } = await cluster(1);
    await client.create(podsR, 'default', pod('job-1', { annotations: { 'minik.dev/completes': 'true' }, restartPolicy: 'Never' }));
    await vi.waitFor(async () => expect((await getPod(client, 'job-1')).status?.phase).toBe('Succeeded'), { timeout: 10_000, interval: 20 });
  });

  it('picks up where things are after a restart', async () => {
    const { client, sim, restart } = await cluster(1);
    await client.create(podsR, 'default', pod('old'));
    const before = await waitRunningReady(client, 'old');
    await sim.stop();
    await client.create(podsR, 'default', pod('new'));
    await restart();
    const after = await waitRunningReady(client, 'new');
    expect(after.status?.podIP).not.toBe(before.status?.podIP);
    expect((await getPod(client, 'old')).status?.podIP).toBe(before.status?.podIP);
  });
});

describe('NodeSim pod network', () => {
  it('refuses more nodes than the pod network holds, naming the flag that makes room', () => {
    const client = new ApiClient({ server: 'http://127.0.0.1:9' });
    const shape = { cpu: '4', memory: '8Gi', maxPods: 110 };
    expect(() => new NodeSim({ client, nodes: 256, ...shape })).toThrow(
      'Cannot simulate 256 nodes: the pod network 10.244.0.0/16 holds 1 to 255, one /24 each; give a bigger --cluster-cidr, such as 10.128.0.0/11',
    );
    expect(() => new NodeSim({ client, nodes: 5000, clusterCidr: '10.128.0.0/11', ...shape })).not.toThrow();
    client.close();
  });
});
