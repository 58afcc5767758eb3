import type { Node, Taint } from '../../api/schemas/cluster.js';
import type { Pod, PodSpec } from '../../api/schemas/pod.js';

/** Builders for the plugins' tests: a pod of one container per request, a ready node. */

export type Req = { cpu?: string | number; memory?: string | number };

export function makePod(requests: readonly Req[] = [], spec: Partial<PodSpec> = {}, phase?: string): Pod {
  return {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: requests.map((r, i) => ({ name: `c${i}`, resources: { requests: { ...r } } })),
      ...spec,
    },
    ...(phase === undefined ? {} : { status: { phase: phase as 'Running' } }),
  };
}

export interface NodeOptions {
  name?: string;
  cpu?: string | number;
  memory?: string | number;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown' | undefined;
}

export function makeNode(o: NodeOptions = {}): Node {
  const allocatable: Record<string, string | number> = {};
  if (o.cpu !== undefined) allocatable['cpu'] = o.cpu;
  if (o.memory !== undefined) allocatable['memory'] = o.memory;
  allocatable['pods'] = o.pods ?? 110;
  const ready = 'ready' in o ? o.ready : 'True';
  return {
    metadata: { name: o.name ?? 'node-1', ...(o.labels ? { labels: o.labels } : {}) },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, conditions: ready === undefined ? [] : [{ type: 'Ready', status: ready }] },
  };
}
