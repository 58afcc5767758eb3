import type { Lease } from '../../api/schemas/cluster.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

/** NAME HOLDER AGE: `['node-1', 'node-1', '3d']`, HOLDER empty while nobody holds the lease. */
export const leasePrinter: Printer<Lease> = {
  columns: [nameColumn, column('Holder', 'The identity of the holder of the lease.'), ageColumn],
  cells: (lease, now) => [lease.metadata?.name ?? '', lease.spec?.holderIdentity ?? '', age(lease.metadata?.creationTimestamp, now)],
};
