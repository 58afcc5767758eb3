import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerUsage, CPU_USAGE_ANNOTATION, MEMORY_USAGE_ANNOTATION, totalUsage } from './simulated-usage.js';

const Mi = 2 ** 20;
const pod = (containers: Array<{ name: string; cpu?: string; memory?: string; limitOnly?: boolean }>, annotations?: Record<string, string>) => ({
  metadata: { uid: 'uid-1', ...(annotations ? { annotations } : {}) },
  spec: {
    containers: containers.map((c) => {
      const r = { ...(c.cpu ? { cpu: c.cpu } : {}), ...(c.memory ? { memory: c.memory } : {}) };
      return { name: c.name, resources: c.limitOnly ? { limits: r } : { requests: r } };
    }),
  },
});

describe('containerUsage', () => {
  it('keeps CPU within 10-60 % and memory within 40-60 % of what each container requests (or limits), at any time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 4096 }), fc.boolean(), fc.integer({ min: 0, max: 2 ** 40 }), (milli, mebi, limitOnly, t) => {
        const [u] = containerUsage(pod([{ name: 'c', cpu: `${milli}m`, memory: `${mebi}Mi`, limitOnly }]), t);
        expect(u!.usage.cpuNano).toBeGreaterThanOrEqual(Math.floor(milli * 1e6 * 0.1));
        expect(u!.usage.cpuNano).toBeLessThanOrEqual(Math.ceil(milli * 1e6 * 0.6));
        expect(u!.usage.memoryBytes).toBeGreaterThanOrEqual(Math.floor(mebi * Mi * 0.4));
        expect(u!.usage.memoryBytes).toBeLessThanOrEqual(Math.ceil(mebi * Mi * 0.6));
      }),
    );
  });

  it('is the same for the same pod at the same time, and moves over minutes', () => {
    const p = pod([{ name: 'a', cpu: '1', memory: '1Gi' }, { name: 'b', cpu: '1', memory: '1Gi' }]);
    expect(containerUsage(p, 1_000)).toEqual(containerUsage(p, 1_000));
    const [a, b] = containerUsage(p, 1_000);
    expect(a!.usage).not.toEqual(b!.usage);
    expect(containerUsage(p, 61_000)[0]!.usage.cpuNano).not.toBe(a!.usage.cpuNano);
  });

  it('uses a little when nothing is requested, and exactly what the annotations say, split over the containers', () => {
    expect(containerUsage(pod([{ name: 'c' }]), 0)).toEqual([{ name: 'c', usage: { cpuNano: 2_000_000, memoryBytes: 8 * Mi } }]);
    const set = containerUsage(pod([{ name: 'a', cpu: '100m' }, { name: 'b' }], { [CPU_USAGE_ANNOTATION]: '900m', [MEMORY_USAGE_ANNOTATION]: '300Mi' }), 0);
    expect(set.map((c) => c.usage)).toEqual([
      { cpuNano: 450_000_000, memoryBytes: 150 * Mi },
      { cpuNano: 450_000_000, memoryBytes: 150 * Mi },
    ]);
    expect(totalUsage(set.map((c) => c.usage))).toEqual({ cpuNano: 900_000_000, memoryBytes: 300 * Mi });
  });
});
