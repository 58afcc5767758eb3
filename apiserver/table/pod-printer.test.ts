import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import { podPrinter } from './pod-printer.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const webPod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-7d4b9c-x2x7q',
    namespace: 'default',
    uid: '5b0e6b8e-1c1f-4c4a-9e62-0d4c1f1e2a11',
    resourceVersion: '412',
    creationTimestamp: '2024-05-01T11:57:30Z',
    labels: { app: 'web', 'pod-template-hash': '7d4b9c' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
  },
  spec: {
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    restartPolicy: 'Always',
    nodeName: 'node-2',
    readinessGates: [{ conditionType: 'example.com/lb-ready' }, { conditionType: 'example.com/warm' }],
  },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-05-01T11:57:30Z' },
      { type: 'Initialized', status: 'True', lastTransitionTime: '2024-05-01T11:57:30Z' },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: '2024-05-01T11:57:33Z' },
      { type: 'example.com/lb-ready', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' },
    ],
    hostIP: '10.0.0.12',
    podIP: '10.1.2.7',
    podIPs: [{ ip: '10.1.2.7' }],
    startTime: '2024-05-01T11:57:30Z',
    containerStatuses: [
      {
        name: 'web',
        state: { running: { startedAt: '2024-05-01T11:57:33Z' } },
        ready: true,
        restartCount: 0,
        image: 'docker.io/library/nginx:1.27',
        imageID: 'docker.io/library/nginx@sha256:0a1b2c',
        containerID: 'containerd://abc',
        started: true,
      },
    ],
    qosClass: 'BestEffort',
  },
};

describe('podPrinter', () => {
  it('has the columns of kube-apiserver, four of them wide', () => {
    expect(podPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });

  it('prints a running pod, with its readiness gates met and not', () => {
    expect(podPrinter.cells(webPod, NOW)).toEqual(['web-7d4b9c-x2x7q', '1/1', 'Running', '0', '2m30s', '10.1.2.7', 'node-2', '<none>', '1/2']);
    expect(podPrinter.conditions?.(webPod)).toBeUndefined();
  });

  it('prints <none> for what an unscheduled pod does not have yet', () => {
    const pending: Pod = {
      metadata: { name: 'big', namespace: 'default', creationTimestamp: '2024-05-01T11:59:55Z' },
      spec: { containers: [{ name: 'big', image: 'big:1' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available.' }],
        nominatedNodeName: 'node-3',
      },
    };
    expect(podPrinter.cells(pending, NOW)).toEqual(['big', '0/1', 'Pending', '0', '5s', '<none>', '<none>', 'node-3', '<none>']);
  });

  it('takes the IP from podIP when podIPs is missing', () => {
    const legacy: Pod = { ...webPod, status: { ...webPod.status, podIPs: undefined, podIP: '10.1.2.9' } };
    expect(podPrinter.cells(legacy, NOW)[5]).toBe('10.1.2.9');
  });

  it('marks a finished pod Completed in the row conditions', () => {
    const done = (phase: 'Succeeded' | 'Failed'): Pod => ({ ...webPod, status: { phase } });
    expect(podPrinter.conditions?.(done('Succeeded'))).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(podPrinter.conditions?.(done('Failed'))).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  });
});
