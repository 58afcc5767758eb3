import { describe, expect, it } from 'vitest';
import { CRASH, faultPatch, HEARTBEATS } from './fault.js';

describe('faultPatch', () => {
  it('sets the annotation the simulator reads, and removes it', () => {
    expect(faultPatch({ metadata: {} }, HEARTBEATS, 'stopped')).toEqual({ metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });
    expect(faultPatch({ metadata: { annotations: { 'minik.dev/crash': '0' } } }, CRASH, undefined)).toEqual({ metadata: { annotations: { 'minik.dev/crash': null } } });
  });

  it('plans nothing when the object already is as asked', () => {
    expect(faultPatch({ metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } }, HEARTBEATS, 'stopped')).toBeUndefined();
    expect(faultPatch({ metadata: {} }, CRASH, undefined)).toBeUndefined();
  });
});
