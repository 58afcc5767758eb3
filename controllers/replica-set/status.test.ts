import { describe, expect, it } from 'vitest';
import { NOW, pod, replicaSet } from './_test-pods.js';
import { calculateStatus, nextAvailableInMs, statusChanged } from './status.js';

describe('calculateStatus', () => {
  const rs = replicaSet('web', 3, { minReadySeconds: 10 });
  rs.spec!.template!.metadata!.labels = { app: 'web', tier: 'fe' };
  const a = pod({ name: 'a', labels: { app: 'web', tier: 'fe' }, phase: 'Running', readySince: NOW - 60_000 });
  const b = pod({ name: 'b', labels: { app: 'web' }, phase: 'Running', readySince: NOW - 2000 });
  const c = pod({ name: 'c', labels: { app: 'web' }, phase: 'Running' });

  it('counts replicas, fully labelled, ready and available pods (the doc example)', () => {
    expect(calculateStatus(rs, [a, b, c], undefined, NOW)).toEqual({ replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1 });
  });

  it('sets ReplicaFailure on a failed create, keeps it as first written, and removes it once managing succeeds', () => {
    const failed = calculateStatus(rs, [], new Error('pods "web-" is forbidden: quota'), NOW);
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-" is forbidden: quota', lastTransitionTime: '2026-01-01T12:00:00Z' }]);
    const withFailure = { ...rs, status: failed };
    expect(calculateStatus(withFailure, [], new Error('another'), NOW + 5000).conditions).toEqual(failed.conditions);
    expect(calculateStatus(withFailure, [a, b, c], undefined, NOW).conditions).toBeUndefined();
    expect(calculateStatus(rs, [a, b, c, pod({ name: 'd' })], new Error('x'), NOW).conditions?.[0]?.reason).toBe('FailedDelete');
  });

  it('sees a change in any count, the generation or the conditions, and nothing else', () => {
    const status = calculateStatus(rs, [a, b, c], undefined, NOW);
    expect(statusChanged(rs, status)).toBe(true);
    const written = { ...rs, status: { ...status, observedGeneration: 1 } };
    expect(statusChanged(written, calculateStatus(written, [a, b, c], undefined, NOW))).toBe(false);
    expect(statusChanged({ ...written, metadata: { ...written.metadata, generation: 2 } }, status)).toBe(true);
  });

  it('says when the next ready pod becomes available', () => {
    expect(nextAvailableInMs(rs, [a, b, c], NOW)).toBe(8001);
    expect(nextAvailableInMs(replicaSet('web', 3), [a, b, c], NOW)).toBeUndefined();
    expect(nextAvailableInMs(rs, [a, c], NOW)).toBeUndefined();
  });
});
