import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type KubeObject } from '../api/client.js';
import { resolveResource } from '../api/resources.js';
import { startCluster, startComponent, type Cluster, type MinikProcess } from './support/cluster.js';

const leases = resolveResource('leases')!;
const pods = resolveResource('pods')!;
// Short enough for a test, long enough that a loaded machine does not lose a lease by accident.
const FAST_ELECTION = ['--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'];

type Lease = KubeObject & { spec?: { holderIdentity?: string; leaseTransitions?: number } };

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe().catch(() => undefined);
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('leader election of the scheduler and the controller manager', () => {
  let cluster: Cluster;
  let client: ApiClient;
  const started: MinikProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    client = new ApiClient({ server: cluster.apiserver.url });
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
    client?.close();
    await cluster?.stop();
  });

  /** The pid in the holder identity `host_pid_random` names the copy that leads. */
  const holderPid = async (name: string) => {
    const lease = await client.get<Lease>(leases, 'kube-system', name);
    const pid = Number(lease.spec?.holderIdentity?.split('_').at(-2));
    return Number.isInteger(pid) && pid > 0 ? { pid, transitions: lease.spec?.leaseTransitions ?? 0 } : undefined;
  };

  it('keeps one scheduler leading while a second waits, and the second binds pods once the first is killed', async () => {
    const first = await startComponent('scheduler', cluster.apiserver.url, FAST_ELECTION);
    started.push(first);
    await until('the first scheduler to lead', async () => ((await holderPid('kube-scheduler'))?.pid === first.child.pid ? true : undefined));
    const second = await startComponent('scheduler', cluster.apiserver.url, FAST_ELECTION);
    started.push(second);
    const kubelet = await startComponent('kubelet-sim', cluster.apiserver.url, ['--nodes', '1', '--speed', '20']);
    started.push(kubelet);

    await first.crash();
    await client.create(pods, 'default', { metadata: { name: 'after-failover' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const holder = await until('the second scheduler to take over', async () => {
      const h = await holderPid('kube-scheduler');
      return h?.pid === second.child.pid ? h : undefined;
    });
    expect(holder.transitions).toBeGreaterThanOrEqual(1);
    const bound = await until('the pod to be bound', async () => (await client.get<KubeObject & { spec: { nodeName?: string } }>(pods, 'default', 'after-failover')).spec.nodeName);
    expect(bound).toBe('node-1');
  });

  it('hands the controller manager lease to the standby at once when the leader stops cleanly', async () => {
    const first = await startComponent('controller-manager', cluster.apiserver.url, FAST_ELECTION);
    started.push(first);
    await until('the first controller manager to lead', async () => ((await holderPid('kube-controller-manager'))?.pid === first.child.pid ? true : undefined));
    const second = await startComponent('controller-manager', cluster.apiserver.url, FAST_ELECTION);
    started.push(second);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await holderPid('kube-controller-manager'))?.pid).toBe(first.child.pid);

    expect(await first.stop()).toBe(0);
    await until('the standby to lead', async () => ((await holderPid('kube-controller-manager'))?.pid === second.child.pid ? true : undefined), 5_000);
  });
});
