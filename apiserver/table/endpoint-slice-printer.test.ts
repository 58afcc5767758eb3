import { describe, expect, it } from 'vitest';
import type { EndpointSlice } from '../../api/schemas/discovery.js';
import { endpointSlicePrinter } from './endpoint-slice-printer.js';

const NOW = Date.parse('2024-05-01T12:01:00Z');
const cells = (s: Partial<EndpointSlice>) =>
  endpointSlicePrinter.cells({ metadata: { name: 'web-x7k2p', creationTimestamp: '2024-05-01T12:00:00Z' }, addressType: 'IPv4', endpoints: [], ...s } as EndpointSlice, NOW);

describe('endpointSlicePrinter', () => {
  it('prints the first three ports and addresses, then how many more', () => {
    const endpoints = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((ip) => ({ addresses: [ip] }));
    const ports = [80, 81, 82, 83].map((port) => ({ name: `p${port}`, port }));
    expect(cells({ endpoints, ports })).toEqual(['web-x7k2p', 'IPv4', '80,81,82 + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '60s']);
  });

  it('prints <unset> for none, and a port without a number by its name', () => {
    expect(cells({})).toEqual(['web-x7k2p', 'IPv4', '<unset>', '<unset>', '60s']);
    expect(cells({ ports: [{ name: 'any' }, {}] })[2]).toBe('any,*');
  });
});
