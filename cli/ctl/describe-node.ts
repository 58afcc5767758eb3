import { milliValue, parseQuantity, value } from '../../api/quantity.js';
import { rfc1123z, since, type DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/**
 * A Node as `kubectl describe node` shows it: roles, taints, its Lease, conditions, addresses,
 * capacity, the pods bound to it and what they request of it.
 *
 *   Non-terminated Pods:          (2 in total)
 *     Namespace  Name   CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
 *     default    web-1  100m (2%)     0 (0%)      64Mi (0%)        0 (0%)         5m
 *   Allocated resources:
 *     Resource  Requests   Limits
 *     cpu       100m (2%)  0 (0%)
 */
export function describeNode(w: DescribeWriter, node: Json, lease: Json | undefined, pods: Json[], now: number): void {
  const m = node.metadata ?? {};
  const spec = node.spec ?? {};
  const st = node.status ?? {};
  const roles = Object.keys(m.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length));
  w.line(0, 'Name:', m.name ?? '');
  w.line(0, 'Roles:', roles.length > 0 ? roles.join(',') : '<none>');
  w.map(0, 'Labels:', m.labels);
  w.annotations(0, m.annotations);
  w.line(0, 'CreationTimestamp:', rfc1123z(m.creationTimestamp));
  const taints: Json[] = spec.taints ?? [];
  if (taints.length === 0) w.line(0, 'Taints:', '<none>');
  taints.forEach((t, i) => w.line(0, i === 0 ? 'Taints:' : '', `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`));
  w.line(0, 'Unschedulable:', spec.unschedulable ? 'true' : 'false');
  if (lease) {
    w.line(0, 'Lease:');
    w.line(1, 'HolderIdentity:', lease.spec?.holderIdentity ?? '<unset>');
    w.line(1, 'AcquireTime:', lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>');
    w.line(1, 'RenewTime:', lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>');
  }
  const conditions: Json[] = st.conditions ?? [];
  if (conditions.length > 0) {
    w.line(0, 'Conditions:');
    w.line(1, 'Type', 'Status', 'LastHeartbeatTime', 'LastTransitionTime', 'Reason', 'Message');
    w.line(1, '----', '------', '-----------------', '------------------', '------', '-------');
    // kubectl ends each cell of this table with a space.
    for (const c of conditions) {
      w.line(1, ...[c.type ?? '', c.status ?? '', rfc1123z(c.lastHeartbeatTime), rfc1123z(c.lastTransitionTime), c.reason ?? ''].map((x) => `${x} `), c.message ?? '');
    }
  }
  w.line(0, 'Addresses:');
  for (const a of st.addresses ?? []) w.line(1, `${a.type}:`, a.address ?? '');
  for (const [label, list] of [['Capacity:', st.capacity], ['Allocatable:', st.allocatable]] as Array<[string, Record<string, string> | undefined]>) {
    w.line(0, label);
    for (const k of Object.keys(list ?? {}).sort()) w.line(1, `${k}:`, String(list![k]));
  }
  const info = st.nodeInfo;
  if (info) {
    w.line(0, 'System Info:');
    const fields: Array<[string, string]> = [
      ['Machine ID:', 'machineID'], ['System UUID:', 'systemUUID'], ['Boot ID:', 'bootID'], ['Kernel Version:', 'kernelVersion'],
      ['OS Image:', 'osImage'], ['Operating System:', 'operatingSystem'], ['Architecture:', 'architecture'],
      ['Container Runtime Version:', 'containerRuntimeVersion'], ['Kubelet Version:', 'kubeletVersion'], ['Kube-Proxy Version:', 'kubeProxyVersion'],
    ];
    for (const [label, key] of fields) w.line(1, label, String(info[key] ?? ''));
  }
  if (spec.podCIDR) w.line(0, 'PodCIDR:', spec.podCIDR);
  if (spec.podCIDRs) w.line(0, 'PodCIDRs:', spec.podCIDRs.join(','));
  const running = pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const alloc = st.allocatable ?? {};
  const pct = (resource: string, total: number) => {
    const cap = alloc[resource] ? amount(resource, alloc[resource]) : 0;
    return cap > 0 ? Math.trunc((total / cap) * 100) : 0;
  };
  const show = (resource: string, total: number) => `${formatAmount(resource, total)} (${pct(resource, total)}%)`;
  w.line(0, 'Non-terminated Pods:', `(${running.length} in total)`);
  // An empty column after Name, as kubectl writes it.
  w.line(1, 'Namespace', 'Name', '', 'CPU Requests', 'CPU Limits', 'Memory Requests', 'Memory Limits', 'Age');
  w.line(1, '---------', '----', '', '------------', '----------', '---------------', '-------------', '---');
  const totals = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
  for (const p of running) {
    const sum = (kind: 'requests' | 'limits', resource: string) =>
      (p.spec?.containers ?? []).reduce((acc: number, c: Json) => acc + (c.resources?.[kind]?.[resource] ? amount(resource, c.resources[kind][resource]) : 0), 0);
    const r = { cpuReq: sum('requests', 'cpu'), cpuLim: sum('limits', 'cpu'), memReq: sum('requests', 'memory'), memLim: sum('limits', 'memory') };
    totals.cpuReq += r.cpuReq;
    totals.cpuLim += r.cpuLim;
    totals.memReq += r.memReq;
    totals.memLim += r.memLim;
    w.line(1, p.metadata?.namespace ?? '', p.metadata?.name ?? '', '', show('cpu', r.cpuReq), show('cpu', r.cpuLim), show('memory', r.memReq), show('memory', r.memLim), since(p.metadata?.creationTimestamp, now));
  }
  w.line(0, 'Allocated resources:');
  w.line(1, '(Total limits may be over 100 percent, i.e., overcommitted.)');
  w.line(1, 'Resource', 'Requests', 'Limits');
  w.line(1, '--------', '--------', '------');
  w.line(1, 'cpu', show('cpu', totals.cpuReq), show('cpu', totals.cpuLim));
  w.line(1, 'memory', show('memory', totals.memReq), show('memory', totals.memLim));
  w.line(1, 'ephemeral-storage', show('ephemeral-storage', 0), show('ephemeral-storage', 0));
}

/** CPU in millicores, everything else in units. */
function amount(resource: string, q: string): number {
  try {
    return resource === 'cpu' ? milliValue(parseQuantity(q)) : value(parseQuantity(q));
  } catch {
    return 0;
  }
}

function formatAmount(resource: string, n: number): string {
  if (n === 0) return '0';
  if (resource === 'cpu') return n % 1000 === 0 ? String(n / 1000) : `${n}m`;
  for (const [suffix, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) if (n % size === 0) return `${n / size}${suffix}`;
  return String(n);
}
