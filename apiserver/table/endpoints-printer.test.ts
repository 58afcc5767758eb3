import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../api/schemas/service.js';
import { endpointsPrinter, formatEndpoints } from './endpoints-printer.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const address = (ip: string, pod: string) => ({
  ip,
  nodeName: 'node-1',
  targetRef: { kind: 'Pod', namespace: 'default', name: pod, uid: `${pod}-uid` },
});

function endpoints(subsets: Endpoints['subsets']): Endpoints {
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:59:00Z' }, subsets };
}

describe('endpointsPrinter', () => {
  it('has the columns of kube-apiserver', () => {
    expect(endpointsPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Endpoints', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
  });

  it('prints the ready addresses with their port', () => {
    const ep = endpoints([
      {
        addresses: [address('10.1.0.5', 'web-a'), address('10.1.0.6', 'web-b')],
        notReadyAddresses: [address('10.1.0.9', 'web-c')],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
    expect(endpointsPrinter.cells(ep, NOW)).toEqual(['web', '10.1.0.5:80,10.1.0.6:80', '60s']);
  });

  it('shows three and counts the rest (the doc example)', () => {
    const ep = endpoints([
      {
        addresses: ['5', '6', '7', '8', '9'].map((n) => address(`10.1.0.${n}`, `web-${n}`)),
        ports: [{ port: 80, protocol: 'TCP' }],
      },
    ]);
    expect(formatEndpoints(ep)).toBe('10.1.0.5:80,10.1.0.6:80,10.1.0.7:80 + 2 more...');
  });

  it('pairs every address with every port, across subsets', () => {
    const ep = endpoints([
      { addresses: [address('10.1.0.5', 'a')], ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9090 }] },
      { addresses: [address('10.1.0.6', 'b'), address('10.1.0.7', 'c')], ports: [{ port: 8080 }] },
    ]);
    expect(formatEndpoints(ep)).toBe('10.1.0.5:80,10.1.0.5:9090,10.1.0.6:8080 + 1 more...');
  });

  it('prints a headless service without ports as bare addresses, and IPv6 in brackets', () => {
    expect(formatEndpoints(endpoints([{ addresses: [address('10.1.0.5', 'a')] }]))).toBe('10.1.0.5');
    expect(formatEndpoints(endpoints([{ addresses: [address('fd00::5', 'a')], ports: [{ port: 80 }] }]))).toBe('[fd00::5]:80');
  });

  it('prints <none> without subsets, and nothing when no address is ready', () => {
    expect(formatEndpoints(endpoints(undefined))).toBe('<none>');
    expect(formatEndpoints(endpoints([]))).toBe('<none>');
    expect(formatEndpoints(endpoints([{ notReadyAddresses: [address('10.1.0.9', 'c')], ports: [{ port: 80 }] }]))).toBe('');
  });
});
