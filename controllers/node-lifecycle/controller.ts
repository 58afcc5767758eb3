import { isConflict, isNotFound, type KubeObject } from '../../api/client.js';
import { type ReconcileResult } from '../../api/reconcile-loop.js';
import { resolveResource } from '../../api/resources.js';
import type { Lease, Node } from '../../api/schemas/cluster.js';
import type { Condition } from '../../api/schemas/meta.js';
import type { Pod } from '../../api/schemas/pod.js';
import { controllerLoop, type Controller, type ControllerContext } from '../controller.js';
import { planEvictions } from './evictions.js';
import { podsToMarkNotReady } from './mark-pods-not-ready.js';
import { NODE_MONITOR_GRACE_PERIOD_MS, planNode, type NodeAction } from './plan.js';
import { NodeProbes } from './probes.js';
import { podsMatter } from './pods-matter.js';

const nodesR = resolveResource('nodes')!;
const podsR = resolveResource('pods')!;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const NODE_NAME_INDEX = 'spec.nodeName';
const podNode = (p: Readonly<Pod>): string[] => (p.spec?.nodeName ? [p.spec.nodeName] : []);

/**
 * The node lifecycle controller (kube-controller-manager's `nodelifecycle`, with its NoExecute
 * taint manager), one node per key:
 *
 *   node-2's kubelet stops renewing its Lease and posting status (minik.dev/heartbeats: stopped)
 *   40 s / speed later   -> conditions Unknown, event NodeNotReady,
 *                           taints node.kubernetes.io/unreachable NoSchedule and NoExecute
 *   at once              -> pods on node-2 that do not tolerate the taint are deleted
 *                           (event TaintManagerEviction "Marking for deletion Pod default/web-1")
 *   300 s / speed later  -> so are pods with the API server's default toleration of 300 s
 *   the kubelet posts Ready=True again -> the taints go
 *
 * Lease changes queue the node they concern, so a renewal is seen at once; so do pod changes while
 * the node is not Ready or tainted NoExecute (a pod landing on it is looked at at once; on a healthy
 * node there is nothing to do about a pod). A node not yet stale is looked at again when it would be.
 */
export function nodeLifecycleController(ctx: ControllerContext): Controller {
  const nodes = ctx.informers.for<Node>('nodes');
  const leases = ctx.informers.for<Lease>('leases');
  const pods = ctx.informers.for<Pod>('pods');
  // Upstream's nodeNameKeyIndex: a node's pods without a scan of every pod for each node looked at.
  pods.addIndex(NODE_NAME_INDEX, podNode);
  const probes = new NodeProbes();
  const loop = controllerLoop(ctx, 'nodelifecycle', (name) => reconcile(name), 2);

  const enqueueNode = (n: Readonly<Node>) => loop.enqueue(n.metadata?.name ?? '');
  nodes.on({ add: enqueueNode, update: (_, n) => enqueueNode(n), delete: enqueueNode });
  const enqueueLease = (l: Readonly<Lease>) => {
    if (l.metadata?.namespace === NODE_LEASE_NAMESPACE && l.metadata.name) loop.enqueue(l.metadata.name);
  };
  leases.on({ add: enqueueLease, update: (_, l) => enqueueLease(l) });
  const enqueuePodNode = (p: Readonly<Pod>) => {
    const name = p.spec?.nodeName;
    if (name && podsMatter(nodes.get(name))) loop.enqueue(name);
  };
  pods.on({ add: enqueuePodNode, update: (_, p) => enqueuePodNode(p) });

  async function reconcile(name: string): Promise<ReconcileResult> {
    const cached = nodes.get(name);
    if (!cached) {
      probes.forget(name);
      return {};
    }
    const now = ctx.clock.now();
    const renew = leases.get(`${NODE_LEASE_NAMESPACE}/${name}`)?.spec?.renewTime;
    const heartbeat = cached.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    const lastProbe = probes.observe(name, { heartbeat, renew }, now);
    // Read each time: the speed can change while the controller runs (kube-system/minik-config).
    const plan = planNode({ node: cached, now, lastProbe, gracePeriodMs: NODE_MONITOR_GRACE_PERIOD_MS / ctx.speed });
    let node: Readonly<Node> = cached;
    for (const a of plan.actions) node = await execute(node, a);

    const onNode = pods.byIndex(NODE_NAME_INDEX, name);
    for (const { pod, conditions } of podsToMarkNotReady(node, onNode, now)) await markNotReady(pod, conditions);
    const evictions = planEvictions({ taints: node.spec?.taints ?? [], pods: onNode, now, speed: ctx.speed });
    for (const pod of evictions.evict) await evict(pod);
    const recheck = [plan.recheckAfterMs, evictions.recheckAfterMs].filter((ms): ms is number => ms !== undefined);
    return recheck.length > 0 ? { requeueAfterMs: Math.min(...recheck) } : {};
  }

  /** Writes one action; answers the node as it now is, so the next write is conditional on it. */
  async function execute(node: Readonly<Node>, a: NodeAction): Promise<Readonly<Node>> {
    if (a.type === 'event') {
      await record({ ...node, apiVersion: 'v1', kind: 'Node' }, a.reason, a.message);
      return node;
    }
    if (a.type === 'updateStatus') {
      ctx.logger.info({ node: node.metadata?.name }, 'node stopped posting status; marking its conditions Unknown');
      return ctx.client.updateStatus<Node>(nodesR, undefined, { ...node, status: { ...node.status, conditions: a.conditions } });
    }
    return ctx.client.patch<Node>(nodesR, undefined, node.metadata!.name!, 'merge', {
      metadata: { resourceVersion: node.metadata?.resourceVersion },
      spec: { taints: a.taints },
    });
  }

  async function markNotReady(pod: Readonly<Pod>, conditions: Condition[]): Promise<void> {
    const ns = pod.metadata?.namespace ?? 'default';
    try {
      await ctx.client.updateStatus(podsR, ns, { ...pod, status: { ...pod.status, conditions } });
    } catch (err) {
      // Changed or gone meanwhile: the pod's own update brings this node back to the queue.
      if (!isNotFound(err) && !isConflict(err)) throw err;
      return;
    }
    await record({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'NodeNotReady', 'Node is not ready', 'Warning');
  }

  async function evict(pod: Readonly<Pod>): Promise<void> {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    await record({ ...pod, apiVersion: 'v1', kind: 'Pod' }, 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
    try {
      await ctx.client.delete(podsR, ns, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** An Event that cannot be written is logged: it must not hold up the node or its pods. */
  async function record(obj: KubeObject, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): Promise<void> {
    try {
      await ctx.events.record(obj, type, reason, message);
    } catch (err) {
      ctx.logger.warn({ reason, message, err: (err as Error).message }, 'could not record event');
    }
  }

  return {
    name: 'nodelifecycle',
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
