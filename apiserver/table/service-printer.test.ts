import { describe, expect, it } from 'vitest';
import type { Service } from '../../api/schemas/service.js';
import { servicePrinter } from './service-printer.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function service(name: string, spec: NonNullable<Service['spec']>, status?: Service['status']): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', creationTimestamp: '2024-05-01T11:58:00Z' },
    spec: { sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster', ...spec },
    ...(status ? { status } : {}),
  };
}

describe('servicePrinter', () => {
  it('has the columns of kube-apiserver, Selector wide', () => {
    expect(servicePrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Type', 'string', '', 0],
      ['Cluster-IP', 'string', '', 0],
      ['External-IP', 'string', '', 0],
      ['Port(s)', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['Selector', 'string', '', 1],
    ]);
  });

  it.each<[string, Service, unknown[]]>([
    [
      'the kubernetes service',
      service('kubernetes', {
        type: 'ClusterIP',
        clusterIP: '10.96.0.1',
        clusterIPs: ['10.96.0.1'],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
      }),
      ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '2m', '<none>'],
    ],
    [
      'a NodePort service',
      service('web', {
        type: 'NodePort',
        clusterIP: '10.96.0.20',
        clusterIPs: ['10.96.0.20'],
        selector: { tier: 'front', app: 'web' },
        ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }],
        externalTrafficPolicy: 'Cluster',
      }),
      ['web', 'NodePort', '10.96.0.20', '<none>', '80:30080/TCP', '2m', 'app=web,tier=front'],
    ],
    [
      'a headless service with two ports',
      service('db', {
        type: 'ClusterIP',
        clusterIP: 'None',
        clusterIPs: ['None'],
        selector: { app: 'db' },
        ports: [
          { name: 'pg', port: 5432, protocol: 'TCP' },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      }),
      ['db', 'ClusterIP', 'None', '<none>', '5432/TCP,53/UDP', '2m', 'app=db'],
    ],
    [
      'a load balancer still waiting for its address',
      service('shop', {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.30',
        clusterIPs: ['10.96.0.30'],
        selector: { app: 'shop' },
        ports: [{ port: 443, protocol: 'TCP', nodePort: 31443 }],
      }),
      ['shop', 'LoadBalancer', '10.96.0.30', '<pending>', '443:31443/TCP', '2m', 'app=shop'],
    ],
    [
      'a load balancer with its ingress, and external IPs after it',
      service(
        'shop',
        { type: 'LoadBalancer', clusterIPs: ['10.96.0.30'], externalIPs: ['198.51.100.9'], ports: [{ port: 443, protocol: 'TCP', nodePort: 31443 }] },
        { loadBalancer: { ingress: [{ ip: '203.0.113.20' }, { hostname: 'shop.lb.example' }, { ip: '203.0.113.10' }, { ip: '203.0.113.20' }] } },
      ),
      ['shop', 'LoadBalancer', '10.96.0.30', '203.0.113.10,203.0.113.20,shop.lb.example,198.51.100.9', '443:31443/TCP', '2m', '<none>'],
    ],
    [
      'a ClusterIP service with external IPs',
      service('api', { type: 'ClusterIP', clusterIPs: ['10.96.0.40'], externalIPs: ['198.51.100.1', '198.51.100.2'], ports: [{ port: 8080, protocol: 'TCP' }] }),
      ['api', 'ClusterIP', '10.96.0.40', '198.51.100.1,198.51.100.2', '8080/TCP', '2m', '<none>'],
    ],
    [
      'an ExternalName service',
      service('mail', { type: 'ExternalName', externalName: 'mail.example.com' }),
      ['mail', 'ExternalName', '<none>', 'mail.example.com', '<none>', '2m', '<none>'],
    ],
  ])('prints %s', (_, svc, cells) => {
    expect(servicePrinter.cells(svc, NOW)).toEqual(cells);
  });

  it('reads a service written before the server filled in its defaults as the server would store it', () => {
    const bare: Service = { metadata: { name: 'old', creationTimestamp: '2024-05-01T11:58:00Z' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80 }] } };
    expect(servicePrinter.cells(bare, NOW)).toEqual(['old', 'ClusterIP', '10.96.0.50', '<none>', '80/TCP', '2m', '<none>']);
  });
});
