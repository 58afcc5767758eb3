import type { Endpoints } from '../../api/schemas/service.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

const SHOWN = 3;

/**
 * NAME ENDPOINTS AGE, the first three ready addresses with every port, then a count of the rest:
 *
 *   ['web', '10.1.0.5:80,10.1.0.6:80,10.1.0.7:80 + 2 more...', '1m']
 */
export const endpointsPrinter: Printer<Endpoints> = {
  columns: [nameColumn, column('Endpoints', 'The addresses that implement the service, with their ports.'), ageColumn],
  cells: (ep, now) => [ep.metadata?.name ?? '', formatEndpoints(ep), age(ep.metadata?.creationTimestamp, now)],
};

/** Not-ready addresses are left out: the column says where traffic goes. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    // A headless service may have no ports: its addresses print bare.
    const ports = ss.ports?.length ? ss.ports.map((p) => p.port) : [undefined];
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) {
        if (shown.length === SHOWN) break;
        // An address without an ip prints as upstream's JoinHostPort prints it: ":80".
        const ip = a.ip ?? '';
        shown.push(port === undefined ? ip : joinHostPort(ip, port));
      }
    }
  }
  const text = shown.join(',');
  return count > SHOWN ? `${text} + ${count - SHOWN} more...` : text;
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
