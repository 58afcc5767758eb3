import type { KubeObject } from '../api/client.js';

export interface NodeShape {
  cpu: string;
  memory: string;
  maxPods: number;
}

/** `node-3`: the simulator's nodes are numbered from 1. */
export const nodeName = (i: number) => `node-${i}`;

/** Node i's pod CIDR, 10.244.i.0/24: one /24 per node, as kube-controller-manager allocates them. */
export const podCidrOf = (i: number) => `10.244.${i}.0/24`;

/**
 * The Node object a simulated kubelet registers. Its conditions are left to the node stages, so a
 * freshly registered node goes through node-initialize like any other.
 *
 *   nodeObject(1, { cpu: '4', memory: '8Gi', maxPods: 110 }).spec   // { podCIDR: '10.244.1.0/24', podCIDRs: [...] }
 */
export function nodeObject(i: number, shape: NodeShape): KubeObject {
  const name = nodeName(i);
  const resources = { cpu: shape.cpu, memory: shape.memory, pods: String(shape.maxPods) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: { podCIDR: podCidrOf(i), podCIDRs: [podCidrOf(i)] },
    status: { capacity: resources, allocatable: { ...resources }, addresses: [{ type: 'Hostname', address: name }] },
  };
}
