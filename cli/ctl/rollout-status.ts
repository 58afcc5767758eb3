import { ApiError, CtlError } from './errors.js';
import { rolloutTargets } from './rollout-target.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface RolloutStatusOptions {
  watch?: boolean;
  /** Seconds to wait; 0 waits for ever. */
  timeout?: number;
  revision?: number;
}

/**
 * Where a Deployment's rollout stands, in kubectl's words (DeploymentStatusViewer): a line to
 * print and whether the rollout is done. A rollout past its progress deadline is an error.
 *
 *   rolloutStatusMessage({ metadata: { name: 'web', generation: 2 }, spec: { replicas: 3 },
 *                          status: { observedGeneration: 2, replicas: 4, updatedReplicas: 1 } })
 *     // { message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...', done: false }
 *   ... status { replicas: 3, updatedReplicas: 3, availableReplicas: 3 }
 *     // { message: 'deployment "web" successfully rolled out', done: true }
 */
export function rolloutStatusMessage(d: Json): { message: string; done: boolean } {
  const name = d.metadata?.name ?? '';
  const st = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (st.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = (st.conditions ?? []).find((c: Json) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CtlError(`deployment "${name}" exceeded its progress deadline`);
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`, done: false };
  if (total > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${total - updated} old replicas are pending termination...`, done: false };
  if (available < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, done: false };
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

/**
 * `minikctl rollout status deploy/web`: prints where the rollout stands each time it changes,
 * following the Deployment with a watch until it is rolled out (exit 0), its progress deadline
 * passes or `--timeout` runs out (exit 1). `--watch=false` prints once.
 */
export async function runRolloutStatus(s: Session, args: string[], o: RolloutStatusOptions): Promise<number> {
  const targets = await rolloutTargets(s, args, 'status viewer');
  if (targets.length !== 1) throw new CtlError('rollout status is only supported on individual resources and resource collections');
  const t = targets[0]!;
  const first = await s.rest.request<Json>('GET', t.path);
  if (o.revision !== undefined && o.revision > 0) {
    const current = Number(first.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    if (current !== o.revision) throw new CtlError(`desired revision (${o.revision}) is different from the running revision (${current})`);
  }
  let last = '';
  const show = (d: Json): boolean => {
    const { message, done } = rolloutStatusMessage(d);
    if (message !== last) s.out(`${message}\n`);
    last = message;
    return done;
  };
  if (show(first) || o.watch === false) return 0;

  const deadline = o.timeout && o.timeout > 0 ? Date.now() + o.timeout * 1000 : undefined;
  let rv = first.metadata?.resourceVersion ?? '';
  let finished = false;
  let failure: unknown;
  let timer: NodeJS.Timeout | undefined;
  for (;;) {
    const stream = s.rest.stream(t.path.replace(/\/[^/]+$/, ''), { query: { watch: 'true', resourceVersion: rv, fieldSelector: `metadata.name=${t.name}` } }, (line) => {
      const e = line as { type: string; object: Json };
      if (e.type === 'ERROR') throw new ApiError(e.object);
      if (e.type === 'BOOKMARK') return;
      rv = e.object.metadata?.resourceVersion ?? rv;
      if (e.type === 'DELETED') throw new CtlError(`object has been deleted`);
      try {
        if (show(e.object)) {
          finished = true;
          stream.stop();
        }
      } catch (err) {
        failure = err;
        stream.stop();
      }
    });
    if (deadline !== undefined) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        failure = new CtlError('timed out waiting for the condition');
        stream.stop();
      }, Math.max(0, deadline - Date.now()));
    }
    await stream.done;
    if (failure) {
      clearTimeout(timer);
      throw failure;
    }
    if (finished) {
      clearTimeout(timer);
      return 0;
    }
  }
}
