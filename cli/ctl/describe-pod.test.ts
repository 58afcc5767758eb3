import { describe, expect, it } from 'vitest';
import { describePod, qosClass, SCHEDULE_EXPLAIN_ANNOTATION } from './describe-pod.js';
import { DescribeWriter, rfc1123z } from './describe-writer.js';

const pod = {
  metadata: {
    name: 'web-1',
    namespace: 'default',
    labels: { app: 'web' },
    annotations: {
      [SCHEDULE_EXPLAIN_ANNOTATION]: JSON.stringify([
        { node: 'node-2', fits: false, reasons: ['Insufficient cpu'] },
        { node: 'node-1', fits: true, score: 87 },
      ]),
    },
    ownerReferences: [{ kind: 'ReplicaSet', name: 'web-5d4f8', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } }] }],
  },
  status: {
    phase: 'Running',
    hostIP: '10.0.0.1',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    startTime: '2024-05-01T12:00:05Z',
    containerStatuses: [{ name: 'nginx', ready: true, restartCount: 0, state: { running: { startedAt: '2024-05-01T12:00:06Z' } } }],
    conditions: [{ type: 'Ready', status: 'True' }],
  },
};

describe('describePod', () => {
  const text = (() => {
    const w = new DescribeWriter();
    describePod(w, pod);
    return w.text();
  })();

  it("shows the fields kubectl shows, aligned, and the pod's controller", () => {
    expect(text).toContain('Name:         web-1\nNamespace:    default\nNode:         node-1/10.0.0.1\nStart Time:   Wed, 01 May 2024 12:00:05 +0000\nLabels:       app=web\n');
    expect(text).toContain('Controlled By:  ReplicaSet/web-5d4f8\n');
    expect(text).toMatch(/ {4}Port: +80\/TCP\n/);
    expect(text).toMatch(/ {4}State: +Running\n {6}Started: +Wed, 01 May 2024 12:00:06 \+0000\n/);
    expect(text).toMatch(/ {6}MODE: +<set to the key 'mode' of config map 'cfg'>  Optional: false\n/);
  });

  it("shows the scheduler's verdicts, the chosen node first, instead of the raw annotation", () => {
    expect(text).toContain('Annotations:  <none>\n');
    expect(text).toContain('Scheduling:\n  Node    Fits   Score  Reasons\n  node-1  true   87     \n  node-2  false         Insufficient cpu\n');
  });
});

describe('qosClass', () => {
  it('follows upstream: nothing asked is BestEffort, limits equal to requests Guaranteed, else Burstable', () => {
    expect(qosClass([{}])).toBe('BestEffort');
    expect(qosClass([{ resources: { limits: { cpu: '1', memory: '1Gi' } } }])).toBe('Guaranteed');
    expect(qosClass([{ resources: { requests: { cpu: '100m' } } }])).toBe('Burstable');
  });
});

describe('rfc1123z', () => {
  it('prints timestamps as kubectl describe does', () => {
    expect(rfc1123z('2024-05-01T12:00:05Z')).toBe('Wed, 01 May 2024 12:00:05 +0000');
    expect(rfc1123z(undefined)).toBe('<unknown>');
  });
});
