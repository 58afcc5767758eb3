import { isAlreadyExists, isNotFound, type KubeObject } from '../../api/client.js';
import { keyOf } from '../../api/informer.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { type ReconcileResult } from '../../api/reconcile-loop.js';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Deployment, ReplicaSet } from '../../api/schemas/workloads.js';
import { controllerLoop, type ControllerContext, type ControllerFactory } from '../controller.js';
import { plan, type Action, type PlannedEvent } from './plan.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import { newCondition, setCondition } from './status.js';
import { controllerRefOf } from './_util.js';
import { OwnWrites } from '../own-writes.js';
import { copyOfCached, jsonCopy } from '../../api/json-copy.js';
import { secondsTimestamp } from '../../api/timestamp.js';

const DEPLOYMENTS = resolveResource('deployments')!;
const REPLICA_SETS = resolveResource('replicasets')!;

/**
 * The Deployment controller: keeps each Deployment's ReplicaSets, and so its pods, at its template
 * and replicas, rolling from one template to the next as its strategy says. Handlers only enqueue
 * the Deployment's key; `reconcile` reads the caches, asks `plan` what to do and does it.
 *
 *   kubectl create deployment web --image=nginx --replicas=3
 *     -> ReplicaSet web-<hash> (replicas 3, revision 1), Event "Scaled up replica set web-<hash> from 0 to 3"
 *   kubectl set image deployment/web nginx=nginx:2
 *     -> ReplicaSet web-<hash2> (revision 2) grows as web-<hash> shrinks, within maxSurge/maxUnavailable
 *   kubectl rollout undo deployment/web
 *     -> web-<hash> is the new ReplicaSet again, now revision 3
 */
export const deploymentController: ControllerFactory = (ctx) => {
  const deployments = ctx.informers.for<Deployment>('deployments');
  const replicaSets = ctx.informers.for<ReplicaSet>('replicasets');
  const pods = ctx.informers.for<Pod>('pods');
  const loop = controllerLoop(ctx, 'deployment', (key) => reconcile(ctx, key), 2);
  const own = new OwnWrites();

  /** The Deployments a ReplicaSet concerns: its controller, or for an orphan every one whose selector matches. */
  const owners = (rs: Readonly<ReplicaSet>): string[] => {
    const ns = rs.metadata?.namespace;
    const ref = controllerRefOf(rs);
    if (ref) {
      if (ref.kind !== 'Deployment') return [];
      const d = deployments.get(`${ns}/${ref.name}`);
      return d && d.metadata?.uid === ref.uid ? [keyOf(d)] : [];
    }
    return deployments
      .list()
      .filter((d) => d.metadata?.namespace === ns && selects(d, rs.metadata?.labels))
      .map((d) => keyOf(d));
  };
  const enqueueOwners = (...rss: Readonly<ReplicaSet>[]) => {
    for (const key of new Set(rss.flatMap(owners))) loop.enqueue(key);
  };

  deployments.on({
    add: (d) => loop.enqueue(keyOf(d)),
    update: (_, d) => loop.enqueue(keyOf(d)),
    delete: (d) => loop.enqueue(keyOf(d)),
  });
  // An update may change the controller or the labels: both the old and the new owners look again.
  replicaSets.on({
    add: (rs) => enqueueOwners(rs),
    update: (old, rs) => enqueueOwners(old, rs),
    delete: (rs) => {
      own.forget(rs);
      enqueueOwners(rs);
    },
  });
  // Only Recreate waits on pods, and only for them to be gone.
  pods.on({
    delete: (pod) => {
      const ref = controllerRefOf(pod);
      if (ref?.kind !== 'ReplicaSet') return;
      const rs = replicaSets.get(`${pod.metadata?.namespace}/${ref.name}`);
      if (!rs || rs.metadata?.uid !== ref.uid) return;
      for (const key of owners(rs)) if (deployments.get(key)?.spec?.strategy?.type === 'Recreate') loop.enqueue(key);
    },
  });

  return { name: 'deployment', start: () => loop.start(), stop: () => loop.stop() };

  async function reconcile(c: ControllerContext, key: string): Promise<ReconcileResult> {
    const d = deployments.get(key);
    if (!d) return {};
    const ns = d.metadata?.namespace;
    const rss = replicaSets.list().filter((rs) => rs.metadata?.namespace === ns);
    // The ReplicaSet's event syncs again once the cache has it; the requeue only covers a lost event.
    if (own.lagging(ns!, rss, c.clock.now())) return { requeueAfterMs: LAGGING_RECHECK_MS };
    const podsByReplicaSet = new Map<string, number>();
    if (d.spec?.strategy?.type === 'Recreate') {
      for (const pod of pods.list()) {
        const ref = controllerRefOf(pod);
        if (pod.metadata?.namespace !== ns || !ref || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
        podsByReplicaSet.set(ref.uid, (podsByReplicaSet.get(ref.uid) ?? 0) + 1);
      }
    }
    const actions = plan(d, { replicaSets: rss, podsByReplicaSet, now: c.clock.now() });
    return execute(c, d, actions, (rs) => own.wrote(rs, c.clock.now()));
  }
};

function selects(d: Readonly<Deployment>, labels: Readonly<Record<string, string>> | undefined): boolean {
  try {
    return selectorFromLabelSelector(d.spec?.selector).matches(labels);
  } catch {
    return false;
  }
}

/** How soon a Deployment waiting for its cache to see its own ReplicaSet writes looks again without an event. */
const LAGGING_RECHECK_MS = 1_000;

const asDeployment = (d: Readonly<Deployment>): KubeObject => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' }) as KubeObject;

/**
 * Carries out a plan through the API client, in order. Any failure ends the pass and the loop
 * retries with back-off, re-planning from fresh caches; writes are conditional on the
 * resourceVersion read, so a stale plan fails rather than undoes someone's change.
 */
async function execute(ctx: ControllerContext, observed: Readonly<Deployment>, actions: Action[], wrote: (rs: ReplicaSet) => void): Promise<ReconcileResult> {
  const { client } = ctx;
  const ns = observed.metadata!.namespace!;
  let current: Deployment = copyOfCached(observed) as Deployment;
  const versions = new Map<string, string>();
  let checkedOwner = false;
  let result: ReconcileResult = {};
  const record = async (e: PlannedEvent) => {
    try {
      await ctx.events.record(asDeployment(current), e.type, e.reason, e.message);
    } catch (err) {
      ctx.logger.warn({ deployment: keyOf(observed), reason: e.reason, err: (err as Error).message }, 'could not record event');
    }
  };
  const fresh = (rs: ReplicaSet): ReplicaSet => {
    const rv = versions.get(rs.metadata!.name!);
    return rv ? { ...rs, metadata: { ...rs.metadata, resourceVersion: rv } } : rs;
  };
  const write = async (rs: ReplicaSet) => {
    const out = await client.update<ReplicaSet>(REPLICA_SETS, ns, fresh(rs));
    versions.set(out.metadata!.name!, out.metadata!.resourceVersion!);
    wrote(out);
  };

  for (const a of actions) {
    switch (a.type) {
      case 'adopt': {
        // As upstream's canAdopt: a quorum read, so that a Deployment deleted or re-created meanwhile adopts nothing.
        if (!checkedOwner) {
          const live = await client.get<Deployment>(DEPLOYMENTS, ns, observed.metadata!.name!);
          if (live.metadata?.uid !== observed.metadata?.uid || live.metadata?.deletionTimestamp) {
            throw new Error(`Cannot adopt ReplicaSets for deployment ${keyOf(observed)}: it was deleted or replaced`);
          }
          checkedOwner = true;
        }
        await write(a.rs);
        break;
      }
      case 'release':
        try {
          await write(a.rs);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        break;
      case 'create': {
        try {
          const out = await client.create<ReplicaSet>(REPLICA_SETS, ns, a.rs);
          versions.set(out.metadata!.name!, out.metadata!.resourceVersion!);
          wrote(out);
        } catch (err) {
          if (isAlreadyExists(err)) return collision(ctx, current, a.rs);
          const msg = `Failed to create new replica set "${a.rs.metadata?.name}": ${(err as Error).message}`;
          await record({ type: 'Warning', reason: 'ReplicaSetCreateError', message: msg });
          const status = jsonCopy(current.status ?? {});
          setCondition(status, newCondition('Progressing', 'False', 'ReplicaSetCreateError', msg, secondsTimestamp(ctx.clock.now())));
          await client.updateStatus(DEPLOYMENTS, ns, { ...current, status }).catch(() => undefined);
          throw err;
        }
        if (a.event) await record(a.event);
        break;
      }
      case 'update':
        await write(a.rs);
        if (a.event) await record(a.event);
        break;
      case 'delete':
        try {
          await client.delete(REPLICA_SETS, ns, a.name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
        break;
      case 'updateDeployment':
        current = await client.update<Deployment>(DEPLOYMENTS, ns, { ...a.deployment, metadata: { ...a.deployment.metadata, resourceVersion: current.metadata?.resourceVersion } });
        break;
      case 'updateStatus':
        current = await client.updateStatus<Deployment>(DEPLOYMENTS, ns, { ...current, status: a.status });
        break;
      case 'event':
        await record(a.event);
        break;
      case 'requeue':
        result = { requeueAfterMs: a.afterMs };
        break;
    }
  }
  return result;
}

/**
 * The name `<deployment>-<hash>` is taken. If by this Deployment's own ReplicaSet for this template
 * (a cache that had not seen it yet), a later pass will find it. Otherwise it is a hash collision:
 * collisionCount goes up, so the next pass computes another name.
 */
async function collision(ctx: ControllerContext, d: Deployment, wanted: ReplicaSet): Promise<never> {
  const ns = d.metadata!.namespace!;
  const existing = await ctx.client.get<ReplicaSet>(REPLICA_SETS, ns, wanted.metadata!.name!);
  const ref = controllerRefOf(existing);
  // Ours, for this template: the cache has not seen it yet. As upstream, an error: the retry backs off
  // until the cache catches up (an immediate one would spin on the same stale view).
  if (ref?.uid === d.metadata?.uid && equalIgnoreHash(existing.spec?.template, d.spec?.template)) {
    throw new Error(`replica set ${ns}/${wanted.metadata?.name} exists but is not in the cache yet`);
  }
  const status = { ...jsonCopy(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
  await ctx.client.updateStatus(DEPLOYMENTS, ns, { ...d, status });
  throw new Error(`replica set ${ns}/${wanted.metadata?.name} exists and is not deployment ${d.metadata?.name}'s: hash collision, collisionCount is now ${status.collisionCount}`);
}
