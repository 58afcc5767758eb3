import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTaintArgs, planTaints, type Taint } from './taint.js';

describe('kubectl taint arguments', () => {
  it('reads the example of its doc comment', () => {
    expect(parseTaintArgs(['nodes', 'node-1', 'gpu=true:NoSchedule', 'spot-'])).toEqual({
      resources: ['nodes', 'node-1'],
      add: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }],
      remove: [{ key: 'spot' }],
    });
  });

  it("refuses in kubectl's words", () => {
    expect(() => parseTaintArgs(['nodes', 'a:NoSchedule', 'node-1'])).toThrow('all resources must be specified before taint changes: node-1');
    expect(() => parseTaintArgs(['nodes', 'n', 'a=b:Bogus'])).toThrow("invalid taint effect: Bogus, unsupported taint effect\nSee 'minikctl taint -h' for help and examples");
    expect(() => parseTaintArgs(['nodes', 'n', 'a=b=c:NoSchedule'])).toThrow('invalid taint spec: a=b=c:NoSchedule');
    expect(() => parseTaintArgs(['nodes', 'n', 'a:b:NoSchedule'])).toThrow('invalid taint spec: a:b:NoSchedule');
    expect(() => parseTaintArgs(['nodes', 'n', 'a=b'])).toThrow(/^invalid taint spec: a=b, name part must consist of alphanumeric characters/);
    expect(() => parseTaintArgs(['nodes', 'n', 'a=b c:NoSchedule'])).toThrow(/^invalid taint spec: a=b c:NoSchedule, a valid label must be/);
    expect(() => parseTaintArgs(['nodes', 'n', 'a=b:NoSchedule', 'a=c:NoSchedule'])).toThrow('duplicated taints with the same key and effect: {a c NoSchedule <nil>}');
  });
});

describe('reorganizing taints', () => {
  const t = (key: string, effect: string, value?: string): Taint => ({ key, ...(value ? { value } : {}), effect });

  it('puts new taints first, replaces one of the same key and effect, and names what happened', () => {
    expect(planTaints([t('gpu', 'NoSchedule')], [t('spot', 'NoSchedule', 'true')], [], false)).toEqual({
      operation: 'tainted',
      taints: [t('spot', 'NoSchedule', 'true'), t('gpu', 'NoSchedule')],
      missing: [],
    });
    expect(planTaints([t('gpu', 'NoSchedule', 'a')], [t('gpu', 'NoSchedule', 'b')], [], true).operation).toBe('modified');
    expect(planTaints([t('gpu', 'NoSchedule'), t('gpu', 'NoExecute')], [], [{ key: 'gpu' }], false)).toEqual({ operation: 'untainted', taints: [], missing: [] });
    expect(planTaints([], [], [{ key: 'q' }, { key: 'r', effect: 'NoExecute' }], false).missing).toEqual(['taint "q" not found', 'taint "r:NoExecute" not found']);
  });

  it('leaves one taint a key and effect, every added one there, every removed one gone', () => {
    const taint = fc.record({ key: fc.constantFrom('a', 'b', 'c'), value: fc.constantFrom('1', '2'), effect: fc.constantFrom('NoSchedule', 'NoExecute') });
    const unique = (ts: Taint[]) => ts.filter((x, i) => ts.findIndex((y) => y.key === x.key && y.effect === x.effect) === i);
    fc.assert(
      fc.property(fc.array(taint).map(unique), fc.array(taint).map(unique), fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd') })), (current, add, removeAll) => {
        const remove = removeAll.filter((r) => !add.some((a) => a.key === r.key));
        const { taints } = planTaints(current, add, remove, false);
        expect(unique(taints)).toEqual(taints);
        for (const a of add) expect(taints).toContainEqual(a);
        for (const r of remove) expect(taints.some((x) => x.key === r.key)).toBe(false);
      }),
    );
  });
});
