import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/schemas/cluster.js';
import type { Pod } from '../../api/schemas/pod.js';
import { podsToMarkNotReady } from './mark-pods-not-ready.js';

const T = Date.parse('2026-11-21T10:00:00Z');
type Status = 'True' | 'False' | 'Unknown';
const node = (ready: Status | undefined): Node => ({ metadata: { name: 'node-2' }, status: { conditions: ready ? [{ type: 'Ready', status: ready }] : [] } });
const pod = (name: string, nodeName: string, ready: Status, phase = 'Running'): Pod => ({
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase: phase as 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: ready }] },
});

describe('podsToMarkNotReady', () => {
  it('turns Ready False for the ready pods of a node that is not Ready (the doc example)', () => {
    const plan = podsToMarkNotReady(node('Unknown'), [pod('web-1', 'node-2', 'True'), pod('web-2', 'node-1', 'True'), pod('job', 'node-2', 'True', 'Succeeded')], T);
    expect(plan.map((p) => p.pod.metadata?.name)).toEqual(['web-1']);
    expect(plan[0]!.conditions).toEqual([
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', lastTransitionTime: '2026-11-21T10:00:00Z' },
    ]);
    expect(podsToMarkNotReady(node('True'), [pod('web-1', 'node-2', 'True')], T)).toEqual([]);
  });

  it('marks exactly the ready, running pods of a not-ready node, and marking twice changes nothing more', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Status>('True', 'False', 'Unknown'),
        fc.array(fc.record({ on: fc.constantFrom('node-1', 'node-2'), ready: fc.constantFrom<Status>('True', 'False'), phase: fc.constantFrom('Running', 'Succeeded', 'Failed') }), { maxLength: 8 }),
        (nodeReady, specs) => {
          const pods = specs.map((s, i) => pod(`p${i}`, s.on, s.ready, s.phase));
          const plan = podsToMarkNotReady(node(nodeReady), pods, T);
          const expected = nodeReady === 'True' ? [] : pods.filter((_, i) => specs[i]!.on === 'node-2' && specs[i]!.ready === 'True' && specs[i]!.phase === 'Running');
          expect(plan.map((p) => p.pod)).toEqual(expected);
          const after = pods.map((p) => {
            const marked = plan.find((m) => m.pod === p);
            return marked ? { ...p, status: { ...p.status, conditions: marked.conditions } } : p;
          });
          expect(podsToMarkNotReady(node(nodeReady), after, T)).toEqual([]);
        },
      ),
    );
  });
});
