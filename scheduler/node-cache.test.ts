import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { NodeCache } from './node-cache.js';
import { makeNode, makePod } from './plugins/fixtures.js';
import type { NodeInfo } from './plugins/index.js';
import { snapshot } from './snapshot.js';

const NODE_NAMES = ['node-1', 'node-2', 'node-3'];
const POD_NAMES = ['a', 'b', 'c', 'd'];

const pod = (name: string, cpu: number, nodeName?: string, phase?: string): Pod => {
  const p = makePod([{ cpu: `${cpu}m` }], nodeName ? { nodeName } : {}, phase);
  return { ...p, metadata: { name, namespace: 'default' } };
};

type Op =
  | { op: 'setNode'; name: string; cpu: number }
  | { op: 'deleteNode'; name: string }
  | { op: 'setPod'; name: string; cpu: number; node: string | undefined; phase: string | undefined }
  | { op: 'deletePod'; name: string }
  | { op: 'assume'; name: string; cpu: number; node: string }
  | { op: 'forget'; name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('setNode' as const), name: fc.constantFrom(...NODE_NAMES), cpu: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('deleteNode' as const), name: fc.constantFrom(...NODE_NAMES) }),
  fc.record({
    op: fc.constant('setPod' as const),
    name: fc.constantFrom(...POD_NAMES),
    cpu: fc.integer({ min: 0, max: 900 }),
    node: fc.option(fc.constantFrom(...NODE_NAMES), { nil: undefined }),
    phase: fc.constantFrom(undefined, 'Running', 'Succeeded'),
  }),
  fc.record({ op: fc.constant('deletePod' as const), name: fc.constantFrom(...POD_NAMES) }),
  fc.record({ op: fc.constant('assume' as const), name: fc.constantFrom(...POD_NAMES), cpu: fc.integer({ min: 0, max: 900 }), node: fc.constantFrom(...NODE_NAMES) }),
  fc.record({ op: fc.constant('forget' as const), name: fc.constantFrom(...POD_NAMES) }),
);

/** What a decision depends on: each node, the pods counted on it, and their sums. */
const view = (infos: NodeInfo[]) =>
  infos.map((i) => ({
    node: i.node.metadata?.name,
    pods: i.pods.map((p) => p.metadata?.name).sort(),
    requested: i.requested,
    nonZero: i.nonZeroRequested,
  }));

describe('NodeCache', () => {
  it('always shows what a snapshot rebuilt from scratch shows, through any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
        const cache = new NodeCache();
        // The model: the informers' contents and the scheduler's reservations, fed to `snapshot`.
        const nodes = new Map<string, Node>();
        const pods = new Map<string, Pod>();
        const reserved = new Map<string, Pod>();
        for (const o of ops) {
          const key = `default/${o.name}`;
          switch (o.op) {
            case 'setNode': {
              const node = makeNode({ name: o.name, cpu: o.cpu, memory: '8Gi' });
              nodes.set(o.name, node);
              cache.setNode(node);
              break;
            }
            case 'deleteNode':
              nodes.delete(o.name);
              cache.deleteNode(o.name);
              break;
            case 'setPod': {
              const p = pod(o.name, o.cpu, o.node, o.phase);
              pods.set(key, p);
              if (o.node) reserved.delete(key);
              cache.setPod(p);
              break;
            }
            case 'deletePod':
              pods.delete(key);
              reserved.delete(key);
              cache.deletePod(key);
              break;
            case 'assume': {
              const p = pod(o.name, o.cpu, o.node);
              if (!pods.get(key)?.spec?.nodeName) reserved.set(key, p);
              cache.assume(key, p);
              break;
            }
            case 'forget':
              reserved.delete(key);
              cache.forget(key);
              break;
          }
          expect(view(cache.infos())).toEqual(view(snapshot([...nodes.values()], [...pods.values()], reserved)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rebuilds only the NodeInfo of a node whose pods changed', () => {
    const cache = new NodeCache();
    cache.setNode(makeNode({ name: 'node-1', cpu: 4 }));
    cache.setNode(makeNode({ name: 'node-2', cpu: 4 }));
    const [one, two] = cache.infos();
    cache.setPod(pod('a', 500, 'node-2'));
    const [oneAgain, twoAgain] = cache.infos();
    expect(oneAgain).toBe(one);
    expect(twoAgain).not.toBe(two);
    expect(twoAgain?.requested.milliCPU).toBe(500);
  });
});
