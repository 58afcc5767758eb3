import { describe, expect, it } from 'vitest';
import { Lease } from './cluster.js';
import { MicroTime } from './meta.js';

describe('MicroTime', () => {
  it('takes RFC 3339 with six fractional digits, and nothing kubectl could not read back', () => {
    expect(MicroTime.safeParse('2026-11-21T10:00:00.000000Z').success).toBe(true);
    expect(MicroTime.safeParse('2026-11-21T10:00:00.123456+02:00').success).toBe(true);
    for (const bad of ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.123Z', 'yesterday']) expect(MicroTime.safeParse(bad).success).toBe(false);
  });

  it('is what a Lease holds in renewTime and acquireTime', () => {
    const lease = (renewTime: string) => ({ metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', renewTime } });
    expect(Lease.safeParse(lease('2026-11-21T10:00:00.000000Z')).success).toBe(true);
    const refused = Lease.safeParse(lease('2026-11-21T10:00:00Z'));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain('must be a MicroTime');
  });
});
