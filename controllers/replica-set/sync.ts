import { isDeepStrictEqual } from 'node:util';
import { ApiClientError, isNotFound, isInvalid, type ApiClient } from '../../api/client.js';
import type { Clock } from '../../api/clock.js';
import type { EventRecorder, EventType } from '../../api/event-recorder.js';
import { keyOf } from '../../api/informer.js';
import { SelectorError, selectorFromLabelSelector } from '../../api/labels.js';
import type { Logger } from '../../api/log.js';
import { TerminalError, type ReconcileResult } from '../../api/reconcile-loop.js';
import { resolveResource } from '../../api/resources.js';
import type { OwnerReference } from '../../api/schemas/meta.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { adoptPatch, controllerOf, releasePatch } from './controller-ref.js';
import { PodExpectations } from './expectations.js';
import { claimPods, ownerOf, planClaimed, type Action } from './plan.js';
import { PodLookup, type Cache } from './pod-lookup.js';
import { podFromTemplate } from './pod-template.js';
import { slowStartBatch } from './slow-start.js';
import { calculateStatus, nextAvailableInMs, statusChanged } from './status.js';

const podsResource = resolveResource('pods')!;
const rsResource = resolveResource('replicasets')!;

export type { Cache } from './pod-lookup.js';

/** The writes a ReplicaSet sync makes; the HTTP client and an in-process one both provide them. */
export type ReplicaSetClient = Pick<ApiClient, 'get' | 'create' | 'patch' | 'delete' | 'updateStatus'>;

export interface ReplicaSetSyncOptions {
  client: ReplicaSetClient;
  pods: Cache<Pod>;
  replicaSets: Cache<ReplicaSet>;
  events: Pick<EventRecorder, 'record'>;
  clock: Clock;
  /** Where the pod and ReplicaSet handlers send the keys to sync. */
  enqueue(key: string): void;
  logger?: Logger;
  burstReplicas?: number;
  /** False only to show, in tests, what expectations prevent. */
  expectations?: boolean;
}

/**
 * The ReplicaSet controller's sync and its informer handlers, free of any queue or informer so
 * that a test can drive it against caches that lag. `reconcile(key)` re-reads the caches, plans
 * (plan.ts), claims pods, creates or deletes the difference, and writes the status:
 *
 *   const sync = new ReplicaSetSync({ client, pods, replicaSets, events, clock, enqueue: (k) => loop.enqueue(k) });
 *   podInformer.on({ add: (p) => sync.podAdded(p), update: (o, p) => sync.podUpdated(o, p), delete: (p) => sync.podDeleted(p) });
 *   await sync.reconcile('default/web');   // web: replicas 3, no pods -> 3 pods created, status written
 *   await sync.reconcile('default/web');   // the creates not yet in the pod cache: nothing more created
 */
export class ReplicaSetSync {
  readonly expectations: PodExpectations;
  private readonly lookup: PodLookup;

  constructor(private readonly opts: ReplicaSetSyncOptions) {
    this.expectations = new PodExpectations({ clock: opts.clock, enabled: opts.expectations ?? true });
    this.lookup = new PodLookup(opts.pods);
  }

  async reconcile(key: string): Promise<ReconcileResult> {
    const { replicaSets, clock } = this.opts;
    const rs = replicaSets.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return {};
    }
    // Read before the pods: a create seen between the two reads is then in the list we act on.
    const satisfied = this.expectations.satisfied(key);
    const candidates = this.claimCandidates(rs);
    const now = clock.now();
    let actions: Action[];
    let claimed: Readonly<Pod>[];
    try {
      const claims = claimPods(rs, candidates);
      const related = () => this.relatedPods(rs);
      actions = planClaimed(rs, claims, { pods: candidates, related, expectationsSatisfied: satisfied, now }, this.planOptions());
      claimed = claims.claimed;
    } catch (err) {
      if (err instanceof SelectorError) throw new TerminalError(`ReplicaSet ${key} has an invalid selector: ${err.message}`);
      throw err;
    }

    const gone = await this.claim(rs, actions);
    if (gone.size > 0) {
      // A pod vanished while being adopted: the counts planned with it are off, so plan again.
      return { requeueAfterMs: 0 };
    }
    let manageError: unknown;
    try {
      await this.manage(rs, key, actions);
    } catch (err) {
      manageError = err;
    }
    await this.writeStatus(rs, calculateStatus(rs, claimed, manageError, now));
    if (manageError !== undefined) throw manageError;
    const wait = nextAvailableInMs(rs, claimed, now);
    return wait === undefined ? {} : { requeueAfterMs: wait };
  }

  // ---- handlers: they only feed expectations and name keys to sync ----------------------------

  podAdded(pod: Readonly<Pod>): void {
    if (pod.metadata?.deletionTimestamp) {
      // After a restart a pod can be first seen already terminating: that is a deletion to us.
      this.podDeleted(pod);
      return;
    }
    const ref = controllerOf(pod);
    if (ref) {
      const rs = this.resolve(pod.metadata?.namespace, ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.opts.enqueue(keyOf(rs));
      return;
    }
    // An orphan: every ReplicaSet that could adopt it looks.
    for (const rs of this.selecting(pod)) this.opts.enqueue(keyOf(rs));
  }

  podUpdated(old: Readonly<Pod>, cur: Readonly<Pod>): void {
    // A periodic resync: nothing about the pod changed.
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelsChanged = !isDeepStrictEqual(old.metadata?.labels ?? {}, cur.metadata?.labels ?? {});
    if (cur.metadata?.deletionTimestamp) {
      this.podDeleted(cur);
      // The old labels may have pointed at another ReplicaSet, which should not wait for the delete.
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const curRef = controllerOf(cur);
    const oldRef = controllerOf(old);
    const refChanged = !isDeepStrictEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolve(old.metadata?.namespace, oldRef);
      if (rs) this.opts.enqueue(keyOf(rs));
    }
    if (curRef) {
      const rs = this.resolve(cur.metadata?.namespace, curRef);
      if (rs) this.opts.enqueue(keyOf(rs));
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.selecting(cur)) this.opts.enqueue(keyOf(rs));
  }

  podDeleted(pod: Readonly<Pod>): void {
    const ref = controllerOf(pod);
    if (!ref) return;
    const rs = this.resolve(pod.metadata?.namespace, ref);
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), keyOf(pod));
    this.opts.enqueue(keyOf(rs));
  }

  replicaSetChanged(old: Readonly<ReplicaSet> | undefined, cur: Readonly<ReplicaSet>): void {
    // Deleted and re-created under the same name between two events: the old one's expectations go.
    if (old && old.metadata?.uid !== cur.metadata?.uid) this.expectations.delete(keyOf(old));
    this.opts.enqueue(keyOf(cur));
  }

  replicaSetDeleted(rs: Readonly<ReplicaSet>): void {
    this.expectations.delete(keyOf(rs));
    this.opts.enqueue(keyOf(rs));
  }

  // ---- the executor ---------------------------------------------------------------------------

  /** Adopts and releases; answers the pods that were gone. Throws if any other claim failed. */
  private async claim(rs: Readonly<ReplicaSet>, actions: readonly Action[]): Promise<Set<string>> {
    const gone = new Set<string>();
    const adopts = actions.filter((a) => a.type === 'adopt');
    const releases = actions.filter((a) => a.type === 'release');
    if (adopts.length + releases.length === 0) return gone;
    const errors: string[] = [];
    let canAdopt: Promise<void> | undefined;
    const ns = rs.metadata?.namespace;
    await Promise.all([
      ...adopts.map(async ({ pod }) => {
        try {
          // Checked once, against the server: a ReplicaSet deleted since the cache saw it must not adopt.
          await (canAdopt ??= this.recheckNotDeleted(rs));
          await this.opts.client.patch(podsResource, ns, pod.metadata?.name ?? '', 'strategic', adoptPatch(ownerOf(rs), pod));
        } catch (err) {
          if (isNotFound(err)) gone.add(keyOf(pod));
          else errors.push(`adopting pod ${keyOf(pod)}: ${(err as Error).message}`);
        }
      }),
      ...releases.map(async ({ pod }) => {
        try {
          await this.opts.client.patch(podsResource, ns, pod.metadata?.name ?? '', 'strategic', releasePatch(ownerOf(rs), pod));
        } catch (err) {
          // Gone, or no longer carrying our reference: either way it is not ours any more.
          if (!isNotFound(err) && !isInvalid(err)) errors.push(`releasing pod ${keyOf(pod)}: ${(err as Error).message}`);
        }
      }),
    ]);
    if (errors.length > 0) throw new Error(`ReplicaSet ${keyOf(rs)} could not claim its pods: ${errors.join('; ')}`);
    return gone;
  }

  private async recheckNotDeleted(rs: Readonly<ReplicaSet>): Promise<void> {
    const key = keyOf(rs);
    const want = rs.metadata?.uid;
    let fresh: ReplicaSet;
    try {
      fresh = await this.opts.client.get<ReplicaSet>(rsResource, rs.metadata?.namespace, rs.metadata?.name ?? '');
    } catch (err) {
      if (isNotFound(err)) throw new Error(`original ReplicaSet ${key} is gone: got nothing, wanted uid ${want}`);
      throw err;
    }
    if (fresh.metadata?.uid !== want) throw new Error(`original ReplicaSet ${key} is gone: got uid ${fresh.metadata?.uid}, wanted ${want}`);
    if (fresh.metadata?.deletionTimestamp) throw new Error(`${key} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  }

  private async manage(rs: Readonly<ReplicaSet>, key: string, actions: readonly Action[]): Promise<void> {
    for (const a of actions) {
      if (a.type === 'create') await this.createPods(rs, key, a.count);
      else if (a.type === 'delete') await this.deletePods(rs, key, a.pods);
    }
  }

  private async createPods(rs: Readonly<ReplicaSet>, key: string, count: number): Promise<void> {
    const { client } = this.opts;
    this.expectations.expectCreations(key, count);
    const { successes, error } = await slowStartBatch(count, async () => {
      try {
        const pod = await client.create<Pod>(podsResource, rs.metadata?.namespace, podFromTemplate(rs));
        this.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name}`);
      } catch (err) {
        // Every later create would fail the same way while the namespace goes; nothing to report.
        if (namespaceTerminating(err)) return;
        this.event(rs, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
        throw err;
      }
    });
    // Creates never sent, or refused, will never be seen: stop waiting for them.
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    if (error !== undefined) throw error;
  }

  private async deletePods(rs: Readonly<ReplicaSet>, key: string, pods: readonly Readonly<Pod>[]): Promise<void> {
    this.expectations.expectDeletions(key, pods.map(keyOf));
    const errors: unknown[] = [];
    await Promise.all(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        try {
          await this.opts.client.delete(podsResource, rs.metadata?.namespace, name);
          this.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (err) {
          this.expectations.deletionObserved(key, keyOf(pod));
          if (isNotFound(err)) return;
          this.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
          errors.push(err);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }

  /** Upstream's updateReplicaSetStatus: only when something changed; one retry on a fresh copy. */
  private async writeStatus(rs: Readonly<ReplicaSet>, status: NonNullable<ReplicaSet['status']>): Promise<void> {
    if (!statusChanged(rs, status)) return;
    const { client } = this.opts;
    const next = { ...status, observedGeneration: rs.metadata?.generation };
    let cur: ReplicaSet = rs as ReplicaSet;
    for (let attempt = 0; ; attempt++) {
      try {
        await client.updateStatus(rsResource, cur.metadata?.namespace, { ...cur, status: next });
        return;
      } catch (err) {
        if (attempt >= 1 || isNotFound(err)) throw err;
        cur = await client.get<ReplicaSet>(rsResource, rs.metadata?.namespace, rs.metadata?.name ?? '');
      }
    }
  }

  // ---- lookups --------------------------------------------------------------------------------

  private planOptions() {
    return this.opts.burstReplicas === undefined ? {} : { burstReplicas: this.opts.burstReplicas };
  }

  /** The ReplicaSet a controller reference names, if the cache has that very one (same uid). */
  private resolve(ns: string | undefined, ref: Readonly<OwnerReference>): Readonly<ReplicaSet> | undefined {
    if (ref.kind !== 'ReplicaSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const rs = this.opts.replicaSets.get(`${ns}/${ref.name}`);
    return rs && rs.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets of the pod's namespace whose selector matches it (upstream's GetPodReplicaSets). */
  private selecting(pod: Readonly<Pod>): Readonly<ReplicaSet>[] {
    const labels = pod.metadata?.labels;
    if (!labels || Object.keys(labels).length === 0) return [];
    return this.opts.replicaSets.list().filter((rs) => {
      if (rs.metadata?.namespace !== pod.metadata?.namespace) return false;
      const sel = safeSelector(rs);
      return sel !== undefined && !sel.isEmpty() && sel.matches(labels);
    });
  }

  /**
   * The pods claiming can touch: those of the namespace this ReplicaSet controls, and its orphans.
   * Pods another controller holds are never claimed, so they are not looked at.
   */
  private claimCandidates(rs: Readonly<ReplicaSet>): Readonly<Pod>[] {
    const ns = rs.metadata?.namespace;
    const uid = rs.metadata?.uid;
    const owned = uid ? this.lookup.controlledBy(uid).filter((p) => p.metadata?.namespace === ns) : [];
    return [...owned, ...this.lookup.orphans(ns)];
  }

  /** Pods the selectors of this ReplicaSet and its siblings (same controlling owner) match (upstream's getIndirectlyRelatedPods). */
  private relatedPods(rs: Readonly<ReplicaSet>): Readonly<Pod>[] {
    const ns = rs.metadata?.namespace;
    const owner = controllerOf(rs);
    const family = owner
      ? this.opts.replicaSets.list().filter((o) => o.metadata?.namespace === ns && controllerOf(o)?.uid === owner.uid)
      : [rs];
    const related = new Map<string, Readonly<Pod>>();
    for (const sel of family.map(safeSelector)) {
      if (sel === undefined) continue;
      for (const p of this.lookup.matching(ns, sel)) related.set(keyOf(p), p);
    }
    return [...related.values()];
  }

  private event(rs: Readonly<ReplicaSet>, type: EventType, reason: string, message: string): void {
    const obj = { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' };
    this.opts.events.record(obj, type, reason, message).catch((err: Error) => {
      this.opts.logger?.warn({ replicaset: keyOf(rs), reason, err: err.message }, 'could not record an event');
    });
  }
}

function safeSelector(rs: Readonly<ReplicaSet>) {
  try {
    return selectorFromLabelSelector(rs.spec?.selector ?? {});
  } catch {
    return undefined;
  }
}

/** Upstream's HasStatusCause(err, NamespaceTerminatingCause). */
function namespaceTerminating(err: unknown): boolean {
  return err instanceof ApiClientError && (err.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}
