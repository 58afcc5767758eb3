import fc from 'fast-check';
import { expect } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { SimCluster } from '../../sim/cluster.js';
import { awaitComplete, deployment, deploymentCommands, deployments, IMAGES, initialModel, patchWeb, runDeploymentScenario, setImage, type Model } from './deployment-model.js';

/**
 * Metamorphic checks of the Deployment and ReplicaSet controllers on the simulated cluster: two runs
 * that must end alike, compared on what a user reads (kubectl get deploy,rs,pods), with what history
 * legitimately changes (revision numbers, generations, pod names and nodes, old ReplicaSets kept at
 * zero, timestamps) taken out.
 */

const REVISION_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history'];

const withoutRevision = (annotations: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(annotations ?? {}).filter(([k]) => !REVISION_ANNOTATIONS.includes(k)));

const counts = (s: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number; unavailableReplicas?: number } | undefined) => ({
  replicas: s?.replicas ?? 0,
  readyReplicas: s?.readyReplicas ?? 0,
  availableReplicas: s?.availableReplicas ?? 0,
  updatedReplicas: s?.updatedReplicas ?? 0,
  unavailableReplicas: s?.unavailableReplicas ?? 0,
});

/** The Deployment `web`, its ReplicaSets that want pods, and its pods, as a user reads them. */
export function normalisedState(sim: SimCluster): unknown {
  const [d] = sim.objects<Deployment>('deployments', 'default');
  const rss = sim.objects<ReplicaSet>('replicasets', 'default').filter((rs) => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
  const pods = sim.objects<Pod>('pods', 'default');
  return {
    deployment: d && {
      spec: { ...d.spec, paused: d.spec?.paused ?? false },
      annotations: withoutRevision(d.metadata?.annotations),
      status: { ...counts(d.status), conditions: (d.status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason}`).sort() },
    },
    replicaSets: rss
      .map((rs) => ({
        name: rs.metadata?.name,
        annotations: withoutRevision(rs.metadata?.annotations),
        spec: rs.spec,
        status: { ...counts(rs.status), fullyLabeledReplicas: rs.status?.fullyLabeledReplicas ?? 0 },
      }))
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    pods: pods
      .map((p) => ({
        owner: p.metadata?.ownerReferences?.find((r) => r.controller)?.name,
        labels: p.metadata?.labels,
        image: p.spec?.containers[0]?.image,
        terminating: Boolean(p.metadata?.deletionTimestamp),
        phase: p.status?.phase,
        ready: p.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

/**
 * How many times each actor created, deleted or bound each kind of object, per ReplicaSet for pods
 * (their names are random, their owner's is the template's hash): "controller-manager create pods
 * web-5d8f7c9b4" -> 3. Only writes that took effect count.
 */
export function writeCounts(sim: SimCluster, from = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of sim.trace.slice(from)) {
    const m = /^\S+ (\S+) (create|delete|bind) (pods|replicasets|deployments) (\S+) rv=|^\S+ (\S+) (bind) (pods) (\S+) ok$/.exec(line);
    if (!m) continue;
    const [actor, verb, resource, where] = m[1] ? [m[1], m[2], m[3], m[4]] : [m[5], m[6], m[7], m[8]];
    const name = where!.split('/').pop()!;
    const key = `${actor} ${verb} ${resource} ${resource === 'pods' ? name.replace(/-[a-z0-9]{5}$/, '') : name}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/**
 * A fresh cluster from the same seed given the reached Deployment's spec at once, brought to the same
 * point: complete, then a quiet minute.
 */
export async function freshState(seed: number, reached: Deployment, m: Pick<Model, 'replicas'>): Promise<unknown> {
  const sim = await SimCluster.start({ seed, nodes: 3 });
  try {
    const fresh = deployment(m.replicas, IMAGES[0]!);
    fresh.spec = structuredClone(reached.spec!);
    await sim.client.create(deployments, 'default', fresh);
    await awaitComplete(m, sim);
    await sim.advance(60_000);
    return normalisedState(sim);
  } finally {
    await sim.stop();
  }
}

// ---- crashes and stale lists do not change what is done ----------------------------------------

/** A user change, made once the previous one has completed. */
export type Change = { kind: 'scale'; replicas: number } | { kind: 'image'; image: string };

/** A crash of a component some virtual time after a change was made, while it rolls out. */
export interface Crash {
  component: 'controller-manager' | 'scheduler';
  afterMs: number;
}

export const changes: fc.Arbitrary<Change[]> = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 6 }).map((replicas): Change => ({ kind: 'scale', replicas })),
    fc.constantFrom(...IMAGES).map((image): Change => ({ kind: 'image', image })),
  ),
  { minLength: 1, maxLength: 5 },
);

export const crashes = fc.array(
  fc.record({ component: fc.constantFrom('controller-manager' as const, 'scheduler' as const), afterMs: fc.integer({ min: 0, max: 20_000 }) }),
  { maxLength: 2 },
);

export interface FaultPlan {
  /** Crashes after each change (index = change). */
  crashes: Crash[][];
  /** Revisions the controller manager's and scheduler's lists lag by. */
  staleRevisions: number;
}

/**
 * Runs `changes`, each to completion before the next, with the faults of `plan` if given; returns
 * the end state and the write counts. A crash's restart starts from a (possibly stale) list, so it
 * must neither redo what its predecessor did nor miss what is left.
 */
export async function runChanges(seed: number, list: readonly Change[], plan?: FaultPlan): Promise<{ state: unknown; counts: Record<string, number> }> {
  const sim = await SimCluster.start({ seed, nodes: 3 });
  const model = initialModel();
  try {
    if (plan) for (const c of ['controller-manager', 'scheduler'] as const) sim.setFaults(c, { staleRevisions: plan.staleRevisions });
    await sim.client.create(deployments, 'default', deployment(model.replicas, model.image));
    await awaitComplete(model, sim);
    for (const [i, change] of list.entries()) {
      if (change.kind === 'scale') model.replicas = change.replicas;
      else model.image = change.image;
      await (change.kind === 'scale' ? patchWeb(sim, { spec: { replicas: change.replicas } }) : setImage(sim, change.image));
      let at = 0;
      for (const crash of [...(plan?.crashes[i] ?? [])].sort((a, b) => a.afterMs - b.afterMs)) {
        await sim.advance(crash.afterMs - at);
        at = crash.afterMs;
        await sim.crash(crash.component);
      }
      await awaitComplete(model, sim);
    }
    await sim.advance(60_000);
    return { state: normalisedState(sim), counts: writeCounts(sim) };
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- last writes of the trace (cluster seed ${seed}) ---\n${sim.trace.slice(-40).join('\n')}`);
  } finally {
    await sim.stop();
  }
}

/**
 * The same changes with and without the faults: the same end state, the same writes. Stale lists
 * would have a restarted controller manager miss its predecessor's last creates and create again
 * (as upstream's can from a lagging watch cache); its caches start no older than the Lease it writes
 * on starting, which is what keeps the counts equal.
 */
export const crashesChangeNothing = () =>
  fc.asyncProperty(
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    changes.chain((list) => fc.tuple(fc.constant(list), fc.array(crashes, { minLength: list.length, maxLength: list.length }), fc.constantFrom(0, 5, 30))),
    async (seed, [list, crashPlan, staleRevisions]) => {
      const plain = await runChanges(seed, list);
      const faulted = await runChanges(seed, list, { crashes: crashPlan, staleRevisions });
      expect(faulted.state, 'the end state with crashes and stale lists').toEqual(plain.state);
      expect(faulted.counts, 'creates, deletes and binds with crashes and stale lists').toEqual(plain.counts);
    },
  );

// ---- any path to a spec ends where applying it fresh does ----------------------------------------

/**
 * Random changes and faults (the model-based scenario of deployment-model.ts), then, once converged,
 * the same spec applied to a fresh cluster: the two must read alike.
 */
export const anyPathEndsAsFresh = () =>
  fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 31 - 1 }), deploymentCommands(10), async (seed, cmds) => {
    await runDeploymentScenario(seed, cmds, undefined, async (sim, m) => {
      const [reached] = sim.objects<Deployment>('deployments', 'default');
      expect(normalisedState(sim), 'the state reached, against the same spec applied fresh').toEqual(await freshState(seed, reached!, m));
    });
  });
