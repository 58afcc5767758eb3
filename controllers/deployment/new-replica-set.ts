import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { maxSurge } from './limits.js';
import { findNewReplicaSet, setDeploymentRevision, setNewReplicaSetAnnotations } from './history.js';
import { setReplicasAnnotations, type Pass } from './pass.js';
import { computeHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './status.js';
import { maxRevision, REVISION, specReplicas, sumSpec } from './_util.js';
import { jsonCopy } from '../../api/json-copy.js';

/**
 * NewRSNewReplicas: the size the new ReplicaSet may grow to now. RollingUpdate adds pods while the
 * total stays within replicas + maxSurge; Recreate goes straight to replicas.
 *
 *   replicas 10, surge 3, old RS at 10, new RS at 0  ->  3
 *   replicas 10, surge 3, old RS at 8,  new RS at 3  ->  5
 */
export function newRSNewReplicas(pass: Pass, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const replicas = pass.replicas;
  if ((pass.d.spec?.strategy?.type ?? 'RollingUpdate') === 'Recreate') return replicas;
  const maxTotal = replicas + maxSurge(pass.d);
  const current = sumSpec(allRSs);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
}

/**
 * getNewReplicaSet: finds the ReplicaSet of the current template and brings its annotations up
 * to date (revision max(old)+1, so a rollback moves an old one to the top; the Deployment's own
 * annotations), or, when `create` and none exists, creates `<deployment>-<pod-template-hash>`
 * with the hash label on its template and selector, owned by the Deployment.
 */
export function getNewReplicaSet(pass: Pass, oldRSs: readonly ReplicaSet[], create: boolean): ReplicaSet | undefined {
  const d = pass.d;
  const status = (d.status ??= {});
  const newRevision = maxRevision(oldRSs) + 1;
  const existing = findNewReplicaSet(d, pass.rss);
  if (existing) {
    const annotationsChanged = setNewReplicaSetAnnotations(d, existing, newRevision);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (existing.spec?.minReadySeconds ?? 0) !== minReady) {
      existing.spec = { ...existing.spec!, minReadySeconds: minReady };
      pass.update(existing);
    }
    setDeploymentRevision(d, existing.metadata?.annotations?.[REVISION] ?? String(newRevision));
    if (hasProgressDeadline(d) && !getCondition(status, 'Progressing')) {
      setCondition(status, newCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${existing.metadata?.name}"`, pass.timestamp));
    }
    return existing;
  }
  if (!create) return undefined;

  const template = jsonCopy(d.spec!.template) as NonNullable<ReplicaSet['spec']>['template'] & object;
  const hash = computeHash(d.spec?.template, status.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...template.metadata, labels };
  const selector = jsonCopy(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const name = `${d.metadata!.name}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata!.namespace!,
      labels: { ...labels },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata!.name!, uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const size = newRSNewReplicas(pass, [...oldRSs, rs], rs);
  rs.spec!.replicas = size;
  setNewReplicaSetAnnotations(d, rs, newRevision);
  setReplicasAnnotations(rs, pass.replicas, pass.replicas + maxSurge(d));
  pass.actions.push({
    type: 'create',
    rs: jsonCopy(rs),
    ...(size > 0 ? { event: { type: 'Normal' as const, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${name} from 0 to ${size}` } } : {}),
  });
  // Until the server answers, the new ReplicaSet has no status: it runs nothing yet.
  rs.status = { replicas: 0 };
  pass.rss.push(rs);
  setDeploymentRevision(d, String(newRevision));
  if (hasProgressDeadline(d)) {
    setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, pass.timestamp));
  }
  return rs;
}
