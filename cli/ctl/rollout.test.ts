import { describe, expect, it } from 'vitest';
import { rolloutPatch } from './rollout.js';

const at = new Date('2026-11-21T10:00:00.123Z');

describe('rolloutPatch', () => {
  it('pauses and resumes through spec.paused', () => {
    expect(rolloutPatch({ spec: {} }, 'pause', at)).toEqual({ spec: { paused: true } });
    expect(rolloutPatch({ spec: { paused: true } }, 'resume', at)).toEqual({ spec: { paused: null } });
  });

  it('restarts by stamping the pod template, so that the Deployment rolls a new ReplicaSet', () => {
    expect(rolloutPatch({ spec: {} }, 'restart', at)).toEqual({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-21T10:00:00Z' } } } } });
  });

  it('refuses what kubectl refuses', () => {
    expect(() => rolloutPatch({ spec: { paused: true } }, 'pause', at)).toThrow('is already paused');
    expect(() => rolloutPatch({ spec: {} }, 'resume', at)).toThrow('is not paused');
    expect(() => rolloutPatch({ spec: { paused: true } }, 'restart', at)).toThrow("can't restart paused deployment (run rollout resume first)");
  });
});
