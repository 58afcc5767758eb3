import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTopNodes, formatTopPods, nodeTops, percent, podTops } from './top.js';

const node = (name: string, cpu: string, memory: string) => ({ metadata: { name }, status: { allocatable: { cpu, memory } } });
const pod = (name: string, nodeName: string | undefined, cpu: string, memory: string, phase = 'Running') => ({
  metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] },
  status: { phase },
});

describe('nodeTops', () => {
  it("sums the requests of each node's running pods against its allocatable", () => {
    const rows = nodeTops(
      [node('node-1', '2', '4Gi'), node('node-2', '4', '8Gi')],
      [pod('a', 'node-1', '500m', '1Gi'), pod('b', 'node-1', '250m', '512Mi'), pod('done', 'node-1', '1', '1Gi', 'Succeeded'), pod('pending', undefined, '1', '1Gi')],
    );
    expect(rows).toEqual([
      { name: 'node-1', milliCPU: 750, memory: 1536 * 1024 * 1024, cpuPercent: 37, memoryPercent: 37 },
      { name: 'node-2', milliCPU: 0, memory: 0, cpuPercent: 0, memoryPercent: 0 },
    ]);
    expect(formatTopNodes(rows)).toBe('NAME     CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%\nnode-1   750m         37%    1536Mi          37%\nnode-2   0m           0%     0Mi             0%\n');
  });

  it('percentages are whole, never negative, 100 when a node is exactly full, over 100 when overcommitted, and add up per node', () => {
    const quantity = fc.integer({ min: 0, max: 4000 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16_000 }), fc.array(fc.tuple(quantity, fc.boolean()), { maxLength: 12 }), (allocatable, requests) => {
        const pods = requests.map(([m, here], i) => pod(`p${i}`, here ? 'n' : 'elsewhere', `${m}m`, `${m}Mi`));
        const [row] = nodeTops([node('n', `${allocatable}m`, `${allocatable}Mi`)], pods);
        const sum = requests.filter(([, here]) => here).reduce((a, [m]) => a + m, 0);
        expect(row!.milliCPU).toBe(sum);
        expect(row!.memory).toBe(sum * 1024 * 1024);
        expect(Number.isInteger(row!.cpuPercent)).toBe(true);
        expect(row!.cpuPercent).toBeGreaterThanOrEqual(0);
        // Truncated toward zero, as kubectl prints it: within one point of the exact ratio.
        expect(row!.cpuPercent! <= (sum / allocatable) * 100 && (sum / allocatable) * 100 < row!.cpuPercent! + 1).toBe(true);
        if (sum === allocatable) expect(row!.cpuPercent).toBe(100);
        if (sum > allocatable) expect(row!.cpuPercent).toBeGreaterThanOrEqual(100);
        expect(row!.memoryPercent).toBe(row!.cpuPercent);
        // The pods' own rows add up to what the node shows.
        expect(podTops(pods.filter((p) => p.spec.nodeName === 'n')).reduce((a, p) => a + p.milliCPU, 0)).toBe(row!.milliCPU);
      }),
    );
  });

  it('has no percentage for a node without allocatable', () => {
    expect(percent(5, 0)).toBeUndefined();
    expect(formatTopNodes([{ name: 'x', milliCPU: 5, memory: 0, cpuPercent: undefined, memoryPercent: undefined }], { noHeaders: true })).toBe('x   5m   <unknown>   0Mi   <unknown>\n');
  });
});

describe('podTops', () => {
  it("shows each scheduled pod's requests, sorted when asked, with the namespace for -A", () => {
    const rows = podTops([pod('small', 'n', '100m', '64Mi'), pod('big', 'n', '1', '1Gi'), pod('unscheduled', undefined, '1', '1Gi')]);
    expect(formatTopPods(rows, { sortBy: 'cpu' })).toBe('NAME    CPU(cores)   MEMORY(bytes)\nbig     1000m        1024Mi\nsmall   100m         64Mi\n');
    expect(formatTopPods(rows, { allNamespaces: true, noHeaders: true })).toBe('default   small   100m    64Mi\ndefault   big     1000m   1024Mi\n');
  });
});
