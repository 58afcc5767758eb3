import { describe, expect, it } from 'vitest';
import { NodeProbes } from './probes.js';

describe('NodeProbes', () => {
  it('dates a probe from its first sight and from each change of heartbeat or Lease (the doc example)', () => {
    const probes = new NodeProbes();
    expect(probes.observe('node-1', { heartbeat: 'T0', renew: 'R0' }, 1_000)).toBe(1_000);
    expect(probes.observe('node-1', { heartbeat: 'T0', renew: 'R0' }, 9_000)).toBe(1_000);
    expect(probes.observe('node-1', { heartbeat: 'T0', renew: 'R1' }, 9_500)).toBe(9_500);
    expect(probes.observe('node-1', { heartbeat: 'T1', renew: 'R1' }, 9_800)).toBe(9_800);
    // Another node, and a forgotten one seen again, start afresh.
    expect(probes.observe('node-2', { heartbeat: 'T0', renew: 'R1' }, 9_900)).toBe(9_900);
    probes.forget('node-1');
    expect(probes.observe('node-1', { heartbeat: 'T1', renew: 'R1' }, 12_000)).toBe(12_000);
  });
});
