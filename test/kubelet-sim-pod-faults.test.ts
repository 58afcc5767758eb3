import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const pods = resolveResource('pods')!;
const events = resolveResource('events')!;

type State = { waiting?: { reason?: string; message?: string }; running?: object; terminated?: { reason?: string; exitCode?: number } };
type Status = { name: string; restartCount: number; state?: State; lastState?: State };
type Obj = KubeObject & {
  status?: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: Status[]; initContainerStatuses?: Status[] };
};
const condition = (p: Obj, type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;
const wait = { timeout: 15_000, interval: 50 };

// Pod faults a class triggers through the API alone, against the built binaries: kubelet-sim at
// speed 50 (a 10 s back-off takes 0.2 s) and the scheduler placing the pods.
describe('minik kubelet-sim pod faults, as processes', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const components: MinikProcess[] = [];
  const get = (name: string) => client.get<Obj>(pods, 'default', name);
  const reasons = async (name: string) =>
    (await client.list<KubeObject & { involvedObject?: { name?: string }; reason?: string; message?: string }>(events, 'default')).items
      .filter((e) => e.involvedObject?.name === name)
      .map((e) => `${e.reason}: ${e.message}`);

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
    components.push(await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes', '2', '--speed', '50']));
    components.push(await startComponent('scheduler', cluster.apiserver.url, ['--seed', '7']));
  });

  afterAll(async () => {
    for (const c of components) await c.kill('SIGKILL');
    client?.close();
    await cluster?.stop();
  });

  it('restarts a crashing container with back-off until the crash annotation is removed', async () => {
    await client.create(pods, 'default', {
      metadata: { name: 'crasher', annotations: { 'minik.dev/crash': '5' } },
      spec: { containers: [{ name: 'app', image: 'nginx' }] },
    });
    await vi.waitFor(async () => {
      const p = await get('crasher');
      const s = p.status?.containerStatuses?.[0];
      expect(s?.restartCount).toBeGreaterThanOrEqual(2);
      expect(p.status?.phase).toBe('Running');
      expect(s?.lastState?.terminated).toMatchObject({ reason: 'Error', exitCode: 1 });
    }, wait);
    await vi.waitFor(async () => {
      const p = await get('crasher');
      expect(p.status?.containerStatuses?.[0]?.state?.waiting?.message).toMatch(
        new RegExp(`^back-off \\d+s restarting failed container=app pod=crasher_default\\(${p.metadata?.uid}\\)$`),
      );
      expect(condition(p, 'Ready')).toBe('False');
    }, wait);
    await vi.waitFor(async () => {
      expect(await reasons('crasher')).toEqual(
        expect.arrayContaining([expect.stringMatching(/^BackOff: Back-off restarting failed container app in pod crasher_default\(/), 'Created: Created container: app', 'Started: Started container app']),
      );
    }, wait);
    await client.patch(pods, 'default', 'crasher', 'merge', { metadata: { annotations: { 'minik.dev/crash': null } } });
    await vi.waitFor(async () => {
      const p = await get('crasher');
      expect([p.status?.containerStatuses?.[0]?.state?.running, condition(p, 'Ready')]).toEqual([expect.anything(), 'True']);
    }, wait);
    const restarts = (await get('crasher')).status?.containerStatuses?.[0]?.restartCount;
    await new Promise((r) => setTimeout(r, 500)); // 25 simulated seconds: no crash comes
    expect((await get('crasher')).status?.containerStatuses?.[0]?.restartCount).toBe(restarts);
  });

  it('shows ErrImagePull then ImagePullBackOff for an image that cannot be pulled, and runs once the image is fixed', async () => {
    await client.create(pods, 'default', { metadata: { name: 'bad-image' }, spec: { containers: [{ name: 'app', image: 'nginx:missing' }] } });
    await vi.waitFor(async () => {
      const p = await get('bad-image');
      expect(p.status?.phase).toBe('Pending');
      expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
      // Events are written after the status they go with, so they are waited for too.
      expect(await reasons('bad-image')).toEqual(
        expect.arrayContaining([
          'Pulling: Pulling image "nginx:missing"',
          expect.stringMatching(/^Failed: Failed to pull image "nginx:missing": .*docker\.io\/library\/nginx:missing: not found$/),
          'Failed: Error: ErrImagePull',
          'BackOff: Back-off pulling image "nginx:missing"',
          'Failed: Error: ImagePullBackOff',
        ]),
      );
    }, wait);
    const p = await get('bad-image');
    await client.update(pods, 'default', { ...p, spec: { ...(p.spec as object), containers: [{ name: 'app', image: 'nginx:1.27' }] } });
    await vi.waitFor(async () => {
      const q = await get('bad-image');
      expect([q.status?.phase, condition(q, 'Ready'), q.status?.containerStatuses?.[0]?.state?.running]).toEqual(['Running', 'True', expect.anything()]);
    }, wait);
  });

  it('runs init containers in order before the app container', async () => {
    await client.create(pods, 'default', {
      metadata: { name: 'with-init' },
      spec: { initContainers: [{ name: 'one', image: 'busybox' }, { name: 'two', image: 'busybox' }], containers: [{ name: 'app', image: 'nginx' }] },
    });
    const seen = new Set<string>();
    await vi.waitFor(async () => {
      const p = await get('with-init');
      const inits = p.status?.initContainerStatuses ?? [];
      if (condition(p, 'Initialized') === 'False') seen.add(inits.map((s) => Object.keys(s.state ?? {})[0]).join(','));
      expect([p.status?.phase, condition(p, 'Initialized'), condition(p, 'Ready')]).toEqual(['Running', 'True', 'True']);
      expect(inits.map((s) => [s.name, s.state?.terminated?.reason])).toEqual([['one', 'Completed'], ['two', 'Completed']]);
    }, wait);
    // Never the second before the first.
    for (const s of seen) expect(['waiting,waiting', 'running,waiting', 'terminated,waiting', 'terminated,running', 'terminated,terminated']).toContain(s);
  });

  it('fails a restartPolicy Never pod that exits with a non-zero code', async () => {
    await client.create(pods, 'default', {
      metadata: { name: 'job', annotations: { 'minik.dev/completes': 'true', 'minik.dev/exit-code': '1' } },
      spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox' }] },
    });
    await vi.waitFor(async () => {
      const p = await get('job');
      expect(p.status?.phase).toBe('Failed');
      expect(p.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ reason: 'Error', exitCode: 1 });
    }, wait);
  });
});
