import { CtlError } from './errors.js';
import { revisionOf } from './rollout-history.js';
import { forEachTarget, ownedReplicaSets, rolloutTargets } from './rollout-target.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

/** Annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet (kubectl's annotationsToSkip). */
const KEEP_FROM_DEPLOYMENT = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export type UndoPlan = { kind: 'patch'; revision: number; patch: Json[] } | { kind: 'skip'; revision: number };

/**
 * What `kubectl rollout undo` sends (DeploymentRollbacker): the ReplicaSet of the revision asked
 * for (0: the one before the newest) gives back its pod template, without pod-template-hash, and
 * its annotations, as a JSON patch replacing the Deployment's template and annotations. A template
 * that already matches plans nothing.
 *
 *   planUndo(web, [rs1 (revision 1, nginx:1.25), rs2 (revision 2, nginx:1.26)], 0)
 *     // { kind: 'patch', revision: 1, patch: [{ op: 'replace', path: '/spec/template', value: <rs1's template> },
 *     //                                        { op: 'replace', path: '/metadata/annotations', value: {...} }] }
 */
export function planUndo(deployment: Json, replicaSets: readonly Json[], toRevision: number): UndoPlan {
  const name = deployment.metadata?.name ?? '';
  if (deployment.spec?.paused) throw new CtlError(`you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/${name}' and try again`);
  let target: Json | undefined;
  if (toRevision > 0) {
    target = replicaSets.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw new CtlError(`unable to find specified revision ${toRevision} in history`);
  } else {
    const sorted = replicaSets.filter((rs) => revisionOf(rs) !== undefined).sort((a, b) => revisionOf(b)! - revisionOf(a)!);
    target = sorted[1];
    if (!target) throw new CtlError(`no rollout history found for deployment "${name}"`);
  }
  const revision = revisionOf(target)!;
  const template = structuredClone(target.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  if (sameTemplate(template, deployment.spec?.template)) return { kind: 'skip', revision };
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(deployment.metadata?.annotations ?? {})) if (KEEP_FROM_DEPLOYMENT.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries<string>(target.metadata?.annotations ?? {})) if (!KEEP_FROM_DEPLOYMENT.has(k)) annotations[k] = v;
  return {
    kind: 'patch',
    revision,
    patch: [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

function sameTemplate(a: Json | undefined, b: Json | undefined): boolean {
  return JSON.stringify(canonical(a ?? {})) === JSON.stringify(canonical(b ?? {}));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .filter((k) => (v as Json)[k] !== undefined)
      .map((k) => [k, canonical((v as Json)[k])]),
  );
}

/** `minikctl rollout undo deploy/web [--to-revision N]`: `deployment.apps/web rolled back`. */
export async function runRolloutUndo(s: Session, args: string[], o: { toRevision?: number }): Promise<number> {
  const targets = await rolloutTargets(s, args, 'rollbacker');
  return forEachTarget(s, targets, async (t) => {
    const d = await s.rest.request<Json>('GET', t.path);
    const plan = planUndo(d, await ownedReplicaSets(s, d), o.toRevision ?? 0);
    if (plan.kind === 'skip') {
      s.out(`${t.display} skipped rollback (current template already matches revision ${plan.revision})\n`);
      return;
    }
    await s.rest.request('PATCH', t.path, { body: plan.patch, contentType: 'application/json-patch+json' });
    s.out(`${t.display} rolled back\n`);
  });
}
