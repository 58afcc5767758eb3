import { describe, expect, it } from 'vitest';
import type { Node } from '../../api/schemas/cluster.js';
import { nodePrinter } from './node-printer.js';

const NOW = Date.parse('2024-05-04T12:00:00Z');

function node(name: string, more: { labels?: Record<string, string>; ready?: 'True' | 'False' | 'Unknown'; unschedulable?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...more.labels },
    },
    spec: { podCIDR: '10.1.1.0/24', ...(more.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
        ...(more.ready ? [{ type: 'Ready', status: more.ready, reason: 'KubeletReady', lastHeartbeatTime: '2024-05-04T11:59:50Z' }] : []),
      ],
      addresses: [
        { type: 'InternalIP', address: '10.0.0.11' },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0-minik',
        osImage: 'minik simulated node',
        kernelVersion: '6.8.0',
        containerRuntimeVersion: 'minik://0.1.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

describe('nodePrinter', () => {
  it('has the columns of kube-apiserver, five of them wide', () => {
    expect(nodePrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Status', 'string', '', 0],
      ['Roles', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['Version', 'string', '', 0],
      ['Internal-IP', 'string', '', 1],
      ['External-IP', 'string', '', 1],
      ['OS-Image', 'string', '', 1],
      ['Kernel-Version', 'string', '', 1],
      ['Container-Runtime', 'string', '', 1],
    ]);
  });

  it('prints a ready control-plane node', () => {
    const n = node('node-1', { ready: 'True', labels: { 'node-role.kubernetes.io/control-plane': '' } });
    expect(nodePrinter.cells(n, NOW)).toEqual([
      'node-1', 'Ready', 'control-plane', '3d2h', 'v1.32.0-minik', '10.0.0.11', '<none>', 'minik simulated node', '6.8.0', 'minik://0.1.0',
    ]);
  });

  it.each<[string, Node, string]>([
    ['a cordoned node', node('n', { ready: 'True', unschedulable: true }), 'Ready,SchedulingDisabled'],
    ['a node that reports not ready', node('n', { ready: 'False' }), 'NotReady'],
    ['a node whose kubelet stopped posting', node('n', { ready: 'Unknown' }), 'NotReady'],
    ['a node that never reported', node('n'), 'Unknown'],
    ['a cordoned node that never reported', node('n', { unschedulable: true }), 'Unknown,SchedulingDisabled'],
  ])('prints the status of %s', (_, n, text) => {
    expect(nodePrinter.cells(n, NOW)[1]).toBe(text);
  });

  it('gathers roles from both label styles, sorted, and <none> without any', () => {
    const labels = { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': 'true', 'kubernetes.io/role': 'ingress', 'node-role.kubernetes.io/': '' };
    expect(nodePrinter.cells(node('n', { labels }), NOW)[2]).toBe('control-plane,ingress,worker');
    expect(nodePrinter.cells(node('n'), NOW)[2]).toBe('<none>');
  });

  it('prints <unknown> for system info a node has not reported, and <none> for missing addresses', () => {
    const bare: Node = { metadata: { name: 'new' } };
    expect(nodePrinter.cells(bare, NOW)).toEqual(['new', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('shows an external IP when the node has one', () => {
    const n = node('edge', { ready: 'True' });
    n.status?.addresses?.push({ type: 'ExternalIP', address: '203.0.113.7' });
    expect(nodePrinter.cells(n, NOW)[6]).toBe('203.0.113.7');
  });
});
