import { resolveResource } from '../api/resources.js';
import { containerUsage, NODE_OVERHEAD, totalUsage, type Usage } from '../api/simulated-usage.js';
import { ApiError } from './errors.js';
import type { Registry } from './registry.js';
import type { KubeObject } from './watch-cache.js';

/**
 * metrics.k8s.io/v1beta1, as metrics-server serves it, so that `kubectl top nodes|pods` works: the
 * simulated use of every running pod and Ready node (api/simulated-usage.ts), read from the cache of
 * pods and nodes. Read-only and computed, never stored: get and list, with label selectors, and
 * field selectors on pods.
 *
 *   GET /apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web-1
 *   -> { kind: 'PodMetrics', metadata: { name: 'web-1', ... }, timestamp, window: '20s',
 *        containers: [{ name: 'nginx', usage: { cpu: '31250000n', memory: '70124Ki' } }] }
 */

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_RESOURCES = [
  { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics' },
  { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics' },
] as const;
export const METRICS_VERBS = ['get', 'list'];

const pods = resolveResource('pods')!;
const nodes = resolveResource('nodes')!;
const WINDOW = '20s';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface MetricsRequest {
  resource: 'nodes' | 'pods';
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** The answer to a metrics request: one object, or a list. */
export async function serveMetrics(registry: Registry, req: MetricsRequest, nowMs: number): Promise<Json> {
  const timestamp = new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const reporting = new Set((await registry.list(nodes, undefined)).items.filter(reports).map((n) => n.metadata?.name as string));
  const running = (p: KubeObject) => (p.status as Json | undefined)?.phase === 'Running' && reporting.has((p.spec as Json | undefined)?.nodeName);

  if (req.resource === 'pods') {
    const names = req.name ? `metadata.name=${req.name}` : undefined;
    const fieldSelector = [req.fieldSelector, names].filter(Boolean).join(',') || undefined;
    const items = (await registry.list(pods, req.namespace, { labelSelector: req.labelSelector, fieldSelector })).items.filter(running).map((p) => podMetrics(p, nowMs, timestamp));
    // metrics-server names a missing pod's metrics by namespace and name.
    if (req.name) return items[0] ?? notFound('podmetrics', req.namespace ? `${req.namespace}/${req.name}` : req.name);
    return list('PodMetricsList', items);
  }

  if (req.fieldSelector) throw ApiError.badRequest(`field selectors are not supported for nodemetrics: "${req.fieldSelector}"`);
  const all = (await registry.list(nodes, undefined, { labelSelector: req.labelSelector })).items.filter((n) => reporting.has(n.metadata?.name as string) && (!req.name || n.metadata?.name === req.name));
  const byNode = new Map<string, Usage[]>();
  for (const p of (await registry.list(pods, undefined)).items.filter(running)) {
    const node = (p.spec as Json).nodeName as string;
    byNode.set(node, [...(byNode.get(node) ?? []), ...containerUsage(p as Json, nowMs).map((c) => c.usage)]);
  }
  const items = all.map((n) => ({
    metadata: { name: n.metadata?.name, creationTimestamp: timestamp, labels: n.metadata?.labels ?? {} },
    timestamp,
    window: WINDOW,
    usage: quantities(totalUsage([NODE_OVERHEAD, ...(byNode.get(n.metadata?.name as string) ?? [])])),
  }));
  if (req.name) return items[0] ? { kind: 'NodeMetrics', apiVersion: API_VERSION, ...items[0] } : notFound('nodemetrics', req.name);
  return list('NodeMetricsList', items.map((i) => ({ kind: 'NodeMetrics', apiVersion: API_VERSION, ...i })));
}

/** A node metrics-server can scrape: Ready, its heartbeats running. */
function reports(n: KubeObject): boolean {
  const ready = ((n.status as Json | undefined)?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True');
  return ready && (n.metadata?.annotations as Json | undefined)?.['minik.dev/heartbeats'] !== 'stopped';
}

function podMetrics(p: KubeObject, nowMs: number, timestamp: string): Json {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: { name: p.metadata?.name, namespace: p.metadata?.namespace, creationTimestamp: timestamp, labels: p.metadata?.labels ?? {} },
    timestamp,
    window: WINDOW,
    containers: containerUsage(p as Json, nowMs).map((c) => ({ name: c.name, usage: quantities(c.usage) })),
  };
}

/** As metrics-server writes them: CPU in nanocores, memory in Ki. */
function quantities(u: Usage): { cpu: string; memory: string } {
  return { cpu: `${u.cpuNano}n`, memory: `${Math.ceil(u.memoryBytes / 1024)}Ki` };
}

function list(kind: string, items: Json[]): Json {
  return { kind, apiVersion: API_VERSION, metadata: {}, items };
}

function notFound(resource: string, name: string): never {
  throw ApiError.notFound({ resource, group: METRICS_GROUP }, name);
}
