import { describe, expect, it } from 'vitest';
import { describeService } from './describe-service.js';
import { DescribeWriter } from './describe-writer.js';

describe('describeService', () => {
  it('prints a LoadBalancer with its ingress and IP mode, and the ready endpoints of each port', () => {
    const w = new DescribeWriter();
    describeService(
      w,
      {
        metadata: { name: 'env-echo', namespace: 'default' },
        spec: { type: 'LoadBalancer', selector: { app: 'env-echo' }, clusterIP: '10.96.0.12', clusterIPs: ['10.96.0.12'], ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] },
        status: { loadBalancer: { ingress: [{ ip: '172.18.0.5', ipMode: 'VIP' }, { hostname: 'lb.example' }] } },
      },
      { subsets: [{ addresses: [{ ip: '10.244.1.5' }], notReadyAddresses: [{ ip: '10.244.2.7' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }] },
    );
    const text = w.text();
    expect(text).toMatch(/\nLoadBalancer Ingress: +172\.18\.0\.5 \(VIP\), lb\.example\n/);
    expect(text).toMatch(/\nNodePort: +http {2}30080\/TCP\nEndpoints: +10\.244\.1\.5:8080\n/);
  });
});
