import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { Pass } from './pass.js';
import { isScalingEvent, proportionalScale } from './proportional-scaling.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, specReplicas } from './_util.js';

const deployment = (replicas: number, maxSurge: number | string = 3): Deployment => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: 2 } } },
  status: { replicas: 13 },
});

const rs = (name: string, replicas: number, created: string, annotations: Record<string, string> = { [DESIRED_REPLICAS]: '10', [MAX_REPLICAS]: '13' }): ReplicaSet => ({
  metadata: { name, namespace: 'default', creationTimestamp: created, annotations },
  spec: { replicas, selector: { matchLabels: { app: 'web' } } },
  status: { replicas, availableReplicas: replicas },
});

function scale(d: Deployment, rss: ReplicaSet[]): Record<string, number> {
  const pass = new Pass(d, rss, 0);
  const [newRS, ...old] = [...pass.rss].reverse();
  proportionalScale(pass, newRS, old);
  return Object.fromEntries(pass.rss.map((r) => [r.metadata!.name!, specReplicas(r)]));
}

describe('proportionalScale', () => {
  const old = () => rs('web-old', 8, '2026-11-21T10:00:00Z');
  const fresh = () => rs('web-new', 5, '2026-11-21T10:01:00Z');

  it('grows every active ReplicaSet by its share (the doc comment: 10 -> 20 replicas)', () => {
    expect(scale(deployment(20), [old(), fresh()])).toEqual({ 'web-old': 14, 'web-new': 9 });
  });

  it('shrinks by shares and gives the leftover to the largest (10 -> 5: 13 -> 7 allowed)', () => {
    // 8*7/13 = 4.3 -> 4 (-4); 5*7/13 = 2.7 -> 3 (-2); 6 removed of 6.
    expect(scale(deployment(5, 2), [old(), fresh()])).toEqual({ 'web-old': 4, 'web-new': 3 });
  });

  it('takes everything away when scaled to zero', () => {
    expect(scale(deployment(0), [old(), fresh()])).toEqual({ 'web-old': 0, 'web-new': 0 });
  });

  it('writes the new desired and max-replicas annotations and records the scaling', () => {
    const pass = new Pass(deployment(20), [old(), fresh()], 0);
    proportionalScale(pass, pass.rss[1], [pass.rss[0]!]);
    const updates = pass.actions.filter((a) => a.type === 'update');
    expect(updates.map((a) => a.type === 'update' && a.rs.metadata!.annotations)).toEqual([
      { [DESIRED_REPLICAS]: '20', [MAX_REPLICAS]: '23' },
      { [DESIRED_REPLICAS]: '20', [MAX_REPLICAS]: '23' },
    ]);
    expect(updates.map((a) => a.type === 'update' && a.event?.message)).toEqual([
      'Scaled up replica set web-old from 8 to 14',
      'Scaled up replica set web-new from 5 to 9',
    ]);
  });

  it('sizes the only active ReplicaSet to spec.replicas', () => {
    expect(scale(deployment(7), [rs('web-old', 0, '2026-11-21T10:00:00Z'), fresh()])).toEqual({ 'web-old': 0, 'web-new': 7 });
  });
});

describe('isScalingEvent', () => {
  it('is a change of spec.replicas against the desired-replicas annotation of an active ReplicaSet', () => {
    expect(isScalingEvent(deployment(10), [rs('a', 3, 'x')])).toBe(false);
    expect(isScalingEvent(deployment(11), [rs('a', 3, 'x')])).toBe(true);
    expect(isScalingEvent(deployment(11), [rs('a', 0, 'x')])).toBe(false);
    expect(isScalingEvent(deployment(11), [rs('a', 3, 'x', {})])).toBe(false);
  });
});
