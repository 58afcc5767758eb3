import { describeEnvironment } from './describe-env.js';
import { controllerOf, rfc1123z, type DescribeWriter } from './describe-writer.js';

/** The annotation `minik scheduler --explain` writes: every node's verdict for the pod. */
export const SCHEDULE_EXPLAIN_ANNOTATION = 'minik.dev/schedule-explain';

type Json = Record<string, any>;

/**
 * A pod as `kubectl describe pod` shows it, plus, when the scheduler explained its choice, a
 * `Scheduling:` section with each node's verdict (best score first, then the nodes that did not
 * fit and why).
 *
 *   Name:             web-1
 *   Namespace:        default
 *   Node:             node-1/10.0.0.1
 *   Status:           Running
 *   Containers:
 *     nginx:
 *       Image:          nginx:1.25
 *       State:          Running
 *   ...
 *   Scheduling:
 *     Node    Fits  Score  Reasons
 *     node-1  true  87
 *     node-2  false        Insufficient cpu
 */
export function describePod(w: DescribeWriter, pod: Json): void {
  const m = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  w.line(0, 'Name:', m.name ?? '');
  w.line(0, 'Namespace:', m.namespace ?? '');
  if (spec.priority !== undefined) w.line(0, 'Priority:', String(spec.priority));
  if (spec.priorityClassName) w.line(0, 'Priority Class Name:', spec.priorityClassName);
  if (spec.serviceAccountName) w.line(0, 'Service Account:', spec.serviceAccountName);
  w.line(0, 'Node:', spec.nodeName ? `${spec.nodeName}/${st.hostIP ?? ''}` : '<none>');
  if (st.startTime) w.line(0, 'Start Time:', rfc1123z(st.startTime));
  w.map(0, 'Labels:', m.labels);
  w.annotations(0, m.annotations, (k) => k === SCHEDULE_EXPLAIN_ANNOTATION);
  if (m.deletionTimestamp) {
    w.line(0, 'Status:', `Terminating (lasts since ${rfc1123z(m.deletionTimestamp)})`);
    w.line(0, 'Termination Grace Period:', `${m.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30}s`);
  } else w.line(0, 'Status:', st.phase ?? 'Pending');
  if (st.reason) w.line(0, 'Reason:', st.reason);
  if (st.message) w.line(0, 'Message:', st.message);
  w.line(0, 'IP:', st.podIP ?? '');
  const ips: Array<{ ip: string }> = st.podIPs ?? [];
  if (ips.length === 0) w.line(0, 'IPs:', '<none>');
  else {
    w.line(0, 'IPs:');
    for (const ip of ips) w.line(1, 'IP:', ip.ip);
  }
  const owner = controllerOf(m);
  if (owner) w.line(0, 'Controlled By:', owner);
  if (spec.initContainers?.length) containers(w, 'Init Containers:', spec.initContainers, st.initContainerStatuses ?? [], pod);
  containers(w, 'Containers:', spec.containers ?? [], st.containerStatuses ?? [], pod);
  conditions(w, st.conditions ?? []);
  volumes(w, spec.volumes ?? []);
  w.line(0, 'QoS Class:', st.qosClass ?? qosClass(spec.containers ?? []));
  w.map(0, 'Node-Selectors:', spec.nodeSelector);
  tolerations(w, spec.tolerations ?? []);
  schedulingExplanation(w, m.annotations?.[SCHEDULE_EXPLAIN_ANNOTATION]);
}

function containers(w: DescribeWriter, title: string, specs: Json[], statuses: Json[], pod: Json): void {
  w.line(0, title);
  for (const c of specs) {
    const cs = statuses.find((s) => s.name === c.name) ?? {};
    w.line(1, `${c.name}:`);
    w.line(2, 'Container ID:', cs.containerID ?? '');
    w.line(2, 'Image:', c.image ?? '');
    w.line(2, 'Image ID:', cs.imageID ?? '');
    const ports: Json[] = c.ports ?? [];
    const port = (p: Json, field: string) => `${p[field] ?? 0}/${p.protocol ?? 'TCP'}`;
    if (ports.length <= 1) {
      w.line(2, 'Port:', ports[0] ? port(ports[0], 'containerPort') : '<none>');
      w.line(2, 'Host Port:', ports[0] ? port(ports[0], 'hostPort') : '<none>');
    } else {
      w.line(2, 'Ports:', ports.map((p) => port(p, 'containerPort')).join(', '));
      w.line(2, 'Host Ports:', ports.map((p) => port(p, 'hostPort')).join(', '));
    }
    for (const [label, list] of [['Command:', c.command], ['Args:', c.args]] as Array<[string, string[] | undefined]>) {
      if (!list) continue;
      w.line(2, label);
      for (const x of list) w.line(3, x);
    }
    containerState(w, 'State:', cs.state);
    if (cs.lastState && Object.keys(cs.lastState).length > 0) containerState(w, 'Last State:', cs.lastState);
    w.line(2, 'Ready:', cs.ready ? 'True' : 'False');
    w.line(2, 'Restart Count:', String(cs.restartCount ?? 0));
    resources(w, 'Limits:', c.resources?.limits);
    resources(w, 'Requests:', c.resources?.requests);
    describeEnvironment(w, c, pod);
    const mounts: Json[] = c.volumeMounts ?? [];
    if (mounts.length === 0) w.line(2, 'Mounts:', '<none>');
    else {
      w.line(2, 'Mounts:');
      for (const vm of mounts) w.line(3, `${vm.mountPath} from ${vm.name} (${vm.readOnly ? 'ro' : 'rw'}${vm.subPath ? `,path="${vm.subPath}"` : ''})`);
    }
  }
}

function containerState(w: DescribeWriter, label: string, state: Json | undefined): void {
  if (state?.running) {
    w.line(2, label, 'Running');
    w.line(3, 'Started:', rfc1123z(state.running.startedAt));
  } else if (state?.terminated) {
    const t = state.terminated;
    w.line(2, label, 'Terminated');
    if (t.reason) w.line(3, 'Reason:', t.reason);
    if (t.message) w.line(3, 'Message:', t.message);
    w.line(3, 'Exit Code:', String(t.exitCode ?? 0));
    w.line(3, 'Started:', rfc1123z(t.startedAt));
    w.line(3, 'Finished:', rfc1123z(t.finishedAt));
  } else {
    w.line(2, label, 'Waiting');
    if (state?.waiting?.reason) w.line(3, 'Reason:', state.waiting.reason);
    if (state?.waiting?.message) w.line(3, 'Message:', state.waiting.message);
  }
}

function resources(w: DescribeWriter, label: string, list: Record<string, string> | undefined): void {
  if (!list || Object.keys(list).length === 0) return;
  w.line(2, label);
  for (const k of Object.keys(list).sort()) w.line(3, `${k}:`, String(list[k]));
}

function conditions(w: DescribeWriter, list: Json[]): void {
  if (list.length === 0) return;
  w.line(0, 'Conditions:');
  w.line(1, 'Type', 'Status');
  for (const c of list) w.line(1, `${c.type} `, `${c.status} `);
}

function volumes(w: DescribeWriter, list: Json[]): void {
  if (list.length === 0) return w.line(0, 'Volumes:', '<none>');
  w.line(0, 'Volumes:');
  for (const v of list) {
    w.line(1, `${v.name}:`);
    if (v.configMap) {
      w.line(2, 'Type:', 'ConfigMap (a volume populated by a ConfigMap)');
      w.line(2, 'Name:', v.configMap.name ?? '');
      w.line(2, 'Optional:', v.configMap.optional ? 'true' : 'false');
    } else if (v.secret) {
      w.line(2, 'Type:', 'Secret (a volume populated by a Secret)');
      w.line(2, 'SecretName:', v.secret.secretName ?? '');
      w.line(2, 'Optional:', v.secret.optional ? 'true' : 'false');
    } else if (v.emptyDir) {
      w.line(2, 'Type:', "EmptyDir (a temporary directory that shares a pod's lifetime)");
      w.line(2, 'Medium:', v.emptyDir.medium ?? '');
      w.line(2, 'SizeLimit:', v.emptyDir.sizeLimit ?? '<unset>');
    } else if (v.hostPath) {
      w.line(2, 'Type:', 'HostPath (bare host directory volume)');
      w.line(2, 'Path:', v.hostPath.path ?? '');
    } else if (v.persistentVolumeClaim) {
      w.line(2, 'Type:', 'PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)');
      w.line(2, 'ClaimName:', v.persistentVolumeClaim.claimName ?? '');
      w.line(2, 'ReadOnly:', v.persistentVolumeClaim.readOnly ? 'true' : 'false');
    } else {
      const kind = Object.keys(v).find((k) => k !== 'name');
      w.line(2, 'Type:', kind ?? '<unknown>');
    }
  }
}

/** Upstream's QoS classes, for a pod whose status does not carry one. */
export function qosClass(containers: Json[]): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = containers.map((c) => ({ req: c.resources?.requests ?? {}, lim: c.resources?.limits ?? {} }));
  if (all.every((c) => Object.keys(c.req).length === 0 && Object.keys(c.lim).length === 0)) return 'BestEffort';
  const guaranteed = all.every((c) => ['cpu', 'memory'].every((r) => c.lim[r] !== undefined && (c.req[r] === undefined || c.req[r] === c.lim[r])));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function tolerations(w: DescribeWriter, list: Json[]): void {
  if (list.length === 0) return w.line(0, 'Tolerations:', '<none>');
  list.forEach((t, i) => {
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) text += ' op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.line(0, i === 0 ? 'Tolerations:' : '', text.trim());
  });
}

function schedulingExplanation(w: DescribeWriter, value: string | undefined): void {
  if (!value) return;
  let verdicts: Array<{ node: string; fits: boolean; reasons?: string[]; score?: number }>;
  try {
    verdicts = JSON.parse(value);
    if (!Array.isArray(verdicts)) return;
  } catch {
    return;
  }
  w.line(0, 'Scheduling:');
  w.line(1, 'Node', 'Fits', 'Score', 'Reasons');
  const ordered = verdicts.slice().sort((a, b) => Number(b.fits) - Number(a.fits) || (b.score ?? 0) - (a.score ?? 0) || a.node.localeCompare(b.node));
  for (const v of ordered) w.line(1, v.node, String(v.fits), v.score === undefined ? '' : String(v.score), (v.reasons ?? []).join(', '));
}
