import type { DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/**
 * Endpoints as `kubectl describe endpoints` shows them: per subset, the ready and not-ready
 * addresses and the ports.
 *
 *   Subsets:
 *     Addresses:          10.244.1.2,10.244.2.2
 *     NotReadyAddresses:  <none>
 *     Ports:
 *       Name  Port  Protocol
 *       ----  ----  --------
 *       http  8080  TCP
 */
export function describeEndpoints(w: DescribeWriter, ep: Json): void {
  w.header(ep.metadata);
  w.line(0, 'Subsets:');
  for (const subset of (ep.subsets ?? []) as Json[]) {
    const ips = (list: Json[] | undefined) => (list ?? []).map((a) => a.ip ?? '').join(',') || '<none>';
    w.line(1, 'Addresses:', ips(subset.addresses));
    w.line(1, 'NotReadyAddresses:', ips(subset.notReadyAddresses));
    const ports = (subset.ports ?? []) as Json[];
    if (ports.length > 0) {
      w.line(1, 'Ports:');
      w.line(2, 'Name', 'Port', 'Protocol');
      w.line(2, '----', '----', '--------');
      for (const p of ports) w.line(2, p.name || '<unset>', String(p.port ?? 0), p.protocol ?? '');
    }
    w.blank();
  }
}
