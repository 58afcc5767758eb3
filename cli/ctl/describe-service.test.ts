import { describe, expect, it } from 'vitest';
import { describeService, formatEndpointSlices } from './describe-service.js';
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
      [
        {
          endpoints: [
            { addresses: ['10.244.1.5'], conditions: { ready: true } },
            { addresses: ['10.244.2.7'], conditions: { ready: false } },
          ],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    );
    const text = w.text();
    expect(text).toMatch(/\nLoadBalancer Ingress: +172\.18\.0\.5 \(VIP\), lb\.example\n/);
    expect(text).toMatch(/\nNodePort: +http {2}30080\/TCP\nEndpoints: +10\.244\.1\.5:8080\n/);
  });

  it('lists at most three ready endpoints of the port, in the order of the slices, as kubectl does', () => {
    const slice = (ips: string[], ports: Array<{ name: string; port: number }>, notReady: string[] = []) => ({
      endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: !notReady.includes(ip) } })),
      ports,
    });
    const http = [{ name: 'http', port: 8080 }];
    expect(formatEndpointSlices([slice(['10.0.0.2', '10.0.0.1'], http)], 'http')).toBe('10.0.0.2:8080,10.0.0.1:8080');
    expect(formatEndpointSlices([slice(['10.0.0.1', '10.0.0.2'], http), slice(['10.0.0.3', '10.0.0.4', '10.0.0.5'], http)], 'http')).toBe(
      '10.0.0.1:8080,10.0.0.2:8080,10.0.0.3:8080 + 2 more...',
    );
    expect(formatEndpointSlices([slice(['10.0.0.1'], http, ['10.0.0.1'])], 'http')).toBe('');
    expect(formatEndpointSlices([slice(['10.0.0.1'], [{ name: '', port: 80 }])], 'http')).toBe('');
    expect(formatEndpointSlices([slice(['10.0.0.1', 'fd00::1'], [])], '')).toBe('10.0.0.1,fd00::1');
    expect(formatEndpointSlices([slice(['fd00::1'], [{ name: '', port: 80 }])], '')).toBe('[fd00::1]:80');
    expect(formatEndpointSlices([], 'http')).toBe('<none>');
  });
});
