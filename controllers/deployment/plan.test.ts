import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../api/deep-freeze.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { maxSurge, maxUnavailable, type IntOrPercent } from './limits.js';
import { plan, type Action } from './plan.js';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, specReplicas } from './_util.js';

/**
 * A simulated world: the planner's actions are applied to ReplicaSets, and each round a stand-in
 * for the ReplicaSet controller and the kubelet makes every ReplicaSet's pods match its spec; a new
 * pod becomes available after a number of rounds fast-check picks.
 */
interface SimPod {
  rs: string;
  readyIn: number;
  born: number;
}

class World {
  d: Deployment;
  rss = new Map<string, ReplicaSet>();
  pods: SimPod[] = [];
  now = Date.parse('2026-11-21T10:00:00Z');
  private seq = 0;
  private delayAt = 0;

  constructor(spec: Deployment['spec'], private readonly delays: number[]) {
    this.d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 1, resourceVersion: '1' }, spec };
  }

  plan(): Action[] {
    const podsByReplicaSet = new Map<string, number>();
    for (const p of this.pods) {
      const uid = this.rss.get(p.rs)?.metadata?.uid;
      if (uid) podsByReplicaSet.set(uid, (podsByReplicaSet.get(uid) ?? 0) + 1);
    }
    // Frozen, as the controller's caches hand them over: a step that wrote into one would throw.
    return plan(deepFreeze(structuredClone(this.d)), { replicaSets: [...this.rss.values()].map((rs) => deepFreeze(structuredClone(rs))), podsByReplicaSet, now: this.now });
  }

  apply(actions: Action[]): void {
    for (const a of actions) {
      switch (a.type) {
        case 'create': {
          const rs = structuredClone(a.rs);
          expect(this.rss.has(rs.metadata!.name!)).toBe(false);
          rs.metadata = { ...rs.metadata, uid: `rs-${this.seq++}`, generation: 1, creationTimestamp: new Date(this.now).toISOString() };
          rs.status = { replicas: 0, availableReplicas: 0, readyReplicas: 0, observedGeneration: 0 };
          this.rss.set(rs.metadata.name!, rs);
          break;
        }
        case 'update':
        case 'adopt':
        case 'release': {
          const cur = this.rss.get(a.rs.metadata!.name!)!;
          const specChanged = JSON.stringify(cur.spec) !== JSON.stringify(a.rs.spec);
          this.rss.set(cur.metadata!.name!, { ...structuredClone(a.rs), status: cur.status!, metadata: { ...structuredClone(a.rs.metadata), generation: (cur.metadata!.generation ?? 1) + (specChanged ? 1 : 0) } });
          break;
        }
        case 'delete':
          this.rss.delete(a.name);
          break;
        case 'updateDeployment':
          this.d.metadata!.annotations = a.deployment.metadata?.annotations ?? {};
          break;
        case 'updateStatus':
          this.d.status = structuredClone(a.status);
          break;
        case 'event':
        case 'requeue':
          break;
      }
    }
  }

  /** One round of the ReplicaSet controller and the kubelet, and a second of time: answers whether anything changed. */
  step(): boolean {
    const before = JSON.stringify([[...this.rss.values()].map((rs) => rs.status), this.pods]);
    this.pods = this.pods.filter((p) => this.rss.has(p.rs));
    for (const p of this.pods) p.readyIn = Math.max(0, p.readyIn - 1);
    for (const rs of this.rss.values()) {
      const name = rs.metadata!.name!;
      const mine = this.pods.filter((p) => p.rs === name);
      const want = specReplicas(rs);
      if (mine.length > want) {
        // Not-ready pods go first, then the newest, as the ReplicaSet controller ranks them.
        const doomed = new Set([...mine].sort((a, b) => b.readyIn - a.readyIn || b.born - a.born).slice(0, mine.length - want));
        this.pods = this.pods.filter((p) => !doomed.has(p));
      }
      for (let i = mine.length; i < want; i++) {
        this.pods.push({ rs: name, readyIn: this.delays[this.delayAt++ % this.delays.length] ?? 0, born: this.seq++ });
      }
      const now = this.pods.filter((p) => p.rs === name);
      const available = now.filter((p) => p.readyIn === 0).length;
      rs.status = { replicas: now.length, availableReplicas: available, readyReplicas: available, observedGeneration: rs.metadata!.generation! };
    }
    this.now += 1000;
    return JSON.stringify([[...this.rss.values()].map((rs) => rs.status), this.pods]) !== before;
  }

  change(f: (spec: NonNullable<Deployment['spec']>) => void): void {
    f(this.d.spec!);
    this.d.metadata!.generation! += 1;
  }

  newRS(): ReplicaSet | undefined {
    return [...this.rss.values()].find((rs) => equalIgnoreHash(rs.spec?.template, this.d.spec?.template));
  }
}

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

function spec(o: { replicas: number; strategy: 'RollingUpdate' | 'Recreate'; surge?: IntOrPercent; unavailable?: IntOrPercent; history?: number }): NonNullable<Deployment['spec']> {
  return {
    replicas: o.replicas,
    selector: { matchLabels: { app: 'web' } },
    template: template('img:0'),
    strategy: o.strategy === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.surge ?? '25%', maxUnavailable: o.unavailable ?? '25%' } },
    revisionHistoryLimit: o.history ?? 10,
    progressDeadlineSeconds: 600,
  };
}

/** Runs rounds until the plan is empty and the world stands still (or gives up): answers the rounds taken. */
function settle(w: World, rounds = 400, check?: (before: World, actions: Action[]) => void): number {
  for (let i = 0; i < rounds; i++) {
    const actions = w.plan();
    check?.(w, actions);
    w.apply(actions);
    if (!w.step() && actions.length === 0) return i;
  }
  throw new Error(`no convergence after ${rounds} rounds: ${JSON.stringify([...w.rss.values()].map((rs) => [rs.metadata?.name, rs.spec?.replicas, rs.status]))}`);
}

function expectConverged(w: World): void {
  const replicas = w.d.spec!.replicas!;
  const newRS = w.newRS()!;
  expect(newRS).toBeDefined();
  expect(specReplicas(newRS)).toBe(replicas);
  expect(newRS.status?.availableReplicas).toBe(replicas);
  for (const rs of w.rss.values()) if (rs !== newRS) expect(specReplicas(rs)).toBe(0);
  const s = w.d.status!;
  expect(s).toMatchObject({ observedGeneration: w.d.metadata!.generation, replicas, updatedReplicas: replicas, availableReplicas: replicas, unavailableReplicas: 0 });
  expect(s.conditions?.find((c) => c.type === 'Available')?.status).toBe('True');
  expect(s.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  expect(w.rss.size - 1).toBeLessThanOrEqual(w.d.spec!.revisionHistoryLimit!);
  expect(w.d.metadata?.annotations?.[REVISION]).toBe(newRS.metadata?.annotations?.[REVISION]);
  expect(w.plan()).toEqual([]);
}

/** The invariants every single plan must keep, in the controller's own view of the world. */
function checkSafety(w: World, actions: Action[], userScaled: boolean): void {
  const d = w.d;
  const replicas = d.spec!.replicas!;
  const after = new Map([...w.rss].map(([n, rs]) => [n, specReplicas(rs)]));
  for (const a of actions) if (a.type === 'create' || a.type === 'update') after.set(a.rs.metadata!.name!, specReplicas(a.rs));
  for (const a of actions) if (a.type === 'delete') after.delete(a.name);
  const news = [...w.rss.values()].filter((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
  expect(news.length + actions.filter((a) => a.type === 'create').length).toBeLessThanOrEqual(1);
  if (d.spec!.strategy!.type === 'Recreate') {
    const newName = (w.newRS() ?? actions.find((a) => a.type === 'create')?.rs)?.metadata?.name;
    if (newName && (after.get(newName) ?? 0) > 0) {
      // New pods only once no old ReplicaSet asks for or still has a pod.
      for (const [name, n] of after) if (name !== newName) expect(n).toBe(0);
      expect(w.pods.filter((p) => p.rs !== newName)).toEqual([]);
    }
    return;
  }
  if (userScaled || d.spec!.paused) return;
  const total = [...after.values()].reduce((a, b) => a + b, 0);
  expect(total).toBeLessThanOrEqual(replicas + maxSurge(d));
  const availableBefore = [...w.rss.values()].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
  const availableAfter = [...w.rss.values()].reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, after.get(rs.metadata!.name!) ?? 0), 0);
  expect(availableAfter).toBeGreaterThanOrEqual(Math.min(availableBefore, replicas - maxUnavailable(d)));
}

const intOrPercent = fc.oneof(fc.nat(4), fc.constantFrom('0%', '10%', '25%', '50%', '100%'));
const isZero = (v: IntOrPercent) => v === 0 || v === '0%';

const change = fc.oneof(
  fc.record({ kind: fc.constant('image' as const), image: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('scale' as const), replicas: fc.nat(12) }),
  fc.record({ kind: fc.constant('pause' as const) }),
  fc.record({ kind: fc.constant('resume' as const) }),
);

describe('plan: a rollout in a simulated world', () => {
  it('finishes a rollout scaled down mid-way with maxSurge 0, where upstream is stuck for good (kubernetes/kubernetes#138036)', () => {
    // Found by the property below: 9 replicas roll to a new image (the old ReplicaSet goes to 5,
    // annotated desired 9), then the Deployment is scaled to 5, the old ReplicaSet's size already.
    const w = new World(spec({ replicas: 9, strategy: 'RollingUpdate', surge: 0, unavailable: '50%', history: 0 }), [0]);
    settle(w);
    w.change((s) => (s.template = template('img:1')));
    w.apply(w.plan());
    w.step();
    w.change((s) => (s.replicas = 5));
    settle(w);
    expectConverged(w);
  });

  test.prop(
    [
      fc.record({
        replicas: fc.nat(12),
        strategy: fc.constantFrom('RollingUpdate' as const, 'Recreate' as const),
        surge: intOrPercent,
        unavailable: intOrPercent,
        history: fc.nat(3),
      }),
      fc.array(fc.nat(3), { minLength: 1, maxLength: 8 }),
      fc.array(fc.tuple(fc.nat(12), change), { maxLength: 6 }),
    ],
    { numRuns: 150 },
  )('converges from any sequence of template changes, scaling, pause and resume, keeping every safety invariant', (o, delays, changes) => {
    fc.pre(!(isZero(o.surge) && isZero(o.unavailable)));
    const w = new World(spec(o), delays);
    settle(w);
    expectConverged(w);

    const byRound = [...changes].sort((a, b) => a[0] - b[0]);
    for (let round = 0; round <= 12 || byRound.length > 0; round++) {
      let userScaled = false;
      while (byRound.length > 0 && byRound[0]![0] <= round) {
        const [, c] = byRound.shift()!;
        w.change((s) => {
          if (c.kind === 'image') s.template = template(`img:${c.image}`);
          if (c.kind === 'scale') userScaled = s.replicas !== c.replicas;
          if (c.kind === 'scale') s.replicas = c.replicas;
          if (c.kind === 'pause') s.paused = true;
          if (c.kind === 'resume') s.paused = false;
        });
      }
      const actions = w.plan();
      checkSafety(w, actions, userScaled);
      w.apply(actions);
      w.step();
    }
    if (w.d.spec!.paused) w.change((s) => (s.paused = false));
    settle(w, 400, (before, actions) => checkSafety(before, actions, false));
    expectConverged(w);
  });
});

describe('plan: examples', () => {
  const at = Date.parse('2026-11-21T10:00:00Z');

  it('creates the first ReplicaSet named after the template hash, at full size, with revision 1', () => {
    const w = new World(spec({ replicas: 3, strategy: 'RollingUpdate' }), [0]);
    const actions = w.plan();
    expect(actions.map((a) => a.type)).toEqual(['create', 'updateDeployment', 'updateStatus', 'requeue']);
    const create = actions[0] as Extract<Action, { type: 'create' }>;
    const hash = create.rs.metadata!.labels![POD_TEMPLATE_HASH_LABEL]!;
    expect(create.rs.metadata!.name).toBe(`web-${hash}`);
    expect(create.rs.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash } } });
    expect(create.rs.spec!.template!.metadata!.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(create.rs.metadata!.annotations).toEqual({ [REVISION]: '1', [DESIRED_REPLICAS]: '3', [MAX_REPLICAS]: '4' });
    expect(create.rs.metadata!.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }]);
    expect(create.event).toEqual({ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set web-${hash} from 0 to 3` });
    const status = (actions[2] as Extract<Action, { type: 'updateStatus' }>).status;
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Progressing', 'True', 'NewReplicaSetCreated'],
      ['Available', 'False', 'MinimumReplicasUnavailable'],
    ]);
    expect(actions[3]).toEqual({ type: 'requeue', afterMs: 601_000 });
  });

  it('rolls 10 pods within maxSurge 3 and maxUnavailable 2: new at 3 and old 10 -> 8 in one pass, then nothing until pods are available', () => {
    const w = new World(spec({ replicas: 10, strategy: 'RollingUpdate', surge: 3, unavailable: 2 }), [2]);
    settle(w);
    const oldName = w.newRS()!.metadata!.name!;
    w.change((s) => (s.template = template('img:1')));
    const first = w.plan();
    const created = first.find((a) => a.type === 'create') as Extract<Action, { type: 'create' }>;
    expect(created.rs.spec!.replicas).toBe(3);
    expect(created.rs.metadata!.annotations![REVISION]).toBe('2');
    // Creating is not scaling, so the same pass goes on to the old ReplicaSet, as upstream's does.
    const scaled = first.filter((a) => a.type === 'update') as Extract<Action, { type: 'update' }>[];
    expect(scaled.map((a) => [a.rs.metadata!.name, a.rs.spec!.replicas])).toEqual([[oldName, 8]]);
    expect(scaled[0]!.event?.message).toBe(`Scaled down replica set ${oldName} from 10 to 8`);
    w.apply(first);
    w.step();
    // Total 11 of at most 13, but 8 available is the minimum: the new pods are not available yet.
    const second = w.plan();
    expect(second.filter((a) => a.type === 'update').map((a) => (a as Extract<Action, { type: 'update' }>).rs.spec!.replicas)).toEqual([5]);
  });

  it('re-uses the old ReplicaSet on rollback and moves its revision up, keeping the old number in revision-history', () => {
    const w = new World(spec({ replicas: 2, strategy: 'RollingUpdate' }), [0]);
    settle(w);
    const first = w.newRS()!.metadata!.name!;
    w.change((s) => (s.template = template('img:1')));
    settle(w);
    w.change((s) => (s.template = template('img:0')));
    const actions = w.plan();
    expect(actions.some((a) => a.type === 'create')).toBe(false);
    const update = actions.find((a) => a.type === 'update') as Extract<Action, { type: 'update' }>;
    expect(update.rs.metadata!.name).toBe(first);
    expect(update.rs.metadata!.annotations).toMatchObject({ [REVISION]: '3', 'deployment.kubernetes.io/revision-history': '1' });
    settle(w);
    expect(w.d.metadata!.annotations![REVISION]).toBe('3');
    expect(w.rss.size).toBe(2);
  });

  it('copies kubernetes.io/change-cause to the new ReplicaSet', () => {
    const w = new World(spec({ replicas: 1, strategy: 'RollingUpdate' }), [0]);
    w.d.metadata!.annotations = { 'kubernetes.io/change-cause': 'kubectl set image web c=img:0' };
    const create = w.plan().find((a) => a.type === 'create') as Extract<Action, { type: 'create' }>;
    expect(create.rs.metadata!.annotations!['kubernetes.io/change-cause']).toBe('kubectl set image web c=img:0');
  });

  it('makes no progress while paused, but shows it and still scales', () => {
    const w = new World(spec({ replicas: 2, strategy: 'RollingUpdate' }), [0]);
    settle(w);
    w.change((s) => {
      s.paused = true;
      s.template = template('img:1');
    });
    settle(w);
    expect(w.rss.size).toBe(1);
    expect(w.d.status!.conditions!.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    w.change((s) => (s.replicas = 5));
    settle(w);
    expect(specReplicas([...w.rss.values()][0]!)).toBe(5);
    w.change((s) => (s.paused = false));
    const resumed = w.plan();
    expect(resumed.some((a) => a.type === 'create')).toBe(true);
    settle(w);
    expectConverged(w);
  });

  it('marks ProgressDeadlineExceeded when nothing moves for progressDeadlineSeconds, and asks to run at the deadline', () => {
    const w = new World({ ...spec({ replicas: 2, strategy: 'RollingUpdate' }), progressDeadlineSeconds: 30 }, [1_000_000]);
    w.apply(w.plan());
    w.step();
    let actions = w.plan();
    w.apply(actions);
    const requeue = actions.find((a) => a.type === 'requeue') as Extract<Action, { type: 'requeue' }> | undefined;
    expect(requeue?.afterMs).toBeGreaterThan(0);
    w.now += 60_000;
    actions = w.plan();
    w.apply(actions);
    expect(w.d.status!.conditions!.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: expect.stringMatching(/^ReplicaSet "web-[a-z0-9]+" has timed out progressing\.$/),
    });
    expect(actions.some((a) => a.type === 'requeue')).toBe(false);
  });

  it('adopts an orphan ReplicaSet that matches the selector and releases one that stopped matching', () => {
    const w = new World(spec({ replicas: 1, strategy: 'RollingUpdate' }), [0]);
    const orphan: ReplicaSet = {
      metadata: { name: 'web-orphan', namespace: 'default', uid: 'o', labels: { app: 'web' }, creationTimestamp: new Date(at).toISOString() },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: template('img:0') },
      status: { replicas: 1, availableReplicas: 1, readyReplicas: 1 },
    };
    const strayed: ReplicaSet = {
      metadata: { name: 'web-strayed', namespace: 'default', uid: 's', labels: { app: 'other' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }] },
      spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } } } },
      status: { replicas: 0 },
    };
    w.rss.set('web-orphan', orphan);
    w.rss.set('web-strayed', strayed);
    const actions = w.plan();
    expect(actions[0]).toMatchObject({ type: 'adopt', rs: { metadata: { name: 'web-orphan', ownerReferences: [{ uid: 'd-uid', controller: true }] } } });
    expect(actions[1]).toMatchObject({ type: 'release', rs: { metadata: { name: 'web-strayed', ownerReferences: [] } } });
    // The adopted ReplicaSet runs the template already: no second one is created.
    expect(actions.some((a) => a.type === 'create')).toBe(false);
  });

  it('leaves ReplicaSets of an overlapping Deployment to their owner, and says so once per spec change', () => {
    const w = new World(spec({ replicas: 1, strategy: 'RollingUpdate' }), [0]);
    const theirs: ReplicaSet = {
      metadata: { name: 'api-123', namespace: 'default', uid: 'a', labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: '123' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'api-uid', controller: true }] },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: '123' } }, template: template('img:0') },
      status: { replicas: 2, availableReplicas: 2 },
    };
    w.rss.set('api-123', theirs);
    const actions = w.plan();
    expect(actions).toContainEqual({
      type: 'event',
      event: { type: 'Warning', reason: 'SelectorOverlap', message: 'Deployment "web" selects ReplicaSets another controller owns (api-123); they are left to their owner' },
    });
    // Its template is the same, but it is not ours: web still gets a ReplicaSet of its own.
    expect(actions.some((a) => a.type === 'create')).toBe(true);
    expect(actions.some((a) => (a.type === 'update' || a.type === 'adopt') && a.rs.metadata?.name === 'api-123')).toBe(false);
    settle(w);
    expect(specReplicas(w.rss.get('api-123')!)).toBe(2);
    expect(w.plan().some((a) => a.type === 'event')).toBe(false);
  });

  it('carries a ReplicaSet\'s ReplicaFailure condition (pods it cannot create) to the Deployment', () => {
    const w = new World(spec({ replicas: 2, strategy: 'RollingUpdate' }), [0]);
    w.apply(w.plan());
    const rs = [...w.rss.values()][0]!;
    rs.status = { replicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' }] };
    w.apply(w.plan());
    expect(w.d.status!.conditions!.find((c) => c.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' });
  });
});
