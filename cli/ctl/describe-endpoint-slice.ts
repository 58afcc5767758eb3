import type { DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/**
 * An EndpointSlice as `kubectl describe endpointslice` shows it: the ports, then each endpoint
 * with its addresses, readiness, hostname, pod, node and zone.
 *
 *   AddressType:  IPv4
 *   Ports:
 *     Name  Port  Protocol
 *     ----  ----  --------
 *     http  8080  TCP
 *   Endpoints:
 *     - Addresses:  10.244.1.2
 *       Conditions:
 *         Ready:    true
 *       Hostname:   <unset>
 *       TargetRef:  Pod/web-5c46ffc477-lgql7
 *       NodeName:   node-1
 *       Zone:       <unset>
 */
export function describeEndpointSlice(w: DescribeWriter, slice: Json): void {
  w.header(slice.metadata);
  w.line(0, 'AddressType:', slice.addressType ?? '');
  const ports = (slice.ports ?? []) as Json[];
  if (ports.length === 0) w.line(0, 'Ports: <unset>');
  else {
    w.line(0, 'Ports:');
    w.line(1, 'Name', 'Port', 'Protocol');
    w.line(1, '----', '----', '--------');
    for (const p of ports) w.line(1, p.name || '<unset>', p.port !== undefined ? String(p.port) : '<unset>', p.protocol ?? '');
  }
  const endpoints = (slice.endpoints ?? []) as Json[];
  if (endpoints.length === 0) return w.line(0, 'Endpoints: <none>');
  w.line(0, 'Endpoints:');
  for (const e of endpoints) {
    w.line(1, '- Addresses:', (e.addresses ?? []).join(', ') || '<none>');
    w.line(2, 'Conditions:');
    w.line(3, 'Ready:', e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready));
    w.line(2, 'Hostname:', e.hostname ?? '<unset>');
    if (e.targetRef) w.line(2, 'TargetRef:', `${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}`);
    w.line(2, 'NodeName:', e.nodeName ?? '<unset>');
    w.line(2, 'Zone:', e.zone ?? '<unset>');
  }
}
