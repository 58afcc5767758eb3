import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { NOW, pod, podShape, replicaSet, type PodShape } from './_test-pods.js';
import { controllerOf } from './controller-ref.js';
import { isPodActive } from './pod-ranking.js';
import { BURST_REPLICAS, claimPods, plan, planClaimed, type Action } from './plan.js';

const web = replicaSet('web', 3);
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata?.name);

/** The world after the actions succeed, as the API server would hold it. */
function apply(rs: ReplicaSet, pods: Pod[], actions: readonly Action[], serial: { n: number }): Pod[] {
  let out = pods.map((p) => structuredClone(p));
  const byUid = (p: Readonly<Pod>) => out.find((o) => o.metadata?.uid === p.metadata?.uid)!;
  for (const a of actions) {
    if (a.type === 'adopt') byUid(a.pod).metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name!, uid: rs.metadata!.uid!, controller: true }];
    if (a.type === 'release') byUid(a.pod).metadata!.ownerReferences = [];
    if (a.type === 'create') for (let i = 0; i < a.count; i++) out.push(pod({ name: `new-${serial.n++}`, labels: { app: 'web' }, owner: rs }));
    if (a.type === 'delete') out = out.filter((o) => !a.pods.some((d) => d.metadata?.uid === o.metadata?.uid));
  }
  return out;
}

const ours = (rs: ReplicaSet, pods: readonly Pod[]) => pods.filter((p) => isPodActive(p) && controllerOf(p)?.uid === rs.metadata?.uid && p.metadata?.labels?.app === 'web');

/** A namespace of pods of every kind a ReplicaSet meets. */
const world = (rs: ReplicaSet) =>
  fc
    .array(
      fc.tuple(
        fc.constantFrom('owned', 'orphan', 'orphan-other-labels', 'owned-relabelled', 'others', 'finished', 'terminating'),
        fc.nat(),
      ),
      { maxLength: 25 },
    )
    .chain((kinds) =>
      fc.tuple(...kinds.map(([, ], i) => podShape(i))).map((shapes) =>
        shapes.map((s, i): Pod => {
          const kind = kinds[i]![0];
          const shape: PodShape = { ...s, labels: { app: 'web' }, owner: rs };
          if (kind === 'orphan') shape.owner = undefined;
          if (kind === 'orphan-other-labels') Object.assign(shape, { owner: undefined, labels: { app: 'db' } });
          if (kind === 'owned-relabelled') shape.labels = { app: 'db' };
          if (kind === 'others') shape.owner = 'other';
          if (kind === 'finished') shape.phase = 'Succeeded';
          if (kind === 'terminating') shape.deleting = true;
          return pod(shape);
        }),
      ),
    );

describe('plan', () => {
  it('adopts a matching orphan and creates the rest (the doc example)', () => {
    const a = pod({ name: 'web-a', labels: { app: 'web' }, owner: web, phase: 'Running' });
    const x = pod({ name: 'x', labels: { app: 'web' } });
    const pods = [a, x];
    expect(plan(web, { pods, expectationsSatisfied: true, now: NOW })).toEqual([{ type: 'adopt', pod: x }, { type: 'create', count: 1 }]);
    expect(plan(web, { pods, expectationsSatisfied: false, now: NOW })).toEqual([{ type: 'adopt', pod: x }]);
  });

  it('scales down by deleting the pending, unassigned pod first', () => {
    const one = replicaSet('web', 1);
    const a = pod({ name: 'web-a', labels: { app: 'web' }, owner: one, phase: 'Running', node: 'node-1', readySince: NOW - 1000 });
    const b = pod({ name: 'web-b', labels: { app: 'web' }, owner: one });
    expect(plan(one, { pods: [a, b], expectationsSatisfied: true, now: NOW })).toEqual([{ type: 'delete', pods: [b] }]);
  });

  it('creates at most 500 pods in one sync', () => {
    const big = replicaSet('web', 1200);
    expect(plan(big, { pods: [], expectationsSatisfied: true, now: NOW })).toEqual([{ type: 'create', count: BURST_REPLICAS }]);
  });

  it('neither adopts, releases nor scales a ReplicaSet being deleted', () => {
    const going = replicaSet('web', 3, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const pods = [pod({ name: 'x', labels: { app: 'web' } }), pod({ name: 'y', labels: { app: 'db' }, owner: going })];
    expect(plan(going, { pods, expectationsSatisfied: true, now: NOW })).toEqual([]);
  });

  it('converges to spec.replicas active pods in a bounded number of rounds, then plans nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 8 }), world(web), (replicas, burst, initial) => {
        const rs = replicaSet('web', replicas);
        let pods = initial.map((p) => (controllerOf(p)?.uid === web.metadata!.uid ? retarget(p, rs) : p));
        const serial = { n: 0 };
        const start = ours(rs, pods).length + pods.filter((p) => isPodActive(p) && !controllerOf(p) && p.metadata?.labels?.app === 'web').length;
        const bound = Math.ceil(Math.abs(start - replicas) / burst) + 1;
        for (let round = 0; round < bound; round++) pods = apply(rs, pods, plan(rs, { pods, expectationsSatisfied: true, now: NOW }, { burstReplicas: burst }), serial);
        expect(ours(rs, pods)).toHaveLength(replicas);
        expect(plan(rs, { pods, expectationsSatisfied: true, now: NOW }, { burstReplicas: burst })).toEqual([]);
      }),
    );
  });

  it('never creates more than the burst, nor touches pods that are not its own, active and matching', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 8 }), world(web), (replicas, burst, initial) => {
        const rs = replicaSet('web', replicas);
        const pods = initial.map((p) => (controllerOf(p)?.uid === web.metadata!.uid ? retarget(p, rs) : p));
        for (const a of plan(rs, { pods, expectationsSatisfied: true, now: NOW }, { burstReplicas: burst })) {
          if (a.type === 'create') expect(a.count).toBeLessThanOrEqual(burst);
          if (a.type === 'delete') {
            expect(a.pods.length).toBeLessThanOrEqual(burst);
            for (const p of a.pods) {
              expect(isPodActive(p)).toBe(true);
              expect(p.metadata?.labels?.app).toBe('web');
              expect([undefined, rs.metadata!.uid]).toContain(controllerOf(p)?.uid);
            }
          }
          if (a.type === 'adopt') {
            expect(controllerOf(a.pod)).toBeUndefined();
            expect(a.pod.metadata?.labels?.app).toBe('web');
            expect(isPodActive(a.pod)).toBe(true);
          }
          if (a.type === 'release') {
            expect(controllerOf(a.pod)?.uid).toBe(rs.metadata!.uid);
            expect(a.pod.metadata?.labels?.app).not.toBe('web');
          }
        }
      }),
    );
  });

  it('scales down by deleting exactly the lowest-ranked pods of a reference sort', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.tuple(...Array.from({ length: n }, (_, i) => podShape(i))), fc.integer({ min: 0, max: n - 1 }))), ([n, shapes, replicas]) => {
        const rs = replicaSet('web', replicas);
        const pods = shapes.map((s) => pod({ ...s, labels: { app: 'web' }, owner: rs }));
        const actions = plan(rs, { pods, expectationsSatisfied: true, now: NOW });
        expect(actions).toHaveLength(1);
        const deleted = (actions[0] as Extract<Action, { type: 'delete' }>).pods;
        expect(names(deleted)).toEqual(names(referenceSort(pods).slice(0, n - replicas)));
      }),
    );
  });
});

/** The same pod, controlled by `rs` instead (the world arbitrary is built for `web`). */
function retarget(p: Pod, rs: ReplicaSet): Pod {
  const out = structuredClone(p);
  out.metadata!.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name!, uid: rs.metadata!.uid!, controller: true }];
  return out;
}

/** The scale-down order written as a plain comparator chain, rule by rule, as the rules read. */
function referenceSort(pods: readonly Pod[]): Pod[] {
  const onNode = (p: Pod) => pods.filter((o) => (o.spec?.nodeName ?? '') === (p.spec?.nodeName ?? '')).length;
  const phase = (p: Pod) => ['Pending', 'Unknown', 'Running'].indexOf(p.status?.phase ?? 'Pending');
  const readyAt = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
  const cost = (p: Pod) => Number(p.metadata?.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0);
  const restarts = (p: Pod) => p.status?.containerStatuses?.[0]?.restartCount ?? 0;
  const bucket = (ts: string | undefined) => (ts === undefined ? -2 : NOW - Date.parse(ts) > 0 ? Math.floor(Math.log2((NOW - Date.parse(ts)) * 1e6)) : -1);
  const rules: Array<(a: Pod, b: Pod) => number> = [
    (a, b) => Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName)),
    (a, b) => phase(a) - phase(b),
    (a, b) => Number(readyAt(a) !== undefined) - Number(readyAt(b) !== undefined),
    (a, b) => cost(a) - cost(b),
    (a, b) => onNode(b) - onNode(a),
    (a, b) => (readyAt(a) && readyAt(b) ? bucket(readyAt(a)) - bucket(readyAt(b)) : 0),
    (a, b) => restarts(b) - restarts(a),
    (a, b) => bucket(a.metadata?.creationTimestamp) - bucket(b.metadata?.creationTimestamp),
    (a, b) => (a.metadata!.uid! < b.metadata!.uid! ? -1 : a.metadata!.uid! > b.metadata!.uid! ? 1 : 0),
  ];
  return [...pods].sort((a, b) => rules.reduce((acc, rule) => acc || rule(a, b), 0));
}

describe('planClaimed', () => {
  it('plans from claims made once as plan does from the pods', () => {
    const rs = replicaSet('web', 1);
    const pods = [
      pod({ name: 'a', labels: { app: 'web' }, owner: rs, phase: 'Running', node: 'n1', readySince: NOW - 1000 }),
      pod({ name: 'b', labels: { app: 'web' } }),
      pod({ name: 'c', labels: { app: 'db' }, owner: rs }),
    ];
    const observed = { pods, expectationsSatisfied: true, now: NOW };
    expect(planClaimed(rs, claimPods(rs, pods), observed)).toEqual(plan(rs, observed));
  });
});
