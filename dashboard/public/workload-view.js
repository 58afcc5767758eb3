// Deployments, their ReplicaSets and Services, as rows of counts a class reads at a glance.

/**
 * A Deployment's row: DESIRED (spec.replicas, 1 when unset), CURRENT, UPDATED, AVAILABLE as
 * `kubectl get deploy` counts them, and whether a rollout is under way, which is when it has
 * not yet met what `kubectl rollout status` waits for.
 *
 *   spec.replicas 3, status {replicas 4, updatedReplicas 2, availableReplicas 3}
 *     -> { desired: 3, current: 4, updated: 2, available: 3, rolling: true }
 *
 * @param {any} d
 */
export function deploymentRow(d) {
  const s = d?.status ?? {};
  const desired = d?.spec?.replicas ?? 1;
  const current = s.replicas ?? 0;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const observed = (s.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 0);
  const done = observed && updated >= desired && current <= updated && available >= updated;
  return {
    key: `${d?.metadata?.namespace}/${d?.metadata?.name}`,
    namespace: d?.metadata?.namespace ?? '',
    name: d?.metadata?.name ?? '',
    desired,
    current,
    updated,
    available,
    ready: s.readyReplicas ?? 0,
    rolling: !done,
    paused: d?.spec?.paused === true,
  };
}

/**
 * A ReplicaSet's row under its Deployment: DESIRED, CURRENT, READY, AVAILABLE and its revision.
 * @param {any} rs
 */
export function replicaSetRow(rs) {
  const s = rs?.status ?? {};
  const owner = (rs?.metadata?.ownerReferences ?? []).find((/** @type {any} */ o) => o.controller && o.kind === 'Deployment');
  return {
    key: `${rs?.metadata?.namespace}/${rs?.metadata?.name}`,
    namespace: rs?.metadata?.namespace ?? '',
    name: rs?.metadata?.name ?? '',
    owner: owner ? `${rs.metadata.namespace}/${owner.name}` : undefined,
    revision: rs?.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '',
    desired: rs?.spec?.replicas ?? 1,
    current: s.replicas ?? 0,
    ready: s.readyReplicas ?? 0,
    available: s.availableReplicas ?? 0,
  };
}

/**
 * The ReplicaSets worth showing under a Deployment: every one that has or wants pods, and the
 * newest empty one, newest revision first. Old empty ones (revision history) are left out.
 * @param {ReturnType<typeof replicaSetRow>[]} rows
 */
export function visibleReplicaSets(rows) {
  const byRevision = [...rows].sort((a, b) => Number(b.revision || 0) - Number(a.revision || 0));
  return byRevision.filter((r, i) => i === 0 || r.desired > 0 || r.current > 0);
}

/**
 * A Service and its endpoints: ready addresses (traffic goes there) and not-ready ones, each
 * named by the pod behind it when the Endpoints say so.
 *
 *   Service web (ClusterIP 10.96.0.10, port 80), Endpoints with 10.244.1.2 (pod web-a) ready
 *     -> { name: 'web', type: 'ClusterIP', ip: '10.96.0.10', ports: '80/TCP', ready: ['web-a 10.244.1.2'], notReady: [] }
 *
 * @param {any} svc
 * @param {any} [endpoints]
 */
export function serviceRow(svc, endpoints) {
  const spec = svc?.spec ?? {};
  const ready = [];
  const notReady = [];
  for (const subset of endpoints?.subsets ?? []) {
    for (const a of subset.addresses ?? []) ready.push(address(a));
    for (const a of subset.notReadyAddresses ?? []) notReady.push(address(a));
  }
  const ports = (spec.ports ?? [])
    .map((/** @type {any} */ p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(', ');
  return {
    key: `${svc?.metadata?.namespace}/${svc?.metadata?.name}`,
    namespace: svc?.metadata?.namespace ?? '',
    name: svc?.metadata?.name ?? '',
    type: spec.type ?? 'ClusterIP',
    ip: spec.clusterIP ?? '',
    ports,
    selector: spec.selector ? Object.entries(spec.selector).map(([k, v]) => `${k}=${v}`).join(',') : '',
    ready: ready.sort(),
    notReady: notReady.sort(),
  };
}

/** @param {any} a */
function address(a) {
  return a.targetRef?.name ? `${a.targetRef.name} ${a.ip}` : String(a.ip);
}
