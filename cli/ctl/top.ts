import type { Pod } from '../../api/schemas/pod.js';
import { podRequests } from '../../scheduler/plugins/pod-requests.js';
import { cpuOf, memoryOf } from '../../scheduler/plugins/resources.js';
import { ApiError, CtlError, isNotFound } from './errors.js';
import { alignToWidths } from './output.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

/** What minik says where kubectl would show measured usage: there is no metrics server. */
export const TOP_NOTE =
  'minik has no metrics server: top shows what pods request (CPU and memory requests of the pods bound to each node, or of each pod), not what they use.';

export interface NodeTop {
  name: string;
  milliCPU: number;
  memory: number;
  /** Whole percent of allocatable, truncated as kubectl truncates; undefined when the node has none. */
  cpuPercent: number | undefined;
  memoryPercent: number | undefined;
}

export interface PodTop {
  namespace: string;
  name: string;
  milliCPU: number;
  memory: number;
}

const live = (p: Json) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/** Percent as kubectl's top prints it: `int(float64(used) / float64(available) * 100)`. */
export function percent(used: number, available: number): number | undefined {
  return available > 0 ? Math.trunc((used / available) * 100) : undefined;
}

/**
 * Each node's requested CPU and memory (the requests of the pods bound to it that have not
 * finished, counted as the scheduler counts them) against its allocatable.
 *
 *   nodeTops([node-1 (allocatable cpu 2, memory 4Gi)], [pod on node-1 requesting 500m and 1Gi])
 *     // [{ name: 'node-1', milliCPU: 500, memory: 1073741824, cpuPercent: 25, memoryPercent: 25 }]
 */
export function nodeTops(nodes: readonly Json[], pods: readonly Json[]): NodeTop[] {
  return nodes.map((n) => {
    const name = n.metadata?.name ?? '';
    let milliCPU = 0;
    let memory = 0;
    for (const p of pods) {
      if (p.spec?.nodeName !== name || !live(p)) continue;
      const r = podRequests(p as Pod);
      milliCPU += r.milliCPU;
      memory += r.memory;
    }
    const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
    const cpuAlloc = alloc.cpu === undefined ? 0 : cpuOf(alloc.cpu);
    const memAlloc = alloc.memory === undefined ? 0 : memoryOf(alloc.memory);
    return { name, milliCPU, memory, cpuPercent: percent(milliCPU, cpuAlloc), memoryPercent: percent(memory, memAlloc) };
  });
}

/** Each pod's requests; pods not yet on a node or already finished have no usage to show. */
export function podTops(pods: readonly Json[]): PodTop[] {
  return pods
    .filter((p) => p.spec?.nodeName && live(p))
    .map((p) => {
      const r = podRequests(p as Pod);
      return { namespace: p.metadata?.namespace ?? '', name: p.metadata?.name ?? '', milliCPU: r.milliCPU, memory: r.memory };
    });
}

const cores = (m: number) => `${m}m`;
const mebibytes = (b: number) => `${Math.trunc(b / (1024 * 1024))}Mi`;
const pct = (p: number | undefined) => (p === undefined ? '<unknown>' : `${p}%`);

function sortRows<T extends { name: string; milliCPU: number; memory: number }>(rows: T[], sortBy: string | undefined): T[] {
  if (sortBy === undefined || sortBy === '') return rows;
  if (sortBy === 'cpu') return [...rows].sort((a, b) => b.milliCPU - a.milliCPU);
  if (sortBy === 'memory') return [...rows].sort((a, b) => b.memory - a.memory);
  throw new CtlError(`--sort-by accepts only cpu or memory`);
}

/**
 * `top nodes` as kubectl prints it:
 *
 *   NAME     CPU(cores)   CPU%   MEMORY(bytes)   MEMORY%
 *   node-1   500m         25%    1024Mi          25%
 */
export function formatTopNodes(rows: readonly NodeTop[], o: { noHeaders?: boolean; sortBy?: string } = {}): string {
  const lines = sortRows([...rows], o.sortBy).map((r) => [r.name, cores(r.milliCPU), pct(r.cpuPercent), mebibytes(r.memory), pct(r.memoryPercent)]);
  return alignToWidths(o.noHeaders ? lines : [['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'], ...lines], []).text;
}

/** `top pods`: NAME, CPU(cores), MEMORY(bytes), with NAMESPACE first for `-A`. */
export function formatTopPods(rows: readonly PodTop[], o: { allNamespaces?: boolean; noHeaders?: boolean; sortBy?: string } = {}): string {
  const ns = (r: PodTop) => (o.allNamespaces ? [r.namespace] : []);
  const lines = sortRows([...rows], o.sortBy).map((r) => [...ns(r), r.name, cores(r.milliCPU), mebibytes(r.memory)]);
  const header = [...(o.allNamespaces ? ['NAMESPACE'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'];
  return alignToWidths(o.noHeaders ? lines : [header, ...lines], []).text;
}

export interface TopOptions {
  selector?: string;
  allNamespaces?: boolean;
  noHeaders?: boolean;
  sortBy?: string;
}

/** `minikctl top nodes [NAME]`. */
export async function runTopNodes(s: Session, name: string | undefined, o: TopOptions): Promise<number> {
  const nodes = name
    ? [await s.rest.request<Json>('GET', `/api/v1/nodes/${encodeURIComponent(name)}`)]
    : ((await s.rest.request<{ items?: Json[] }>('GET', '/api/v1/nodes', { query: { labelSelector: o.selector } })).items ?? []);
  if (nodes.length === 0) throw new CtlError('metrics not available yet');
  const pods = (await s.rest.request<{ items?: Json[] }>('GET', '/api/v1/pods')).items ?? [];
  s.out(formatTopNodes(nodeTops(nodes, pods), o));
  return 0;
}

/** `minikctl top pods [NAME] [-A]`. */
export async function runTopPods(s: Session, name: string | undefined, o: TopOptions): Promise<number> {
  const base = o.allNamespaces ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods`;
  // A pod that is not there is, to kubectl, metrics that are not there.
  const missing = (err: unknown): never => {
    if (isNotFound(err)) throw new ApiError({ ...err.status, message: `podmetrics.metrics.k8s.io "${s.namespace}/${name}" not found` });
    throw err;
  };
  const pods = name
    ? [await s.rest.request<Json>('GET', `${base}/${encodeURIComponent(name)}`).catch(missing)]
    : ((await s.rest.request<{ items?: Json[] }>('GET', base, { query: { labelSelector: o.selector } })).items ?? []);
  const rows = podTops(pods);
  if (rows.length === 0) {
    if (name) throw new CtlError(`metrics not available yet`);
    s.err(o.allNamespaces ? 'No resources found\n' : `No resources found in ${s.namespace} namespace.\n`);
    return 0;
  }
  s.out(formatTopPods(rows, o));
  return 0;
}
