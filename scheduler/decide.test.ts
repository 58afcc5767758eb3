import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
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
