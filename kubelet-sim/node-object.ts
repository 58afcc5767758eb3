import type { KubeObject } from '../api/client.js';
import type { Taint } from '../api/schemas/cluster.js';
import { DEFAULT_CLUSTER_CIDR, parseClusterCidr, type PodNetwork } from './pod-network.js';

export interface NodeShape {
  cpu: string;
  memory: string;
  maxPods: number;
}

/**
 * One simulated node as the simulator runs it: its name, its capacity, and the labels and taints it
 * registers with. `index` (from 1) picks its /24 of the cluster's pod network (see pod-network.ts).
 */
export interface SimNode extends NodeShape {
  name: string;
  index: number;
  labels?: Readonly<Record<string, string>>;
  taints?: readonly Taint[];
}

/** Where the API server reaches a node's kubelet: what a real kubelet puts in status.addresses and daemonEndpoints. */
export interface KubeletEndpoint {
  address: string;
  port: number;
}

/** `node-3`: the simulator's nodes are numbered from 1. */
export const nodeName = (i: number) => `node-${i}`;

/** `--nodes 3`: node-1..node-3, all of one shape. */
export function uniformNodes(count: number, shape: NodeShape): SimNode[] {
  return Array.from({ length: count }, (_, i) => ({ name: nodeName(i + 1), index: i + 1, cpu: shape.cpu, memory: shape.memory, maxPods: shape.maxPods }));
}

/** The labels every kubelet sets on its own Node; a nodes file adds to them. */
export function wellKnownLabels(name: string): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
}

/**
 * The Node object a simulated kubelet registers. Its conditions are left to the node stages, so a
 * freshly registered node goes through node-initialize like any other. With an endpoint it
 * advertises, as a kubelet does, where the API server finds its log endpoint.
 *
 *   nodeObject({ name: 'big-1', index: 1, cpu: '16', memory: '64Gi', maxPods: 110,
 *                taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
 *              { address: '127.0.0.1', port: 10250 })
 *   // spec:   { podCIDR: '10.244.1.0/24', podCIDRs: [...], taints: [{ key: 'dedicated', ... }] }
 *   // status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' }, allocatable: {...},
 *   //           addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'big-1' }],
 *   //           daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } }
 */
export function nodeObject(node: SimNode, endpoint?: KubeletEndpoint, network: PodNetwork = parseClusterCidr(DEFAULT_CLUSTER_CIDR)): KubeObject {
  const resources = { cpu: node.cpu, memory: node.memory, pods: String(node.maxPods) };
  const cidr = network.podCidrOf(node.index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, labels: { ...node.labels, ...wellKnownLabels(node.name) } },
    spec: { podCIDR: cidr, podCIDRs: [cidr], ...(node.taints?.length ? { taints: node.taints.map((t) => ({ ...t })) } : {}) },
    status: { capacity: resources, allocatable: { ...resources }, ...endpointStatus(node.name, endpoint) },
  };
}

function endpointStatus(name: string, endpoint: KubeletEndpoint | undefined) {
  const hostname = { type: 'Hostname', address: name };
  if (!endpoint) return { addresses: [hostname] };
  return { addresses: [{ type: 'InternalIP', address: endpoint.address }, hostname], daemonEndpoints: { kubeletEndpoint: { Port: endpoint.port } } };
}

/**
 * A registered Node whose advertised kubelet endpoint is not this process's (the simulator came
 * back on another port) with the endpoint put right; undefined when it already is.
 */
export function withKubeletEndpoint(node: Readonly<KubeObject>, endpoint: KubeletEndpoint): KubeObject | undefined {
  const status = (node.status ?? {}) as { addresses?: unknown; daemonEndpoints?: unknown };
  const want = endpointStatus(node.metadata?.name ?? '', endpoint);
  if (JSON.stringify(status.addresses) === JSON.stringify(want.addresses) && JSON.stringify(status.daemonEndpoints) === JSON.stringify(want.daemonEndpoints)) {
    return undefined;
  }
  return { ...node, status: { ...status, ...want } };
}
