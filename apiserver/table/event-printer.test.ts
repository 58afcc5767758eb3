import { describe, expect, it } from 'vitest';
import type { Event } from '../../api/schemas/cluster.js';
import { eventPrinter } from './event-printer.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const scheduled: Event = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17c3a1b2d4e5f6a7', namespace: 'default', creationTimestamp: '2024-05-01T11:59:55Z' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'pod-uid', apiVersion: 'v1', resourceVersion: '400' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web-1 to node-1',
  source: { component: 'default-scheduler' },
  firstTimestamp: '2024-05-01T11:59:55Z',
  lastTimestamp: '2024-05-01T11:59:55Z',
  count: 1,
  type: 'Normal',
  reportingComponent: 'default-scheduler',
  reportingInstance: '',
};

describe('eventPrinter', () => {
  it('has the columns of kube-apiserver, in its order, five of them wide', () => {
    expect(eventPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Last Seen', 'string', '', 0],
      ['Type', 'string', '', 0],
      ['Reason', 'string', '', 0],
      ['Object', 'string', '', 0],
      ['Subobject', 'string', '', 1],
      ['Source', 'string', '', 1],
      ['Message', 'string', '', 0],
      ['First Seen', 'string', '', 1],
      ['Count', 'string', '', 1],
      ['Name', 'string', 'name', 1],
    ]);
  });

  it('prints the doc example', () => {
    expect(eventPrinter.cells(scheduled, NOW)).toEqual([
      '5s', 'Normal', 'Scheduled', 'pod/web-1', '', 'default-scheduler', 'Successfully assigned default/web-1 to node-1', '5s', 1, 'web-1.17c3a1b2d4e5f6a7',
    ]);
  });

  it('prints a repeated kubelet warning with its container, host and count', () => {
    const backOff: Event = {
      ...scheduled,
      metadata: { name: 'web-1.17c3a1c0ffee', namespace: 'default' },
      involvedObject: { ...scheduled.involvedObject, fieldPath: 'spec.containers{web}' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container web in pod web-1_default(pod-uid)\n',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2024-05-01T11:50:00Z',
      lastTimestamp: '2024-05-01T11:59:30Z',
      count: 42,
      type: 'Warning',
    };
    expect(eventPrinter.cells(backOff, NOW)).toEqual([
      '30s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{web}', 'kubelet, node-1',
      'Back-off restarting failed container web in pod web-1_default(pod-uid)', '10m', 42, 'web-1.17c3a1c0ffee',
    ]);
  });

  it('prints an event of the newer shape from its eventTime, series and reporting controller', () => {
    const scaled: Event = {
      metadata: { name: 'web.17c3b0', namespace: 'default' },
      involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web', apiVersion: 'apps/v1' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-7d4b9c to 3',
      eventTime: '2024-05-01T11:40:00.000000Z',
      series: { count: 3, lastObservedTime: '2024-05-01T11:58:00.000000Z' },
      type: 'Normal',
      reportingComponent: 'deployment-controller',
      reportingInstance: 'minik-controller-manager',
    };
    expect(eventPrinter.cells(scaled, NOW)).toEqual([
      '2m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller, minik-controller-manager',
      'Scaled up replica set web-7d4b9c to 3', '20m', 3, 'web.17c3b0',
    ]);
  });

  it('counts a singleton event without a count as one, and takes Last Seen from First Seen', () => {
    const single: Event = { metadata: { name: 'n' }, involvedObject: { kind: 'Node' }, eventTime: '2024-05-01T11:59:00.000000Z' };
    expect(eventPrinter.cells(single, NOW)).toEqual(['60s', '', '', 'node', '', '', '', '60s', 1, 'n']);
  });
});
