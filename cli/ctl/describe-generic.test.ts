import { describe, expect, it } from 'vitest';
import { describeEndpoints } from './describe-endpoints.js';
import { describeGeneric, smartLabelFor } from './describe-generic.js';
import { DescribeWriter } from './describe-writer.js';

describe('smartLabelFor', () => {
  it.each([
    ['apiVersion', 'API Version'],
    ['leaseDurationSeconds', 'Lease Duration Seconds'],
    ['uid', 'UID'],
    ['podCIDR', 'Pod CIDR'],
    ['HTTPServer', 'HTTP Server'],
    ['hostIP', 'Host IP'],
    ['ipv4', 'ipv4'],
    ['x_y', 'x_y'],
  ])('%s is labelled %s', (field, label) => {
    expect(smartLabelFor(field)).toBe(label);
  });
});

describe('describeGeneric', () => {
  it('prints a Lease as kubectl describe does', () => {
    const w = new DescribeWriter();
    describeGeneric(w, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: 'node-1',
        namespace: 'kube-node-lease',
        uid: '3733b75e-917c-48e4-b9ca-c5704723f12d',
        resourceVersion: '266',
        creationTimestamp: '2026-11-21T10:51:19Z',
        managedFields: [{ manager: 'minik-kubelet' }],
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-1', uid: 'u-1' }],
      },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2026-11-21T10:51:39.586000Z', preferHolder: false, strategy: null },
    });
    expect(w.text()).toBe(
      [
        'Name:         node-1',
        'Namespace:    kube-node-lease',
        'Labels:       <none>',
        'Annotations:  <none>',
        'API Version:  coordination.k8s.io/v1',
        'Kind:         Lease',
        'Metadata:',
        '  Creation Timestamp:  2026-11-21T10:51:19Z',
        '  Owner References:',
        '    API Version:     v1',
        '    Kind:            Node',
        '    Name:            node-1',
        '    UID:             u-1',
        '  Resource Version:  266',
        '  UID:               3733b75e-917c-48e4-b9ca-c5704723f12d',
        'Spec:',
        '  Holder Identity:         node-1',
        '  Lease Duration Seconds:  40',
        '  Prefer Holder:           false',
        '  Renew Time:              2026-11-21T10:51:39.586000Z',
        '  Strategy:                <nil>',
        '',
      ].join('\n'),
    );
  });

  it('lists scalars one per line under their field, in field order', () => {
    const w = new DescribeWriter();
    describeGeneric(w, { apiVersion: 'v1', kind: 'Thing', metadata: { name: 't' }, items: ['a', 2] });
    expect(w.text()).toContain('\nAPI Version:  v1\nItems:\n  a\n  2\nKind:  Thing\nMetadata:\n');
  });
});

describe('describeEndpoints', () => {
  it('prints each subset: ready and not-ready addresses and the ports, an unnamed one <unset>', () => {
    const w = new DescribeWriter();
    describeEndpoints(w, {
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      subsets: [
        {
          addresses: [{ ip: '10.244.1.2' }, { ip: '10.244.2.2' }],
          notReadyAddresses: [{ ip: '10.244.3.2' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
        },
      ],
    });
    expect(w.text()).toBe(
      [
        'Name:         web',
        'Namespace:    default',
        'Labels:       app=web',
        'Annotations:  <none>',
        'Subsets:',
        '  Addresses:          10.244.1.2,10.244.2.2',
        '  NotReadyAddresses:  10.244.3.2',
        '  Ports:',
        '    Name     Port  Protocol',
        '    ----     ----  --------',
        '    http     8080  TCP',
        '    <unset>  53    UDP',
        '',
        '',
      ].join('\n'),
    );
  });
});
