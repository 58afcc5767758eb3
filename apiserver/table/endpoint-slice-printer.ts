import type { EndpointSlice } from '../../api/schemas/discovery.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

const SHOWN = 3;

/**
 * NAME ADDRESSTYPE PORTS ENDPOINTS AGE, as upstream prints a slice: the first three ports and the
 * first three addresses (ready or not), then a count of the rest; `<unset>` for none.
 *
 *   ['web-x7k2p', 'IPv4', '8080', '10.244.1.5,10.244.2.7', '1m']
 */
export const endpointSlicePrinter: Printer<EndpointSlice> = {
  columns: [
    nameColumn,
    column('AddressType', 'The type of address carried by the slice.'),
    column('Ports', 'The network ports exposed by each endpoint in the slice.'),
    column('Endpoints', 'The addresses of the endpoints in the slice.'),
    ageColumn,
  ],
  cells: (s, now) => [
    s.metadata?.name ?? '',
    s.addressType ?? '',
    listWithMore((s.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')))),
    listWithMore((s.endpoints ?? []).flatMap((e) => e.addresses ?? [])),
    age(s.metadata?.creationTimestamp, now),
  ],
};

function listWithMore(all: string[]): string {
  if (all.length === 0) return '<unset>';
  const text = all.slice(0, SHOWN).join(',');
  return all.length > SHOWN ? `${text} + ${all.length - SHOWN} more...` : text;
}
