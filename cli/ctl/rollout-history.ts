import { DescribeWriter } from './describe-writer.js';
import { describePodTemplate } from './describe-workloads.js';
import { CtlError } from './errors.js';
import { forEachTarget, ownedReplicaSets, rolloutTargets } from './rollout-target.js';
import type { Session } from './session.js';
import { alignTabs } from './tabwriter.js';

type Json = Record<string, any>;

export const REVISION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** A ReplicaSet's revision number, or undefined when it carries none (or not a number). */
export function revisionOf(rs: Json): number | undefined {
  const v = rs.metadata?.annotations?.[REVISION];
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) ? n : undefined;
}

/**
 * The history kubectl prints for a Deployment (DeploymentHistoryViewer): one row per revision
 * its ReplicaSets carry, oldest first, with the change cause recorded on each.
 *
 *   formatHistory([rs('web-1', 1), rs('web-2', 2, 'kubectl set image ...')])
 *     // 'REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image ...\n'
 */
export function formatHistory(replicaSets: readonly Json[]): string {
  const byRevision = new Map<number, string>();
  for (const rs of replicaSets) {
    const r = revisionOf(rs);
    if (r !== undefined) byRevision.set(r, rs.metadata?.annotations?.[CHANGE_CAUSE] ?? '');
  }
  if (byRevision.size === 0) return 'No rollout history found.';
  const rows = [...byRevision.keys()].sort((a, b) => a - b).map((r) => `${r}\t${byRevision.get(r) || '<none>'}`);
  return `${alignTabs(['REVISION\tCHANGE-CAUSE', ...rows].join('\n'), 2)}\n`;
}

/**
 * The pod template of one revision, as `kubectl rollout history --revision N` describes it:
 * the `Pod Template:` section of a describe, its labels including pod-template-hash.
 */
export function formatRevisionTemplate(replicaSets: readonly Json[], revision: number): string {
  const rs = replicaSets.find((r) => revisionOf(r) === revision);
  if (!rs) throw new CtlError('unable to find the specified revision');
  const template = structuredClone(rs.spec?.template ?? {});
  const cause = rs.metadata?.annotations?.[CHANGE_CAUSE];
  if (cause) template.metadata = { ...template.metadata, annotations: { ...template.metadata?.annotations, [CHANGE_CAUSE]: cause } };
  const w = new DescribeWriter();
  describePodTemplate(w, template);
  // kubectl prints this section as its describer writes it, tabs unaligned.
  return w.raw();
}

/**
 * `minikctl rollout history deploy/web [--revision N]`:
 *
 *   deployment.apps/web
 *   REVISION  CHANGE-CAUSE
 *   1         <none>
 *   2         <none>
 */
export async function runRolloutHistory(s: Session, args: string[], o: { revision?: number }): Promise<number> {
  const targets = await rolloutTargets(s, args, 'history viewer');
  return forEachTarget(s, targets, async (t) => {
    const d = await s.rest.request<Json>('GET', t.path);
    const replicaSets = await ownedReplicaSets(s, d);
    if (o.revision && o.revision > 0) s.out(`${t.display} with revision #${o.revision}\n${formatRevisionTemplate(replicaSets, o.revision)}\n`);
    else s.out(`${t.display} \n${formatHistory(replicaSets)}\n`);
  });
}
