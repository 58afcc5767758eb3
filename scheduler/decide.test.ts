import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, numFeasibleNodesToFind } from './decide.js';
import { makeNode, makePod } from './plugins/fixtures.js';
import { newNodeInfo } from './plugins/index.js';
import { seededRandom } from './random.js';
import { snapshot } from './snapshot.js';

const empty = (name: string, cpu: string) => newNodeInfo(makeNode({ name, cpu, memory: '4Gi' }), []);

describe('decide', () => {
  it('reports why no node fits (the doc example)', () => {
    const d = decide(makePod([{ cpu: 2 }]), [empty('node-1', '1'), empty('node-2', '1')], 'LeastAllocated', Math.random);
    expect(d).toMatchObject({ fits: false, message: '0/2 nodes are available: 2 Insufficient cpu.' });
  });

  it('picks the best score, and among equal nodes the one the seed picks, every time', () => {
    const nodes = [empty('node-1', '2'), empty('node-2', '2'), empty('node-3', '2')];
    const pick = (seed: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: 6 }, () => decide(makePod([{ cpu: '100m' }]), nodes, 'LeastAllocated', r)).map((d) => (d.fits ? d.node : ''));
    };
    expect(pick(3)).toEqual(pick(3));
    expect(new Set(pick(3)).size).toBeGreaterThan(1);
    const mixed = [empty('node-1', '1'), empty('node-2', '8')];
    expect(decide(makePod([{ cpu: '500m' }]), mixed, 'LeastAllocated', Math.random)).toMatchObject({ node: 'node-2' });
    expect(decide(makePod([{ cpu: '500m' }]), mixed, 'MostAllocated', Math.random)).toMatchObject({ node: 'node-1' });
  });
});

describe('decide on a share of the nodes', () => {
  it('looks for as many feasible nodes as upstream does (the doc examples)', () => {
    expect([50, 99, 100, 1000, 5000, 20_000].map(numFeasibleNodesToFind)).toEqual([50, 99, 100, 420, 500, 1000]);
  });

  it('finds a node whenever one fits, wherever the search starts, and stops once it has found enough', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 4 }),
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        (cpus, want, start, limit) => {
          const nodes = cpus.map((cpu, i) => empty(`node-${String(i).padStart(2, '0')}`, String(cpu)));
          const pod = makePod([{ cpu: want }]);
          const d = decide(pod, nodes, 'LeastAllocated', Math.random, { start, limit });
          const fitting = cpus.filter((c) => c >= want).length;
          expect(d.fits).toBe(fitting > 0);
          expect(d.verdicts.filter((v) => v.fits)).toHaveLength(Math.min(limit, fitting));
          if (d.fits) expect(cpus[Number(d.node.slice(5))]).toBeGreaterThanOrEqual(want);
          else expect(d.processed).toBe(nodes.length);
          // The search starts where it was told, going round.
          expect(d.verdicts[0]?.node).toBe(nodes[start % nodes.length]?.node.metadata?.name);
        },
      ),
    );
  });
});

describe('decide keeping only failures', () => {
  it('decides as it does when it keeps every verdict: the same node, message and progress, from the same seed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 4 }), used: fc.integer({ min: 0, max: 3000 }) }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 4000 }),
        fc.nat(),
        fc.integer({ min: 1, max: 10 }),
        fc.integer(),
        (specs, wantMilli, start, limit, seed) => {
          const nodes = specs.map((n, i) => {
            const name = `node-${String(i).padStart(2, '0')}`;
            const running = makePod([{ cpu: `${n.used}m` }], { nodeName: name });
            return newNodeInfo(makeNode({ name, cpu: String(n.cpu), memory: '4Gi' }), [running]);
          });
          const pod = makePod([{ cpu: `${wantMilli}m` }]);
          const every = decide(pod, nodes, 'LeastAllocated', seededRandom(seed), { start, limit }, 'every verdict');
          const failures = decide(pod, nodes, 'LeastAllocated', seededRandom(seed), { start, limit }, 'failures only');
          expect({ ...failures, verdicts: every.verdicts }).toEqual(every);
          expect(failures.verdicts).toEqual([]);
        },
      ),
    );
  });
});

describe('snapshot', () => {
  it('counts reserved pods once, whether or not the cache already shows them bound', () => {
    const bound = { ...makePod([{ cpu: '1' }]), metadata: { name: 'web-1', namespace: 'default' }, spec: { containers: [], nodeName: 'node-1' } };
    const reserved = new Map([
      ['default/web-1', bound],
      ['default/web-2', { ...bound, metadata: { name: 'web-2', namespace: 'default' } }],
    ]);
    const [info] = snapshot([makeNode({ name: 'node-1', cpu: '4' })], [bound], reserved);
    expect(info?.pods.map((p) => p.metadata?.name)).toEqual(['web-1', 'web-2']);
  });
});
