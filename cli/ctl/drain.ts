import { setCordon } from './cordon.js';
import { ApiError, CtlError, isNotFound } from './errors.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface DrainOptions {
  ignoreDaemonsets?: boolean;
  deleteEmptydirData?: boolean;
  force?: boolean;
  /** Seconds each pod is given to stop; -1 for its own terminationGracePeriodSeconds. */
  gracePeriod?: number;
  /** Seconds to wait for the pods to go; 0 waits for ever. */
  timeout?: number;
}

export interface DrainPlan {
  evict: Json[];
  /** Lines kubectl prints as `Warning: ...` before evicting. */
  warnings: string[];
  /** Why the node cannot be drained, when it cannot; nothing is evicted then. */
  errors: string[];
}

const key = (p: Json) => `${p.metadata?.namespace}/${p.metadata?.name}`;

/**
 * Which of a node's pods `kubectl drain` evicts, as its pod filters decide (k8s.io/kubectl/pkg/drain):
 * finished pods always go; mirror pods stay; DaemonSet pods stay with `--ignore-daemonsets`, else
 * the drain is refused; pods with emptyDir need `--delete-emptydir-data`; pods no controller owns
 * need `--force`.
 *
 *   planDrain([web-1 (owned by a ReplicaSet), solo (no owner)], {})
 *     // { evict: [web-1], warnings: [], errors: ['cannot delete Pods that declare no controller (use --force to override): default/solo'] }
 */
export function planDrain(pods: readonly Json[], o: DrainOptions): DrainPlan {
  const evict: Json[] = [];
  const fatal = { daemonSet: [] as string[], emptyDir: [] as string[], unmanaged: [] as string[] };
  const warn = { daemonSet: [] as string[], emptyDir: [] as string[], unmanaged: [] as string[] };
  for (const p of pods) {
    if (p.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) continue;
    const finished = p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
    if (finished) {
      evict.push(p);
      continue;
    }
    const controller = (p.metadata?.ownerReferences ?? []).find((r: Json) => r.controller);
    if (controller?.kind === 'DaemonSet') {
      (o.ignoreDaemonsets ? warn : fatal).daemonSet.push(key(p));
      continue;
    }
    const emptyDir = (p.spec?.volumes ?? []).some((v: Json) => v.emptyDir);
    if (emptyDir && !o.deleteEmptydirData) {
      fatal.emptyDir.push(key(p));
      continue;
    }
    if (!controller && !o.force) {
      fatal.unmanaged.push(key(p));
      continue;
    }
    if (!controller) warn.unmanaged.push(key(p));
    if (emptyDir) warn.emptyDir.push(key(p));
    evict.push(p);
  }
  const errors: string[] = [];
  if (fatal.daemonSet.length) errors.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${fatal.daemonSet.join(', ')}`);
  if (fatal.emptyDir.length) errors.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${fatal.emptyDir.join(', ')}`);
  if (fatal.unmanaged.length) errors.push(`cannot delete Pods that declare no controller (use --force to override): ${fatal.unmanaged.join(', ')}`);
  const warnings: string[] = [];
  if (warn.daemonSet.length) warnings.push(`ignoring DaemonSet-managed Pods: ${warn.daemonSet.join(', ')}`);
  if (warn.emptyDir.length) warnings.push(`deleting Pods with local storage: ${warn.emptyDir.join(', ')}`);
  if (warn.unmanaged.length) warnings.push(`deleting Pods that declare no controller: ${warn.unmanaged.join(', ')}`);
  return errors.length > 0 ? { evict: [], warnings, errors } : { evict, warnings, errors };
}

/** The Eviction body kubectl posts to pods/eviction. */
export function evictionFor(pod: Json, gracePeriod: number | undefined): Json {
  return {
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name: pod.metadata?.name, namespace: pod.metadata?.namespace },
    ...(gracePeriod !== undefined && gracePeriod >= 0 ? { deleteOptions: { gracePeriodSeconds: gracePeriod } } : {}),
  };
}

/**
 * `minikctl drain NODE`: cordons the node, then evicts its pods through the eviction subresource
 * and waits until each is gone, with kubectl's lines:
 *
 *   node/node-1 cordoned
 *   evicting pod default/web-7c5d8-x2x4p
 *   pod/web-7c5d8-x2x4p evicted
 *   node/node-1 drained
 */
export async function runDrain(s: Session, node: string, o: DrainOptions): Promise<number> {
  await setCordon(s, node, true);
  const list = await s.rest.request<{ items?: Json[] }>('GET', '/api/v1/pods', { query: { fieldSelector: `spec.nodeName=${node}` } });
  const plan = planDrain(list.items ?? [], o);
  if (plan.errors.length > 0) {
    const why = plan.errors.join(', ');
    s.err(`error: unable to drain node "${node}" due to error: ${why}, continuing command...\nThere are pending nodes to be drained:\n ${node}\n`);
    throw new CtlError(why);
  }
  for (const w of plan.warnings) s.err(`Warning: ${w}\n`);
  const deadline = o.timeout && o.timeout > 0 ? Date.now() + o.timeout * 1000 : Infinity;
  await Promise.all(
    plan.evict.map(async (pod) => {
      const ns = encodeURIComponent(pod.metadata.namespace);
      const name = encodeURIComponent(pod.metadata.name);
      s.out(`evicting pod ${key(pod)}\n`);
      try {
        await s.rest.request('POST', `/api/v1/namespaces/${ns}/pods/${name}/eviction`, { body: evictionFor(pod, o.gracePeriod) });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      await waitGone(s, `/api/v1/namespaces/${ns}/pods/${name}`, pod.metadata.uid, deadline, key(pod));
      s.out(`pod/${pod.metadata.name} evicted\n`);
    }),
  );
  s.out(`node/${node} drained\n`);
  return 0;
}

/** Polls until the pod is gone (or replaced by another of the same name), as kubectl's waitForDelete. */
async function waitGone(s: Session, path: string, uid: string | undefined, deadline: number, what: string): Promise<void> {
  for (;;) {
    try {
      const p = await s.rest.request<Json>('GET', path);
      if (uid && p.metadata?.uid !== uid) return;
    } catch (err) {
      if (err instanceof ApiError && isNotFound(err)) return;
      throw err;
    }
    if (Date.now() > deadline) throw new CtlError(`drain did not complete within the timeout: pod ${what} is still there`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
