import { describeEnvironment } from './describe-env.js';
import { controllerOf, rfc1123z, type DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/** `Selector:` text: matchLabels as `k=v`, matchExpressions as upstream prints them. */
export function formatSelector(sel: Json | undefined): string {
  if (!sel) return '<none>';
  const parts = Object.keys(sel.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.length > 0 ? parts.join(',') : '<none>';
}

/**
 * A Deployment as `kubectl describe deployment` shows it:
 *
 *   Name:                   web
 *   Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
 *   StrategyType:           RollingUpdate
 *   RollingUpdateStrategy:  25% max unavailable, 25% max surge
 *   Pod Template: ...
 *   Conditions: ...
 *   NewReplicaSet:          web-5d4f8 (3/3 replicas created)
 */
export function describeDeployment(w: DescribeWriter, d: Json, replicaSets: Json[]): void {
  const m = d.metadata ?? {};
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  w.line(0, 'Name:', m.name ?? '');
  w.line(0, 'Namespace:', m.namespace ?? '');
  w.line(0, 'CreationTimestamp:', rfc1123z(m.creationTimestamp));
  w.map(0, 'Labels:', m.labels);
  w.annotations(0, m.annotations);
  w.line(0, 'Selector:', formatSelector(spec.selector));
  w.line(
    0,
    'Replicas:',
    `${spec.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable`,
  );
  const strategy = spec.strategy ?? {};
  w.line(0, 'StrategyType:', strategy.type ?? 'RollingUpdate');
  w.line(0, 'MinReadySeconds:', String(spec.minReadySeconds ?? 0));
  if ((strategy.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    w.line(0, 'RollingUpdateStrategy:', `${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge`);
  }
  describePodTemplate(w, spec.template);
  conditionTable(w, st.conditions);
  const owned = replicaSets.filter((rs) => rs.metadata?.ownerReferences?.some((o: Json) => o.uid === m.uid));
  const templateLabels = JSON.stringify(spec.template?.metadata?.labels ?? {});
  const isNew = (rs: Json) => {
    const labels = { ...(rs.spec?.template?.metadata?.labels ?? {}) };
    delete labels['pod-template-hash'];
    return JSON.stringify(rs.spec?.template?.spec) === JSON.stringify(spec.template?.spec) && JSON.stringify(labels) === templateLabels;
  };
  const newest = owned.find(isNew);
  const old = owned.filter((rs) => rs !== newest && (rs.spec?.replicas ?? 0) > 0);
  const rsText = (rs: Json) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`;
  // kubectl leaves both lines out until the deployment has replica sets.
  if (owned.length === 0) return;
  w.line(0, 'OldReplicaSets:', old.length > 0 ? old.map(rsText).join(', ') : '<none>');
  w.line(0, 'NewReplicaSet:', newest ? rsText(newest) : '<none>');
}

/** A ReplicaSet as `kubectl describe replicaset` shows it. */
export function describeReplicaSet(w: DescribeWriter, rs: Json, pods: Json[]): void {
  const m = rs.metadata ?? {};
  const spec = rs.spec ?? {};
  const st = rs.status ?? {};
  w.line(0, 'Name:', m.name ?? '');
  w.line(0, 'Namespace:', m.namespace ?? '');
  w.line(0, 'Selector:', formatSelector(spec.selector));
  w.map(0, 'Labels:', m.labels);
  w.annotations(0, m.annotations);
  const owner = controllerOf(m);
  if (owner) w.line(0, 'Controlled By:', owner);
  w.line(0, 'Replicas:', `${st.replicas ?? 0} current / ${spec.replicas ?? 1} desired`);
  const owned = pods.filter((p) => p.metadata?.ownerReferences?.some((o: Json) => o.uid === m.uid));
  const phase = (ph: string) => owned.filter((p) => (p.status?.phase ?? 'Pending') === ph).length;
  w.line(0, 'Pods Status:', `${phase('Running')} Running / ${phase('Pending')} Waiting / ${phase('Succeeded')} Succeeded / ${phase('Failed')} Failed`);
  describePodTemplate(w, spec.template);
  conditionTable(w, st.conditions);
}

/** A pod template's `Pod Template:` section, as describe and `rollout history --revision` print it. */
export function describePodTemplate(w: DescribeWriter, t: Json | undefined): void {
  const spec = t?.spec ?? {};
  w.line(0, 'Pod Template:');
  w.map(1, 'Labels:', t?.metadata?.labels);
  if (t?.metadata?.annotations) w.annotations(1, t.metadata.annotations);
  w.line(1, 'Containers:');
  for (const c of spec.containers ?? []) {
    // One space deeper than the list, as kubectl indents a template's containers.
    w.line(1, ` ${c.name}:`);
    w.line(2, 'Image:', c.image ?? '');
    const ports: Json[] = c.ports ?? [];
    w.line(2, ports.length > 1 ? 'Ports:' : 'Port:', ports.length > 0 ? ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ') : '<none>');
    w.line(2, ports.length > 1 ? 'Host Ports:' : 'Host Port:', ports.length > 0 ? ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ') : '<none>');
    for (const [label, list] of [['Limits:', c.resources?.limits], ['Requests:', c.resources?.requests]] as Array<[string, Record<string, string> | undefined]>) {
      if (!list || Object.keys(list).length === 0) continue;
      w.line(2, label);
      for (const k of Object.keys(list).sort()) w.line(3, `${k}:`, String(list[k]));
    }
    describeEnvironment(w, c);
    w.line(2, 'Mounts:', (c.volumeMounts ?? []).length === 0 ? '<none>' : (c.volumeMounts as Json[]).map((vm) => `${vm.mountPath} from ${vm.name}`).join(', '));
  }
  w.line(1, 'Volumes:', (spec.volumes ?? []).length === 0 ? '<none>' : (spec.volumes as Json[]).map((v) => v.name).join(', '));
  w.map(1, 'Node-Selectors:', spec.nodeSelector);
  w.line(1, 'Tolerations:', (spec.tolerations ?? []).length === 0 ? '<none>' : (spec.tolerations as Json[]).map((t) => t.key ?? '').join(', '));
}

/** `Conditions:` as a two-column table of type, status and reason. */
export function conditionTable(w: DescribeWriter, list: Json[] | undefined): void {
  if (!list || list.length === 0) return;
  w.line(0, 'Conditions:');
  w.line(1, 'Type', 'Status', 'Reason');
  w.line(1, '----', '------', '------');
  for (const c of list) w.line(1, c.type ?? '', c.status ?? '', c.reason ?? '');
}
