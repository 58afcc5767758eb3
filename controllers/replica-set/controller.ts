import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { controllerLoop, type Controller, type ControllerContext, type ControllerFactory } from '../controller.js';
import { ReplicaSetSync } from './sync.js';

export interface ReplicaSetControllerOptions {
  /** Keys synced at once (kube-controller-manager's --concurrent-replicaset-syncs, 5 by default). */
  workers?: number;
  burstReplicas?: number;
  /** False only to show, in tests, what expectations prevent (a mutation check). */
  expectations?: boolean;
}

/**
 * The ReplicaSet controller: keeps spec.replicas active pods for every ReplicaSet, adopting
 * matching orphans and releasing pods that stop matching, and reports replicas, ready and
 * available pods in its status. Handlers only name the ReplicaSet to sync; ReplicaSetSync does
 * the rest from the caches.
 *
 *   kubectl apply -f rs.yaml           # ReplicaSet web: replicas 3, selector app=web
 *   -> pods web-7xk2p, web-c9q4d, web-mz8tw created (events "Created pod: web-7xk2p"...)
 *   kubectl delete pod web-c9q4d       # -> a replacement is created
 *   kubectl scale rs web --replicas=1  # -> the two lowest-ranked pods are deleted
 */
export function createReplicaSetController(ctx: ControllerContext, opts: ReplicaSetControllerOptions = {}): Controller {
  const pods = ctx.informers.for<Pod>('pods');
  const replicaSets = ctx.informers.for<ReplicaSet>('replicasets');
  const sync: ReplicaSetSync = new ReplicaSetSync({
    client: ctx.client,
    pods,
    replicaSets,
    events: ctx.events,
    clock: ctx.clock,
    logger: ctx.logger,
    enqueue: (key) => loop.enqueue(key),
    ...(opts.burstReplicas === undefined ? {} : { burstReplicas: opts.burstReplicas }),
    ...(opts.expectations === undefined ? {} : { expectations: opts.expectations }),
  });
  const loop = controllerLoop(ctx, 'replicaset', (key) => sync.reconcile(key), opts.workers ?? 5);
  replicaSets.on({
    add: (rs) => sync.replicaSetChanged(undefined, rs),
    update: (old, rs) => sync.replicaSetChanged(old, rs),
    delete: (rs) => sync.replicaSetDeleted(rs),
  });
  pods.on({
    add: (p) => sync.podAdded(p),
    update: (old, p) => sync.podUpdated(old, p),
    delete: (p) => sync.podDeleted(p),
  });
  return {
    name: 'replicaset',
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}

export const replicaSetController: ControllerFactory = (ctx) => createReplicaSetController(ctx);
