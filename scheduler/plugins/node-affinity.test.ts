import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../api/schemas/pod.js';
import { makeNode, makePod } from './fixtures.js';
import { nodeAffinity } from './node-affinity.js';
import { newNodeInfo } from './node-info.js';
import { matchesNodeSelectorTerms } from './node-selector-terms.js';

type Terms = Parameters<typeof matchesNodeSelectorTerms>[0];
const REASON = "node(s) didn't match Pod's node affinity/selector";
const required = (terms: Terms): Partial<PodSpec> => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [...terms] } } },
});
const fits = (spec: Partial<PodSpec>, labels: Record<string, string>, name = 'node-1') =>
  nodeAffinity(makePod([], spec), newNodeInfo(makeNode({ labels, name }), [])).fits;

describe('nodeAffinity', () => {
  it('checks the nodeSelector (doc example)', () => {
    const info = newNodeInfo(makeNode({ labels: { disk: 'hdd' } }), []);
    expect(nodeAffinity(makePod([], { nodeSelector: { disk: 'ssd' } }), info)).toMatchObject({ fits: false, reason: REASON });
    expect(fits({ nodeSelector: { disk: 'ssd' } }, { disk: 'ssd', zone: 'a' })).toBe(true);
  });

  it('compares Gt and Lt as integers (doc example of matchesNodeSelectorTerms)', () => {
    const gt = (v: string) => required([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: [v] }] }]);
    expect(fits(gt('4'), { cores: '8' })).toBe(true);
    expect(fits(gt('10'), { cores: '8' })).toBe(false);
    expect(fits(gt('4'), { cores: 'eight' })).toBe(false);
    expect(fits(required([{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['10'] }] }]), { cores: '8' })).toBe(true);
  });

  it('ORs the terms and ANDs the requirements of a term', () => {
    const spec = required([
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, { key: 'gpu', operator: 'Exists' }] },
      { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a', 'b', 'c'] }] },
    ]);
    expect(fits(spec, { zone: 'a', gpu: '' })).toBe(true);
    expect(fits(spec, { zone: 'a' })).toBe(false);
    expect(fits(spec, {})).toBe(true); // NotIn matches an absent label
    expect(fits(spec, { zone: 'c' })).toBe(false);
  });

  it('lets an empty or malformed term match nothing, while other terms still can', () => {
    expect(fits(required([{}]), { a: '1' })).toBe(false);
    expect(fits(required([{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }]), { a: '1' })).toBe(false);
    const spec = required([
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['1'] }] },
      { matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] },
    ]);
    expect(fits(spec, {})).toBe(true);
    expect(fits(spec, { a: '1' })).toBe(false);
  });

  it('matches fields on metadata.name only', () => {
    const byName = required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }]);
    expect(fits(byName, {}, 'node-2')).toBe(true);
    expect(fits(byName, {}, 'node-1')).toBe(false);
    expect(fits(required([{ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }]), {})).toBe(false);
  });
});
