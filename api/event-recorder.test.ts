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

  it('starts a new Event for a repeat once the object is forgotten, by name or by being the oldest of too many', async () => {
    sim = await SimCluster.start({ seed: 1, nodes: 1 });
    const recorder = new EventRecorder({ client: sim.client, clock: sim.clock, component: 'kubelet' });
    const counts = () => sim!.objects<Event>('events', 'default').filter((e) => e.involvedObject?.name === 'web-1').map((e) => e.count).sort();
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off');
    recorder.forget(pod);
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off');
    expect(counts()).toEqual([1, 1]);
    for (let i = 0; i < 4096; i++) {
      await recorder.record({ ...pod, metadata: { name: `other-${i}`, namespace: 'default', uid: `u-${i}` } } as KubeObject, 'Normal', 'Pulled', 'Pulled');
    }
    await recorder.record(pod, 'Warning', 'BackOff', 'Back-off');
    expect(counts()).toEqual([1, 1, 1]);
  });
});
