import { afterEach, describe, expect, it } from 'vitest';
import { SimCluster } from '../sim/cluster.js';
import type { KubeObject } from './client.js';
import { EventRecorder } from './event-recorder.js';
import type { Event } from './schemas/cluster.js';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'u1' } } as KubeObject;

describe('EventRecorder', () => {
  let sim: SimCluster | undefined;
  afterEach(async () => {
    await sim?.stop();
  });

  it('keeps both Events when two components write about one object in the same millisecond', async () => {
    sim = await SimCluster.start({ seed: 1, nodes: 1 });
    const scheduler = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'default-scheduler' });
    const kubelet = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'kubelet' });
    await scheduler.record(pod, 'Normal', 'Scheduled', 'Successfully assigned default/web-1 to node-1');
    await kubelet.record(pod, 'Normal', 'Pulled', 'Container image "app:1" already present on machine');
    const reasons = sim.objects<Event>('events', 'default').filter((e) => e.involvedObject?.name === 'web-1').map((e) => e.reason);
    expect(reasons.sort()).toEqual(['Pulled', 'Scheduled']);
  });

  it('folds a repeat into one Event whose count grows', async () => {
    sim = await SimCluster.start({ seed: 1, nodes: 1 });
    const recorder = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'kubelet' });
    for (let i = 0; i < 3; i++) await recorder.record(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    const backOffs = sim.objects<Event>('events', 'default').filter((e) => e.reason === 'BackOff');
    expect(backOffs.map((e) => e.count)).toEqual([3]);
  });

  it('starts a new Event for a repeat once 4,096 other events have pushed it out of memory', async () => {
    sim = await SimCluster.start({ seed: 1, nodes: 1 });
    const recorder = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'kubelet' });
    const counts = () => sim!.objects<Event>('events', 'default').filter((e) => e.involvedObject?.name === 'web-1').map((e) => e.count).sort();
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off');
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off');
    expect(counts()).toEqual([2]);
    for (let i = 0; i < 4096; i++) {
      await recorder.record({ ...pod, metadata: { name: `other-${i}`, namespace: 'default', uid: `u-${i}` } } as KubeObject, 'Normal', 'Pulled', 'Pulled');
    }
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off');
    expect(counts()).toEqual([1, 2]);
  });

  it('writes what a kubelet writes: source host and reporting instance, the Events of a node in default', async () => {
    sim = await SimCluster.start({ seed: 1, nodes: 1 });
    const recorder = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'kubelet' });
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-9', uid: 'n9' } } as KubeObject;
    await recorder.record(node, 'Normal', 'NodeReady', 'Node node-9 status is now: NodeReady', 'node-9');
    const [e] = sim.objects<Event>('events', 'default').filter((x) => x.involvedObject?.name === 'node-9');
    expect(e).toMatchObject({ source: { component: 'kubelet', host: 'node-9' }, reportingComponent: 'kubelet', reportingInstance: 'node-9', involvedObject: { kind: 'Node', apiVersion: 'v1' } });
    expect(e!.involvedObject).not.toHaveProperty('namespace');
  });

  it('drops the Events of a source about one object past 25, and combines similar ones after 9, as a Kubernetes component does', async () => {
    sim = await SimCluster.start({ seed: 1, nodes: 1 });
    const recorder = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'replicaset-controller' });
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'default', uid: 'rs1' } } as KubeObject;
    for (let i = 0; i < 100; i++) await recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-5d8f-${i}`);
    const written = sim.objects<Event>('events', 'default').filter((e) => e.involvedObject?.name === 'web-5d8f');
    expect(written).toHaveLength(10);
    expect(written.find((e) => e.message?.startsWith('(combined from similar events)'))).toMatchObject({ count: 16, message: '(combined from similar events): Created pod: web-5d8f-24' });
  });
});
