import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { resolveResource, type ResourceType } from '../api/resources.js';
import type { KV } from '../store/kv.js';
import { ensureSystemNamespaces } from './bootstrap.js';
import { ApiError } from './errors.js';
import { Registry } from './registry.js';
import { strategies } from './strategies/index.js';
import { revisionPairs } from './revision-pairs.js';
import { WatchCache, type CachedObject } from './watch-cache.js';

const R = (name: string): ResourceType => resolveResource(name)!;
const pods = R('pods');
const deployments = R('deployments');
const configmaps = R('configmaps');
const namespaces = R('namespaces');
const events = R('events');

/** A store to run the registry on: the MVCC in process, the store process, or a real etcd. */
export interface StoreUnderTest {
  kv: KV;
  /** Releases it; a shared store is wiped instead, so the next test starts empty. */
  close(): Promise<void>;
}

/**
 * The registry's behaviour, written once and run on every store it can sit on (DESIGN.md: the API
 * server works unchanged on a real etcd). Each test gets a fresh, empty store from `makeStore`.
 */
export function registryConformance(makeStore: () => Promise<StoreUnderTest>): void {
  /** The API in one process over the store under test: the watch cache and the registry. */
  async function inProcess(historySize?: number) {
    const under = await makeStore();
    const store = under.kv;
    const cache = new WatchCache({ store, ...(historySize ? { historySize } : {}) });
    const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
    let n = 0;
    const registry = new Registry({ store, cache, clock, strategies: strategies(), random: () => (n++ % 27) / 27 });
    await cache.start();
    await ensureSystemNamespaces(registry);
    return { store, cache, clock, registry, close: () => under.close() };
  }

  type Api = Awaited<ReturnType<typeof inProcess>>;

  async function failure(p: Promise<unknown>): Promise<ApiError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiError);
    return err as ApiError;
  }

  const deployment = (name: string, over: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
      ...over,
    },
  });

  const meta = (o: unknown) => (o as { metadata: Record<string, any> }).metadata; // eslint-disable-line @typescript-eslint/no-explicit-any

  describe('the registry', () => {
    let api: Api;
    beforeEach(async () => {
      api = await inProcess();
    });
    afterEach(async () => {
      api.cache.stop();
      await api.close();
    });

    describe('create', () => {
      it('sets uid, creationTimestamp, generation and resourceVersion, and applies defaults', async () => {
        const { object } = await api.registry.create(deployments, 'default', deployment('web'));
        expect(meta(object)).toMatchObject({ name: 'web', namespace: 'default', generation: 1, creationTimestamp: '2026-11-21T10:00:00Z' });
        expect(meta(object).uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(Number(meta(object).resourceVersion)).toBeGreaterThan(0);
        expect(object.spec).toMatchObject({
          replicas: 1,
          revisionHistoryLimit: 10,
          progressDeadlineSeconds: 600,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        });
        expect((object.spec as any).template.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30 }); // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(object.status).toBeUndefined();
      });

      it('refuses a second object of the same name with 409 AlreadyExists', async () => {
        await api.registry.create(deployments, 'default', deployment('web'));
        const err = await failure(api.registry.create(deployments, 'default', deployment('web')));
        expect(err.status()).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'deployments.apps "web" already exists' });
      });

      it('generates a name from generateName', async () => {
        const { object } = await api.registry.create(configmaps, 'default', { metadata: { generateName: 'cfg-' } });
        expect(meta(object).name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      });

      it('says what is wrong with every bad field, as a 422', async () => {
        const bad = deployment('bad', { replicas: -1 });
        (bad.spec.template.metadata.labels as Record<string, string>).app = 'other';
        const err = await failure(api.registry.create(deployments, 'default', bad));
        expect(err.code).toBe(422);
        expect(err.message).toMatch(/^Deployment\.apps "bad" is invalid: \[/);
        expect(err.status().details?.causes?.map((c) => c.field)).toEqual(['spec.replicas', 'spec.template.metadata.labels']);
        expect((await failure(api.registry.create(configmaps, 'default', { metadata: { name: 'Bad_Name' } }))).status().details?.causes?.[0]).toMatchObject({
          field: 'metadata.name',
          reason: 'FieldValueInvalid',
        });
      });

      it('refuses unknown fields under Strict, drops them with a warning otherwise', async () => {
        const body = { metadata: { name: 'c' }, data: { a: '1' }, dataa: {} };
        const err = await failure(api.registry.create(configmaps, 'default', body, { fieldValidation: 'Strict' }));
        expect(err.status()).toMatchObject({ code: 400, message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"' });
        const ok = await api.registry.create(configmaps, 'default', body);
        expect(ok.warnings).toEqual(['unknown field "dataa"']);
        expect(ok.object).not.toHaveProperty('dataa');
      });

      it('refuses wrong types with 400', async () => {
        const err = await failure(api.registry.create(deployments, 'default', deployment('t', { replicas: 'three' })));
        expect(err.code).toBe(400);
        expect(err.message).toMatch(/spec\.replicas/);
      });

      it('refuses objects in a namespace that is missing or being deleted', async () => {
        expect((await failure(api.registry.create(configmaps, 'nope', { metadata: { name: 'c' } }))).status()).toMatchObject({
          code: 404,
          message: 'namespaces "nope" not found',
        });
        await api.registry.create(namespaces, undefined, { metadata: { name: 'going', finalizers: ['x'] } });
        await api.registry.delete(namespaces, undefined, 'going');
        const err = await failure(api.registry.create(configmaps, 'going', { metadata: { name: 'c' } }));
        expect(err.status()).toMatchObject({ code: 403, reason: 'Forbidden' });
        expect(err.message).toMatch(/because it is being terminated/);
      });

      it('starts a pod Pending with its QoS class, and defaults requests to limits', async () => {
        const { object } = await api.registry.create(pods, 'default', {
          metadata: { name: 'p' },
          spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '500m', memory: '128Mi' } } }] },
          status: { phase: 'Running' },
        });
        expect(object.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
        expect((object.spec as any).containers[0]).toMatchObject({ imagePullPolicy: 'Always', resources: { requests: { cpu: '500m', memory: '128Mi' } } }); // eslint-disable-line @typescript-eslint/no-explicit-any
      });
    });

    describe('update and patch', () => {
      it('refuses a stale resourceVersion with 409 Conflict, and takes a fresh one', async () => {
        const { object } = await api.registry.create(configmaps, 'default', { metadata: { name: 'c' }, data: { v: '1' } });
        const rv = meta(object).resourceVersion;
        const next = await api.registry.update(configmaps, 'default', 'c', { metadata: { name: 'c', resourceVersion: rv }, data: { v: '2' } });
        const err = await failure(api.registry.update(configmaps, 'default', 'c', { metadata: { name: 'c', resourceVersion: rv }, data: { v: '3' } }));
        expect(err.status()).toMatchObject({
          code: 409,
          reason: 'Conflict',
          message: 'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
        });
        expect(Number(meta(next.object).resourceVersion)).toBeGreaterThan(Number(rv));
        expect((await api.registry.get(configmaps, 'default', 'c')).data).toEqual({ v: '2' });
      });

      it('keeps the parts a write left alone shared with the revision before it, in the cache and in what a watch from the past replays', async () => {
        const key = '/registry/deployments/default/s';
        const cachedAfter = async (written: Promise<{ object: unknown }>) => {
          await api.cache.waitFor(Number(meta((await written).object).resourceVersion));
          return api.cache.get(key)!;
        };
        const first = await cachedAfter(api.registry.create(deployments, 'default', deployment('s')));
        const second = await cachedAfter(api.registry.updateStatus(deployments, 'default', 's', { ...deployment('s'), status: { replicas: 7 } }));
        expect(second.object.spec).toBe(first.object.spec);
        const third = await cachedAfter(api.registry.patch(deployments, 'default', 's', 'merge', { metadata: { labels: { x: 'y' } } }));
        expect(third.object.status).toBe(second.object.status);
        const replayed: Array<[string, unknown]> = [];
        const stop = await api.registry.watch(deployments, 'default', { resourceVersion: String(first.rev) }, {
          event: (type, o) => replayed.push([type, JSON.parse(o.json)]),
          close: () => {},
        });
        stop();
        expect(replayed).toEqual([
          ['MODIFIED', JSON.parse(second.json)],
          ['MODIFIED', JSON.parse(third.json)],
        ]);
        expect(replayed.map(([, o]) => (o as { status?: unknown }).status)).toEqual([{ replicas: 7 }, { replicas: 7 }]);
      });

      it('raises generation on spec changes only, and keeps status on updates of the main resource', async () => {
        await api.registry.create(deployments, 'default', deployment('g'));
        await api.registry.updateStatus(deployments, 'default', 'g', { ...deployment('g'), status: { replicas: 7 } });
        const labelled = await api.registry.patch(deployments, 'default', 'g', 'merge', { metadata: { labels: { x: 'y' } } });
        expect(meta(labelled.object).generation).toBe(1);
        const scaled = await api.registry.patch(deployments, 'default', 'g', 'merge', { spec: { replicas: 4 }, status: { replicas: 0 } });
        expect(meta(scaled.object).generation).toBe(2);
        expect(scaled.object.status).toEqual({ replicas: 7 });
      });

      it('changes only the status through the status subresource', async () => {
        await api.registry.create(deployments, 'default', deployment('s'));
        const out = await api.registry.patch(deployments, 'default', 's', 'merge', { spec: { replicas: 9 }, status: { replicas: 2 } }, {}, 'status');
        expect((out.object.spec as { replicas: number }).replicas).toBe(1);
        expect(out.object.status).toEqual({ replicas: 2 });
      });

      it('applies strategic merge, JSON patch and server-side apply', async () => {
        await api.registry.create(deployments, 'default', deployment('p'));
        const smp = await api.registry.patch(deployments, 'default', 'p', 'strategic', {
          spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
        });
        expect((smp.object.spec as any).template.spec.containers).toMatchObject([{ name: 'web', image: 'nginx:1.26', imagePullPolicy: 'IfNotPresent' }]); // eslint-disable-line @typescript-eslint/no-explicit-any
        const jp = await api.registry.patch(deployments, 'default', 'p', 'json', [{ op: 'replace', path: '/spec/replicas', value: 3 }]);
        expect((jp.object.spec as { replicas: number }).replicas).toBe(3);
        expect((await failure(api.registry.patch(deployments, 'default', 'p', 'json', [{ op: 'test', path: '/spec/replicas', value: 9 }]))).code).toBe(422);
        const applied = await api.registry.patch(deployments, 'default', 'fresh', 'apply', deployment('fresh'));
        expect(applied.created).toBe(true);
      });

      it('scales through the scale subresource, and binds a pod once', async () => {
        await api.registry.create(deployments, 'default', deployment('sc'));
        const scale = await api.registry.updateScale(deployments, 'default', 'sc', { type: 'merge', patch: { spec: { replicas: 5 } } });
        expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 5 }, status: { selector: 'app=sc' } });
        await api.registry.create(pods, 'default', { metadata: { name: 'b' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
        await api.registry.bind('default', 'b', { target: { kind: 'Node', name: 'node-1' } });
        const pod = await api.registry.get(pods, 'default', 'b');
        expect((pod.spec as { nodeName: string }).nodeName).toBe('node-1');
        expect((pod.status as { conditions: unknown[] }).conditions).toMatchObject([{ type: 'PodScheduled', status: 'True' }]);
        expect((await failure(api.registry.bind('default', 'b', { target: { kind: 'Node', name: 'node-2' } }))).code).toBe(409);
      });
    });

    describe('services', () => {
      const services = R('services');
      type Svc = {
        spec: { clusterIP?: string; clusterIPs?: string[]; ipFamilies?: string[]; ipFamilyPolicy?: string; ports: Array<{ nodePort?: number }> };
        status?: { loadBalancer?: { ingress?: Array<{ ip: string }> } };
      };
      const svc = (name: string, spec: Record<string, unknown> = {}) => ({
        metadata: { name },
        spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
      });
      const create = async (name: string, spec: Record<string, unknown> = {}) => (await api.registry.create(services, 'default', svc(name, spec))).object as unknown as Svc;
      const ipNumber = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
      const inCidr = (ip: string, base: string, bits: number) => Math.floor(ipNumber(ip) / 2 ** (32 - bits)) === Math.floor(ipNumber(base) / 2 ** (32 - bits));
      const claims = async () =>
        (await api.store.range({ key: Buffer.from('/minik/allocations/'), rangeEnd: Buffer.from('/minik/allocations0') })).kvs.map(
          (kv) => `${kv.key.toString()} ${kv.value.toString()}`,
        );

      it('gives a service a cluster IP from 10.96.0.0/12, claimed in the store under its own name', async () => {
        const s = await create('web');
        expect(inCidr(s.spec.clusterIP!, '10.96.0.0', 12)).toBe(true);
        expect(s.spec).toMatchObject({ clusterIPs: [s.spec.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
        expect((await api.registry.get(services, 'default', 'web')).spec).toMatchObject({ clusterIP: s.spec.clusterIP });
        expect(await claims()).toEqual([`/minik/allocations/serviceips/${s.spec.clusterIP} /registry/services/default/web`]);
      });

      it('never gives two services one IP or one node port, however many are created at once', async () => {
        const made = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`s${i}`, { type: 'NodePort' })));
        expect(new Set(made.map((s) => s.spec.clusterIP)).size).toBe(20);
        expect(new Set(made.map((s) => s.spec.ports[0]!.nodePort)).size).toBe(20);
        expect(await claims()).toHaveLength(40);
      });

      it('honours a chosen cluster IP, and refuses one that is taken or out of range with 422', async () => {
        expect((await create('dns', { clusterIP: '10.96.0.10' })).spec).toMatchObject({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'] });
        const taken = await failure(create('dns2', { clusterIP: '10.96.0.10' }));
        expect(taken.status()).toMatchObject({
          code: 422,
          reason: 'Invalid',
          message: 'Service "dns2" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
        });
        const outside = await failure(create('far', { clusterIP: '192.168.0.1' }));
        expect(outside.code).toBe(422);
        expect(outside.message).toMatch(/failed to allocate IP 192\.168\.0\.1: provided IP is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12$/);
        await failure(api.registry.get(services, 'default', 'dns2'));
      });

      it('gives a NodePort service a port in 30000-32767, and refuses a chosen one that is taken', async () => {
        const np = (await create('np', { type: 'NodePort' })).spec.ports[0]!.nodePort!;
        expect(np).toBeGreaterThanOrEqual(30000);
        expect(np).toBeLessThanOrEqual(32767);
        await create('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] });
        const err = await failure(create('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
        expect(err.message).toBe('Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
        // The refused service claimed nothing: its cluster IP is not held.
        expect((await claims()).filter((c) => c.endsWith('/b'))).toEqual([]);
      });

      it('gives a LoadBalancer a node port and an external IP, and takes the IP back when it stops being one', async () => {
        const lb = await create('lb', { type: 'LoadBalancer' });
        const ip = lb.status!.loadBalancer!.ingress![0]!.ip;
        expect(inCidr(ip, '172.18.0.0', 16)).toBe(true);
        expect(lb.spec.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
        // A client that sends the whole object back, as kubectl edit does, is not refused under Strict.
        await api.registry.patch(services, 'default', 'lb', 'merge', { metadata: { labels: { a: 'b' } } }, { fieldValidation: 'Strict' });
        const plain = (await api.registry.patch(services, 'default', 'lb', 'merge', { spec: { type: 'ClusterIP' } })).object as unknown as Svc;
        expect(plain.status?.loadBalancer).toBeUndefined();
        expect(plain.spec.ports[0]!.nodePort).toBeUndefined();
        expect(await claims()).toEqual([`/minik/allocations/serviceips/${lb.spec.clusterIP} /registry/services/default/lb`]);
      });

      it('frees a deleted service’s IP and ports, also when the last finalizer lets it go', async () => {
        const chosen = { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080 }] };
        await create('old', chosen);
        await api.registry.delete(services, 'default', 'old');
        await create('new', chosen);
        await api.registry.patch(services, 'default', 'new', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
        await api.registry.delete(services, 'default', 'new');
        expect((await failure(create('newer', chosen))).code).toBe(422);
        await api.registry.patch(services, 'default', 'new', 'merge', { metadata: { finalizers: null } });
        expect((await create('newer', chosen)).spec).toMatchObject({ clusterIP: '10.96.0.10', ports: [{ nodePort: 30080 }] });
        expect(await claims()).toHaveLength(2);
      });

      it('allocates node ports going ClusterIP -> NodePort, and releases them going back', async () => {
        const first = await create('t');
        const np = ((await api.registry.patch(services, 'default', 't', 'merge', { spec: { type: 'NodePort' } })).object as unknown as Svc).spec.ports[0]!.nodePort!;
        expect(np).toBeGreaterThanOrEqual(30000);
        expect((await failure(create('u', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] }))).code).toBe(422);
        const back = (await api.registry.patch(services, 'default', 't', 'merge', { spec: { type: 'ClusterIP' } })).object as unknown as Svc;
        expect(back.spec).toMatchObject({ clusterIP: first.spec.clusterIP, ports: [expect.not.objectContaining({ nodePort: expect.anything() })] });
        expect((await create('u', { type: 'NodePort', ports: [{ port: 80, nodePort: np }] })).spec.ports[0]!.nodePort).toBe(np);
      });

      it('keeps the cluster IP through a PUT that leaves it out, and refuses a change of it', async () => {
        const s = await create('keep');
        const put = await api.registry.update(services, 'default', 'keep', svc('keep', { ports: [{ port: 81 }] }));
        expect((put.object as unknown as Svc).spec.clusterIP).toBe(s.spec.clusterIP);
        const err = await failure(api.registry.update(services, 'default', 'keep', svc('keep', { clusterIP: '10.96.0.99' })));
        expect(err.message).toMatch(/spec\.clusterIP: Invalid value: "10\.96\.0\.99": field is immutable/);
      });

      it('gives headless and ExternalName services no IP', async () => {
        expect((await create('headless', { clusterIP: 'None' })).spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
        // A headless Service may name its pods without any port; any other needs one.
        expect((await create('portless', { clusterIP: 'None', ports: [] })).spec).toMatchObject({ clusterIP: 'None' });
        const refused = await failure(create('needs-ports', { ports: [] }));
        expect(refused.status()).toMatchObject({ code: 422, message: 'Service "needs-ports" is invalid: spec.ports: Required value' });
        const ext = await create('ext', { type: 'ExternalName', externalName: 'db.example.com', ports: [] });
        expect(ext.spec.clusterIP).toBeUndefined();
        expect(await claims()).toEqual([]);
      });
    });

    describe('delete', () => {
      const pod = (name: string, nodeName?: string) => ({
        metadata: { name },
        spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
      });

      it('removes an unscheduled pod at once, and a scheduled one only after its node finishes it', async () => {
        await api.registry.create(pods, 'default', pod('free'));
        await api.registry.delete(pods, 'default', 'free');
        expect((await failure(api.registry.get(pods, 'default', 'free'))).code).toBe(404);

        await api.registry.create(pods, 'default', pod('bound', 'node-1'));
        const going = await api.registry.delete(pods, 'default', 'bound');
        expect(meta(going)).toMatchObject({ deletionTimestamp: '2026-11-21T10:00:30Z', deletionGracePeriodSeconds: 30 });
        expect(meta(await api.registry.get(pods, 'default', 'bound')).deletionTimestamp).toBeDefined();
        await api.registry.delete(pods, 'default', 'bound', { gracePeriodSeconds: 0 });
        expect((await failure(api.registry.get(pods, 'default', 'bound'))).code).toBe(404);
      });

      it('keeps an object with finalizers until they are removed', async () => {
        await api.registry.create(configmaps, 'default', { metadata: { name: 'f', finalizers: ['example.com/hold'] } });
        await api.registry.delete(configmaps, 'default', 'f');
        const held = await api.registry.get(configmaps, 'default', 'f');
        expect(meta(held).deletionTimestamp).toBe('2026-11-21T10:00:00Z');
        await api.registry.patch(configmaps, 'default', 'f', 'merge', { metadata: { finalizers: null } });
        expect((await failure(api.registry.get(configmaps, 'default', 'f'))).code).toBe(404);
      });

      it('marks Foreground and Orphan deletions with their finalizers', async () => {
        await api.registry.create(deployments, 'default', deployment('fg'));
        await api.registry.create(deployments, 'default', deployment('or'));
        expect(meta(await api.registry.delete(deployments, 'default', 'fg', { propagationPolicy: 'Foreground' })).finalizers).toEqual(['foregroundDeletion']);
        expect(meta(await api.registry.delete(deployments, 'default', 'or', { propagationPolicy: 'Orphan' })).finalizers).toEqual(['orphan']);
      });

      it('checks preconditions', async () => {
        await api.registry.create(configmaps, 'default', { metadata: { name: 'pc' } });
        const err = await failure(api.registry.delete(configmaps, 'default', 'pc', { preconditions: { uid: 'not-it' } }));
        expect(err.code).toBe(409);
        expect(err.message).toMatch(/Precondition failed: UID in precondition: not-it/);
      });
    });

    describe('list', () => {
      beforeEach(async () => {
        for (const [name, tier, node] of [['a', 'web', 'n1'], ['b', 'db', 'n2'], ['c', 'web', 'n2']] as const) {
          await api.registry.create(pods, 'default', {
            metadata: { name, labels: { tier } },
            spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] },
          });
        }
      });

      const names = (items: unknown[]) => items.map((o) => meta(o).name);

      it('selects by labels and by fields, and refuses fields it does not index', async () => {
        expect(names((await api.registry.list(pods, 'default', { labelSelector: 'tier=web' })).items)).toEqual(['a', 'c']);
        expect(names((await api.registry.list(pods, 'default', { labelSelector: 'tier notin (web)' })).items)).toEqual(['b']);
        expect(names((await api.registry.list(pods, undefined, { fieldSelector: 'spec.nodeName=n2' })).items)).toEqual(['b', 'c']);
        expect(names((await api.registry.list(pods, 'default', { fieldSelector: 'metadata.name!=a,spec.nodeName=n2' })).items)).toEqual(['b', 'c']);
        const err = await failure(api.registry.list(pods, 'default', { fieldSelector: 'spec.image=nginx' }));
        expect(err.status()).toMatchObject({ code: 400, message: 'field label not supported: spec.image' });
      });

      it('pages with limit and continue, every page from the first page’s snapshot', async () => {
        const first = await api.registry.list(pods, 'default', { limit: 2 });
        expect(names(first.items)).toEqual(['a', 'b']);
        expect(first.remainingItemCount).toBe(1);
        // A change after the first page does not leak into the next one.
        await api.registry.patch(pods, 'default', 'c', 'merge', { metadata: { labels: { changed: 'yes' } } });
        const second = await api.registry.list(pods, 'default', { limit: 2, continue: first.continue! });
        expect(names(second.items)).toEqual(['c']);
        expect(meta(second.items[0]).labels).toEqual({ tier: 'web' });
        expect(second.continue).toBeUndefined();
        expect(second.resourceVersion).toBe(first.resourceVersion);
      });

      it('reads an exact resourceVersion as the store held it then, and refuses what upstream refuses', async () => {
        const then = await api.registry.list(pods, 'default', {});
        await api.registry.delete(pods, 'default', 'b');
        await api.registry.patch(pods, 'default', 'c', 'merge', { metadata: { labels: { tier: 'db' } } });
        const d = await api.registry.create(pods, 'default', { metadata: { name: 'd', labels: { tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
        const exact = await api.registry.list(pods, 'default', { resourceVersion: then.resourceVersion, resourceVersionMatch: 'Exact', labelSelector: 'tier=web' });
        expect(names(exact.items)).toEqual(['a', 'c']);
        expect(exact.resourceVersion).toBe(then.resourceVersion);
        // NotOlderThan is what a resourceVersion means anyway: at least that fresh (so, from the last
        // write's version, with that write; from an older one, the cache may not have seen it yet).
        const fresh = await api.registry.list(pods, 'default', { resourceVersion: meta(d.object).resourceVersion, resourceVersionMatch: 'NotOlderThan', labelSelector: 'tier=web' });
        expect(names(fresh.items)).toEqual(['a', 'd']);
        const notOlder = await api.registry.list(pods, 'default', { resourceVersion: then.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
        expect(Number(notOlder.resourceVersion)).toBeGreaterThanOrEqual(Number(then.resourceVersion));

        const refusals = [
          [{ resourceVersionMatch: 'Exact' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided'],
          [{ resourceVersionMatch: 'Exact', resourceVersion: '0' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'],
          [{ resourceVersionMatch: 'Newest', resourceVersion: then.resourceVersion }, 'resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan"'],
          [{ resourceVersionMatch: 'Exact', resourceVersion: then.resourceVersion, continue: 'x' }, 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided'],
        ] as const;
        for (const [opts, why] of refusals) {
          const err = await failure(api.registry.list(pods, 'default', opts));
          expect(err.status()).toMatchObject({ code: 422, reason: 'Invalid', message: `ListOptions.meta.k8s.io "" is invalid: ${why}` });
        }

        await api.store.compact({ revision: Number(fresh.resourceVersion) });
        const gone = await failure(api.registry.list(pods, 'default', { resourceVersion: then.resourceVersion, resourceVersionMatch: 'Exact' }));
        expect(gone.status()).toMatchObject({ code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' });
      });
    });

    describe('watch', () => {
      function collect() {
        const events: string[] = [];
        const closed: string[] = [];
        return {
          events,
          closed,
          sink: {
            event: (type: string, o: CachedObject) => events.push(`${type} ${meta(o.object).name}`),
            close: (reason: string) => closed.push(reason),
          },
        };
      }

      const settle = () => new Promise((r) => setTimeout(r, 20));

      it('without a resourceVersion sends the current objects as ADDED, then changes', async () => {
        await api.registry.create(configmaps, 'default', { metadata: { name: 'old' } });
        const c = collect();
        const stop = await api.registry.watch(configmaps, 'default', {}, c.sink);
        await api.registry.create(configmaps, 'default', { metadata: { name: 'new' } });
        await api.registry.delete(configmaps, 'default', 'old');
        await settle();
        stop();
        expect(c.events).toEqual(['ADDED old', 'ADDED new', 'DELETED old']);
      });

      it('from an exact resourceVersion sends only what came after it', async () => {
        const { object } = await api.registry.create(configmaps, 'default', { metadata: { name: 'x' } });
        await api.registry.patch(configmaps, 'default', 'x', 'merge', { data: { a: '1' } });
        const c = collect();
        const stop = await api.registry.watch(configmaps, 'default', { resourceVersion: meta(object).resourceVersion }, c.sink);
        await settle();
        stop();
        expect(c.events).toEqual(['MODIFIED x']);
      });

      it('turns changes that move an object in or out of the selection into ADDED and DELETED', async () => {
        await api.registry.create(configmaps, 'default', { metadata: { name: 'm', labels: { on: 'no' } } });
        const c = collect();
        const stop = await api.registry.watch(configmaps, 'default', { labelSelector: 'on=yes' }, c.sink);
        await api.registry.patch(configmaps, 'default', 'm', 'merge', { metadata: { labels: { on: 'yes' } } });
        await api.registry.patch(configmaps, 'default', 'm', 'merge', { data: { a: 'b' } });
        await api.registry.patch(configmaps, 'default', 'm', 'merge', { metadata: { labels: { on: 'no' } } });
        await settle();
        stop();
        expect(c.events).toEqual(['ADDED m', 'MODIFIED m', 'DELETED m']);
      });
    });

    describe('Events, which the watch cache does not hold', () => {
      const event = (name: string, reason: string, about: string) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, labels: { about } },
        involvedObject: { kind: 'Pod', name: about },
        reason,
        message: `${reason} ${name}`,
        type: 'Normal',
        count: 1,
      });
      it('leave nothing waiting to pair with a watch event the cache will never decode, as the objects it holds do not', async () => {
        const pairs = revisionPairs(api.store);
        let last = 0;
        for (let i = 0; i < 5; i++) {
          const { object } = await api.registry.create(events, 'default', event(`e${i}`, 'Pulled', 'web-1'));
          last = Number(meta(object).resourceVersion);
        }
        const { object } = await api.registry.create(configmaps, 'default', { metadata: { name: 'paired' } });
        await api.cache.waitFor(Math.max(last, Number(meta(object).resourceVersion)));
        for (let i = 0; i < 5; i++) expect(pairs.has(`/registry/events/default/e${i}`)).toBe(false);
        expect(pairs.has('/registry/configmaps/default/paired')).toBe(false);
      });

      type Op = { verb: 'create' | 'patch' | 'delete'; name: string; reason: string; about: string };
      const ops = fc.array(
        fc.record({
          verb: fc.constantFrom('create' as const, 'patch' as const, 'delete' as const),
          name: fc.constantFrom('e0', 'e1', 'e2', 'e3'),
          reason: fc.constantFrom('Pulled', 'Started', 'BackOff'),
          about: fc.constantFrom('web-1', 'web-2'),
        }),
        { maxLength: 12 },
      );
      const selections = [{}, { labelSelector: 'about=web-1' }, { fieldSelector: 'reason=Started' }, { fieldSelector: 'involvedObject.name=web-2,reason!=BackOff' }];

      async function apply(registry: Registry, ns: string, op: Op): Promise<void> {
        const body = event(op.name, op.reason, op.about);
        const write =
          op.verb === 'create'
            ? registry.create(events, ns, body)
            : op.verb === 'patch'
              ? registry.patch(events, ns, op.name, 'merge', { reason: op.reason, metadata: { labels: { about: op.about } }, involvedObject: { name: op.about } })
              : registry.delete(events, ns, op.name);
        await write.catch((err: unknown) => {
          if (!(err instanceof ApiError) || (err.code !== 404 && err.code !== 409)) throw err;
        });
      }

      function recorder() {
        // What a client reads: the type, and the object its JSON carries (key order aside).
        const seen: unknown[] = [];
        const sink = { event: (type: string, o: CachedObject) => seen.push([type, o.rev, JSON.parse(o.json)]), close: (why: string) => seen.push(`closed ${why}`) };
        return { seen, sink };
      }

      it('lists, gets and watches them from the store as a cache holding them would', async () => {
        // The reference: the same store seen through a cache that holds Events.
        const holding = new WatchCache({ store: api.store, uncached: [] });
        const reference = new Registry({ store: api.store, cache: holding, clock: api.clock, strategies: strategies() });
        await holding.start();
        let run = 0;
        try {
          await fc.assert(
            fc.asyncProperty(ops, fc.constantFrom(...selections), async (script, selection) => {
              const ns = `run-${run++}`;
              await api.registry.create(namespaces, undefined, { metadata: { name: ns } });
              await apply(api.registry, ns, { verb: 'create', name: 'e0', reason: 'Pulled', about: 'web-1' });
              const views = [api.registry, reference].map(() => recorder());
              const stops = await Promise.all([api.registry, reference].map((g, i) => g.watch(events, ns, selection, views[i]!.sink)));
              const { resourceVersion: before } = await api.registry.list(events, ns);
              for (const op of script) await apply(api.registry, ns, op);
              const now = (await api.store.range({ key: Buffer.from('/'), countOnly: true })).header.revision;
              await holding.waitFor(now);
              // The store's watch answers on its own time: wait until it has said as much as the cache's.
              for (let i = 0; i < 200 && views[0]!.seen.length < views[1]!.seen.length; i++) await new Promise((r) => setTimeout(r, 5));
              await new Promise((r) => setTimeout(r, 10));
              for (const stop of stops) stop();
              expect(views[0]!.seen).toEqual(views[1]!.seen);

              const replays = [api.registry, reference].map(() => recorder());
              const replayStops = await Promise.all([api.registry, reference].map((g, i) => g.watch(events, ns, { ...selection, resourceVersion: before }, replays[i]!.sink)));
              for (let i = 0; i < 200 && replays[0]!.seen.length < replays[1]!.seen.length; i++) await new Promise((r) => setTimeout(r, 5));
              for (const stop of replayStops) stop();
              expect(replays[0]!.seen).toEqual(replays[1]!.seen);

              const names = (l: { items: unknown[] }) => l.items.map((o) => `${meta(o).name} ${meta(o).resourceVersion}`);
              const [mine, theirs] = await Promise.all([api.registry, reference].map((g) => g.list(events, ns, selection)));
              expect(names(mine!)).toEqual(names(theirs!));
              const firstPage = await api.registry.list(events, ns, { ...selection, limit: 1 });
              const rest = firstPage.continue ? await api.registry.list(events, ns, { ...selection, limit: 10, continue: firstPage.continue }) : { items: [] };
              expect([...names(firstPage), ...names(rest)]).toEqual(names(theirs!));
              for (const o of theirs!.items) {
                expect((await api.registry.get(events, ns, meta(o).name, { resourceVersion: '0' })).metadata).toEqual(meta(o));
              }
            }),
            { numRuns: 12 },
          );
        } finally {
          holding.stop();
        }
      });

      it('keeps none in the cache, whose revision still moves on with them', async () => {
        await api.registry.create(events, 'default', event('e', 'Started', 'web-1'));
        const now = (await api.store.range({ key: Buffer.from('/'), countOnly: true })).header.revision;
        await api.cache.waitFor(now);
        expect(api.cache.revision).toBe(now);
        expect(api.cache.list('/registry/events/')).toEqual([]);
        expect((await api.registry.list(events, 'default')).items.map((o) => meta(o).name)).toEqual(['e']);
      });

      it('answers a watch from a compacted revision with a close, as the store has no history to send', async () => {
        const { object } = await api.registry.create(events, 'default', event('e', 'Started', 'web-1'));
        await api.registry.patch(events, 'default', 'e', 'merge', { count: 2 });
        const latest = await api.registry.patch(events, 'default', 'e', 'merge', { count: 3 });
        await api.store.compact({ revision: Number(meta(latest.object).resourceVersion) });
        const r = recorder();
        const stop = await api.registry.watch(events, 'default', { resourceVersion: meta(object).resourceVersion }, r.sink);
        for (let i = 0; i < 200 && r.seen.length === 0; i++) await new Promise((res) => setTimeout(res, 5));
        stop();
        expect(r.seen).toHaveLength(1);
        expect(r.seen[0]).toMatch(/^closed too old resource version: \d+ \(\d+\)$/);
      });
    });

    it('answers 410 Expired to a watch from history the cache no longer holds', async () => {
      const small = await inProcess(3);
      try {
        const { object } = await small.registry.create(configmaps, 'default', { metadata: { name: 'h' } });
        for (let i = 0; i < 5; i++) await small.registry.patch(configmaps, 'default', 'h', 'merge', { data: { i: String(i) } });
        await small.cache.waitFor((await small.store.range({ key: Buffer.from('/'), countOnly: true })).header.revision);
        const err = await failure(
          small.registry.watch(configmaps, 'default', { resourceVersion: meta(object).resourceVersion }, { event() {}, close() {} }),
        );
        expect(err.status()).toMatchObject({ code: 410, reason: 'Expired' });
        expect(err.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
      } finally {
        small.cache.stop();
        await small.close();
      }
    });
  });
}
