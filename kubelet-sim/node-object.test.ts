import { describe, expect, it } from 'vitest';
import { nodeObject, uniformNodes, withKubeletEndpoint } from './node-object.js';

const big = { name: 'big-1', index: 1, cpu: '16', memory: '64Gi', maxPods: 110, labels: { 'topology.kubernetes.io/zone': 'zone-a' }, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const }] };

describe('nodeObject', () => {
  it('registers the worked example: capacity, labels, taints, and where its kubelet listens', () => {
    expect(nodeObject(big, { address: '127.0.0.1', port: 10250 })).toEqual({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'big-1',
        labels: { 'topology.kubernetes.io/zone': 'zone-a', 'kubernetes.io/hostname': 'big-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
      },
      spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'], taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '16', memory: '64Gi', pods: '110' },
        allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'big-1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    });
  });

  it('--nodes N is node-1..node-N of one shape, with no taints', () => {
    const nodes = uniformNodes(2, { cpu: '4', memory: '8Gi', maxPods: 110 });
    expect(nodes.map((n) => [n.name, n.index])).toEqual([['node-1', 1], ['node-2', 2]]);
    expect(nodeObject(nodes[1]!).spec).toEqual({ podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] });
  });
});

describe('withKubeletEndpoint', () => {
  it('puts a moved kubelet right and leaves a node that is right alone', () => {
    const registered = { ...nodeObject(big, { address: '127.0.0.1', port: 10250 }), metadata: { name: 'big-1', resourceVersion: '7' } };
    expect(withKubeletEndpoint(registered, { address: '127.0.0.1', port: 10250 })).toBeUndefined();
    const moved = withKubeletEndpoint(registered, { address: '127.0.0.1', port: 20250 })!;
    expect(moved.metadata?.resourceVersion).toBe('7');
    expect(moved.status).toMatchObject({ capacity: { cpu: '16' }, daemonEndpoints: { kubeletEndpoint: { Port: 20250 } } });
  });
});
