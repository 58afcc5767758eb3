import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { chipName, podLook, POD_STATES } from './pod-state.js';

const bound = (status: object, extra: object = {}) => ({
  metadata: { name: 'web-7d4b9c-x2x7q', ...extra },
  spec: { nodeName: 'node-1', containers: [{ name: 'web' }] },
  status,
});
const waiting = (reason: string) => ({ name: 'web', state: { waiting: { reason } }, restartCount: 0 });

describe('podLook', () => {
  it('reads a pod through its life as kubectl prints it', () => {
    expect(podLook({ metadata: { name: 'p' }, spec: {}, status: { phase: 'Pending' } })).toEqual({ state: 'Pending', label: 'Pending', restarts: 0 });
    expect(podLook(bound({ phase: 'Pending', containerStatuses: [waiting('ContainerCreating')] }))).toMatchObject({ state: 'ContainerCreating', label: 'ContainerCreating' });
    expect(podLook(bound({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }))).toMatchObject({ state: 'Running', label: 'Running' });
    expect(podLook(bound({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }))).toMatchObject({ state: 'Ready', label: 'Running' });
    expect(podLook(bound({ phase: 'Succeeded' }))).toMatchObject({ state: 'Completed' });
    expect(podLook(bound({ phase: 'Failed', reason: 'Evicted' }))).toMatchObject({ state: 'Failed', label: 'Evicted' });
  });

  it('shows a crash loop and its restarts, and an image that cannot be pulled', () => {
    const crashing = bound({ phase: 'Running', containerStatuses: [{ ...waiting('CrashLoopBackOff'), restartCount: 3 }] });
    expect(podLook(crashing)).toEqual({ state: 'CrashLoopBackOff', label: 'CrashLoopBackOff', restarts: 3 });
    expect(podLook(bound({ phase: 'Pending', containerStatuses: [waiting('ImagePullBackOff')] }))).toMatchObject({ state: 'Error', label: 'ImagePullBackOff' });
  });

  it('counts init containers as kubectl does', () => {
    const pod = bound({
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', state: { running: {} } },
      ],
    });
    expect(podLook(pod)).toMatchObject({ state: 'ContainerCreating', label: 'Init:1/2' });
  });

  test.prop([
    fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
    fc.option(fc.constantFrom('node-1', 'node-2'), { nil: undefined }),
    fc.array(fc.constantFrom('ContainerCreating', 'CrashLoopBackOff', 'ErrImagePull', 'PodInitializing'), { maxLength: 3 }),
    fc.boolean(),
  ])('a deleted pod is Terminating whatever else it says, and every pod gets a known state', (phase, nodeName, reasons, deleted) => {
    const pod = {
      metadata: { name: 'p', ...(deleted ? { deletionTimestamp: '2026-11-21T10:00:00Z' } : {}) },
      spec: { nodeName, containers: [] },
      status: { phase, containerStatuses: reasons.map(waiting) },
    };
    const look = podLook(pod);
    expect(POD_STATES).toContain(look.state);
    if (deleted) expect(look.state).toBe('Terminating');
    if (!deleted && !nodeName && phase === 'Pending' && reasons.length === 0) expect(look.state).toBe('Pending');
  });
});

describe('chipName', () => {
  it('keeps the random suffix of a ReplicaSet pod and the whole name of a bare one', () => {
    expect(chipName('web-7d4b9c-x2x7q', [{ controller: true }])).toBe('x2x7q');
    expect(chipName('debug-pod', undefined)).toBe('debug-pod');
  });
});
