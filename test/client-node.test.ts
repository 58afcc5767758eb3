import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startCluster, type ApiServerProcess, type Cluster } from './support/cluster.js';

const NS = 'default';

describe('@kubernetes/client-node against minik', () => {
  let cluster: Cluster;
  let restarted: ApiServerProcess | undefined;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;

  beforeAll(async () => {
    cluster = await startCluster();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });

  afterAll(async () => {
    await restarted?.stop();
    await cluster?.stop();
  });

  const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

  /** The ApiException a call rejects with, so a test can assert on its HTTP code and Status body. */
  async function apiError(p: Promise<unknown>): Promise<k8s.ApiException<string>> {
    try {
      await p;
    } catch (err) {
      if (err instanceof k8s.ApiException) return err as k8s.ApiException<string>;
      throw err;
    }
    throw new Error('expected the call to fail');
  }

  it('reads the kubeconfig as an http:// cluster that skips TLS verification', () => {
    expect(kc.getCurrentCluster()).toMatchObject({ server: cluster.apiserver.url, skipTLSVerify: true });
  });

  it('does ConfigMap CRUD, with json-patch and merge-patch', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'crud', labels: { suite: 'client-node' } }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);

    const read = await core.readNamespacedConfigMap({ name: 'crud', namespace: NS });
    expect(read.data).toEqual({ a: '1' });

    const list = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'suite=client-node' });
    expect(list.items.map((c) => c.metadata?.name)).toEqual(['crud']);
    expect(list.metadata?.resourceVersion).toMatch(/^\d+$/);

    read.data = { a: '2' };
    const replaced = await core.replaceNamespacedConfigMap({ name: 'crud', namespace: NS, body: read });
    expect(replaced.data).toEqual({ a: '2' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(read.metadata?.resourceVersion));

    // client-node 1.4 sends application/json-patch+json unless told otherwise.
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: 'crud',
      namespace: NS,
      body: [{ op: 'add', path: '/data/b', value: 'x' }],
    });
    expect(jsonPatched.data).toEqual({ a: '2', b: 'x' });

    const merged = await core.patchNamespacedConfigMap({ name: 'crud', namespace: NS, body: { data: { a: null, c: 'y' } } }, mergePatch);
    expect(merged.data).toEqual({ b: 'x', c: 'y' });

    await core.deleteNamespacedConfigMap({ name: 'crud', namespace: NS });
    const gone = await apiError(core.readNamespacedConfigMap({ name: 'crud', namespace: NS }));
    expect(gone.code).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'configmaps "crud" not found' });
  });

  it('does Deployment CRUD, and a stale replace is a 409', async () => {
    const body: k8s.V1Deployment = {
      metadata: { name: 'api' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } },
      },
    };
    const created = await apps.createNamespacedDeployment({ namespace: NS, body });
    expect(created.metadata?.generation).toBe(1);
    // Defaults arrive typed, the way the server filled them in.
    expect(created.spec?.strategy?.type).toBe('RollingUpdate');

    const dup = await apiError(apps.createNamespacedDeployment({ namespace: NS, body }));
    expect(dup.code).toBe(409);
    expect(JSON.parse(dup.body)).toMatchObject({ reason: 'AlreadyExists', message: 'deployments.apps "api" already exists' });

    const list = await apps.listNamespacedDeployment({ namespace: NS });
    expect(list.items.map((d) => d.metadata?.name)).toContain('api');

    const read = await apps.readNamespacedDeployment({ name: 'api', namespace: NS });
    read.spec!.replicas = 3;
    const replaced = await apps.replaceNamespacedDeployment({ name: 'api', namespace: NS, body: read });
    expect(replaced.spec?.replicas).toBe(3);
    expect(replaced.metadata?.generation).toBe(2);

    // `read` still carries the resourceVersion from before the replace.
    read.spec!.replicas = 4;
    const conflict = await apiError(apps.replaceNamespacedDeployment({ name: 'api', namespace: NS, body: read }));
    expect(conflict.code).toBe(409);
    expect(JSON.parse(conflict.body)).toMatchObject({ reason: 'Conflict' });
    expect((await apps.readNamespacedDeployment({ name: 'api', namespace: NS })).spec?.replicas).toBe(3);

    const patched = await apps.patchNamespacedDeployment(
      { name: 'api', namespace: NS, body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } } } } },
      mergePatch,
    );
    expect(patched.spec?.template.spec?.containers.map((c) => c.image)).toEqual(['nginx:1.26']);
    expect(patched.metadata?.generation).toBe(3);

    const scale = await apps.readNamespacedDeploymentScale({ name: 'api', namespace: NS });
    expect(scale.spec?.replicas).toBe(3);

    await apps.deleteNamespacedDeployment({ name: 'api', namespace: NS, propagationPolicy: 'Background' });
    expect((await apiError(apps.readNamespacedDeployment({ name: 'api', namespace: NS }))).code).toBe(404);
  });

  it('does Pod CRUD', async () => {
    const created = await core.createNamespacedPod({
      namespace: NS,
      body: { metadata: { name: 'solo', labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    expect(created.status?.phase).toBe('Pending');
    expect(created.spec?.containers[0]?.imagePullPolicy).toBe('Always');

    expect((await core.readNamespacedPod({ name: 'solo', namespace: NS })).metadata?.labels).toEqual({ app: 'solo' });
    const list = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=solo' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['solo']);

    const patched = await core.patchNamespacedPod({
      name: 'solo',
      namespace: NS,
      body: [{ op: 'add', path: '/metadata/labels/tier', value: 'x' }],
    });
    expect(patched.metadata?.labels).toEqual({ app: 'solo', tier: 'x' });

    const current = await core.readNamespacedPod({ name: 'solo', namespace: NS });
    current.metadata!.annotations = { note: 'replaced' };
    const replaced = await core.replaceNamespacedPod({ name: 'solo', namespace: NS, body: current });
    expect(replaced.metadata?.annotations).toEqual({ note: 'replaced' });

    // Nothing runs an unscheduled pod, so it goes at once rather than after a grace period.
    await core.deleteNamespacedPod({ name: 'solo', namespace: NS });
    expect((await apiError(core.readNamespacedPod({ name: 'solo', namespace: NS }))).code).toBe(404);
  });

  it('runs an informer through add, update and delete, and across an API server restart', async () => {
    const events: string[] = [];
    const errors: unknown[] = [];
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    const informer = k8s.makeInformer(kc, path, () => core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'informed=yes' }), 'informed=yes');
    const record = (kind: string) => (cm: k8s.V1ConfigMap) => events.push(`${kind} ${cm.metadata?.name} ${JSON.stringify(cm.data ?? {})}`);
    informer.on(k8s.ADD, record('add'));
    informer.on(k8s.UPDATE, record('update'));
    informer.on(k8s.DELETE, record('delete'));
    // client-node's informer stops on an error (e.g. a refused relist while the server is down);
    // restarting it from the error callback is the library's documented way to keep it going.
    let stopped = false;
    informer.on(k8s.ERROR, (err) => {
      errors.push(err);
      if (!stopped) setTimeout(() => void informer.start().catch(() => undefined), 300);
    });
    const cm = (name: string, data: Record<string, string>): k8s.V1ConfigMap => ({ metadata: { name, labels: { informed: 'yes' } }, data });
    const seen = (event: string, ms: number) => until(() => events.includes(event), ms, () => `events: ${JSON.stringify(events)}\nerrors: ${String(errors)}`);

    try {
      await informer.start();
      await core.createNamespacedConfigMap({ namespace: NS, body: cm('watched', { v: '1' }) });
      await seen('add watched {"v":"1"}', 5_000);
      await core.patchNamespacedConfigMap({ name: 'watched', namespace: NS, body: { data: { v: '2' } } }, mergePatch);
      await seen('update watched {"v":"2"}', 5_000);
      await core.deleteNamespacedConfigMap({ name: 'watched', namespace: NS });
      await seen('delete watched {"v":"2"}', 5_000);
      expect(informer.list(NS)).toEqual([]);

      // A restart: the old process ends the watch stream; the new one listens on the same port.
      await core.createNamespacedConfigMap({ namespace: NS, body: cm('survivor', { v: '1' }) });
      await seen('add survivor {"v":"1"}', 5_000);
      await cluster.apiserver.stop();
      restarted = await startApiServer(cluster.store.endpoint, { port: cluster.apiserver.port });

      await core.createNamespacedConfigMap({ namespace: NS, body: cm('after', { v: '1' }) });
      await seen('add after {"v":"1"}', 15_000);
      await core.patchNamespacedConfigMap({ name: 'survivor', namespace: NS, body: { data: { v: '2' } } }, mergePatch);
      await seen('update survivor {"v":"2"}', 15_000);
      expect(informer.get('survivor', NS)?.data).toEqual({ v: '2' });
      // The relist after the restart must not replay what the informer already had as new adds.
      expect(events.filter((e) => e.startsWith('add survivor'))).toHaveLength(1);
    } finally {
      stopped = true;
      await informer.stop();
    }
  });
});

async function until(cond: () => boolean, timeoutMs: number, show: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms; ${show()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
