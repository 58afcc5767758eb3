import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import { NOW, pod, podShape } from './_test-pods.js';
import { compareKeys, deletionCost, isPodActive, isPodAvailable, rankForDeletion, rankKey } from './pod-ranking.js';

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata?.name);
const HOUR = 3_600_000;

/**
 * Upstream's ActivePodsWithRanks.Less written out rule by rule, answering only where upstream
 * decides by a rule (undefined where it would fall back to comparing UIDs or call the pods equal).
 */
function upstreamLess(a: Pod, b: Pod, rankA: number, rankB: number): boolean | undefined {
  const node = (p: Pod) => p.spec?.nodeName ?? '';
  if (node(a) !== node(b) && (node(a) === '' || node(b) === '')) return node(a) === '';
  const phase = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase as string] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) < phase(b);
  const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  if (ready(a) !== ready(b)) return !ready(a);
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) < deletionCost(b);
  if (rankA !== rankB) return rankA > rankB;
  const bucket = (ts: string | undefined) => {
    if (!ts) return undefined;
    const d = (NOW - Date.parse(ts)) * 1e6;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  const afterOrZero = (x: string | undefined, y: string | undefined): boolean | undefined => {
    if (x === y) return undefined;
    if (!x || !y) return !x;
    const bx = bucket(x)!;
    const by = bucket(y)!;
    return bx === by ? undefined : bx < by;
  };
  if (ready(a) && ready(b)) {
    const readyAt = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    if (readyAt(a) !== readyAt(b)) return afterOrZero(readyAt(a), readyAt(b));
  }
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
  if (restarts(a) !== restarts(b)) return restarts(a) > restarts(b);
  return afterOrZero(a.metadata?.creationTimestamp, b.metadata?.creationTimestamp);
}

const pods = (n: number) => fc.tuple(...Array.from({ length: n }, (_, i) => podShape(i))).map((ss) => ss.map(pod));

describe('rankForDeletion', () => {
  it('deletes unassigned, then pending, then not-ready pods first (the doc example)', () => {
    const a = pod({ name: 'web-a', phase: 'Running', node: 'node-1', readySince: NOW - HOUR });
    const b = pod({ name: 'web-b', phase: 'Pending' });
    const c = pod({ name: 'web-c', phase: 'Running', node: 'node-2' });
    expect(names(rankForDeletion([a, b, c], [a, b, c], NOW))).toEqual(['web-b', 'web-c', 'web-a']);
  });

  it('follows each rule when the pods differ in nothing else', () => {
    const base = { phase: 'Running' as const, node: 'node-1', readySince: NOW - 10 * HOUR, createdAt: NOW - 20 * HOUR };
    const first = (x: Pod, y: Pod, related = [x, y]) => rankForDeletion([y, x], related, NOW)[0]!.metadata?.name;
    expect(first(pod({ ...base, name: 'pending', phase: 'Pending' }), pod({ ...base, name: 'x' }))).toBe('pending');
    expect(first(pod({ ...base, name: 'unknown', phase: 'Unknown' }), pod({ ...base, name: 'x' }))).toBe('unknown');
    expect(first(pod({ ...base, name: 'cheap', cost: -5 }), pod({ ...base, name: 'x' }))).toBe('cheap');
    expect(first(pod({ ...base, name: 'restarts', restarts: 4 }), pod({ ...base, name: 'x' }))).toBe('restarts');
    expect(first(pod({ ...base, name: 'young', createdAt: NOW - HOUR }), pod({ ...base, name: 'x' }))).toBe('young');
    expect(first(pod({ ...base, name: 'readied', readySince: NOW - 60_000 }), pod({ ...base, name: 'x' }))).toBe('readied');
    // Doubled up: node-1 holds two pods of the set, node-2 one.
    const crowded = pod({ ...base, name: 'crowded' });
    const alone = pod({ ...base, name: 'alone', node: 'node-2' });
    expect(first(crowded, alone, [crowded, alone, pod({ ...base, name: 'mate' })])).toBe('crowded');
  });

  it('treats a malformed deletion cost as 0 and ignores finished and terminating pods as inactive', () => {
    const p = pod({ name: 'x' });
    p.metadata!.annotations = { 'controller.kubernetes.io/pod-deletion-cost': 'lots' };
    expect(deletionCost(p)).toBe(0);
    expect(isPodActive(pod({ name: 'done', phase: 'Succeeded' }))).toBe(false);
    expect(isPodActive(pod({ name: 'going', deleting: true }))).toBe(false);
    expect(isPodActive(pod({ name: 'on', phase: 'Unknown' }))).toBe(true);
  });

  it('counts a pod available only strictly after minReadySeconds', () => {
    const p = pod({ name: 'x', phase: 'Running', readySince: NOW - 5000 });
    expect(isPodAvailable(p, 5, NOW)).toBe(false);
    expect(isPodAvailable(p, 5, NOW + 1000)).toBe(true);
    expect(isPodAvailable(p, 0, NOW)).toBe(true);
  });

  it('is a total order: antisymmetric, transitive, and equal only for the same pod', () => {
    fc.assert(
      fc.property(pods(3), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }), (ps, ranks) => {
        const keys = ps.map((p, i) => rankKey(p, ranks[i]!, NOW));
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) {
            const c = compareKeys(keys[i]!, keys[j]!);
            expect(Math.sign(c) + Math.sign(compareKeys(keys[j]!, keys[i]!))).toBe(0);
            if (i !== j) expect(c).not.toBe(0);
            for (let k = 0; k < 3; k++) {
              if (c < 0 && compareKeys(keys[j]!, keys[k]!) < 0) expect(compareKeys(keys[i]!, keys[k]!)).toBeLessThan(0);
            }
          }
        }
      }),
    );
  });

  it('agrees with upstream wherever upstream decides by a rule', () => {
    fc.assert(
      fc.property(pods(2), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), ([a, b], ra, rb) => {
        const want = upstreamLess(a!, b!, ra, rb);
        if (want === undefined) return;
        expect(compareKeys(rankKey(a!, ra, NOW), rankKey(b!, rb, NOW)) < 0).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same order whatever order the pods come in', () => {
    fc.assert(
      fc.property(pods(6).chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: 6, maxLength: 6 }))), ([ps, shuffled]) => {
        expect(names(rankForDeletion(shuffled, ps, NOW))).toEqual(names(rankForDeletion(ps, ps, NOW)));
      }),
    );
  });
});
