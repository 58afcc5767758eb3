import type { Namespace } from '../../api/schemas/cluster.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

/** NAME STATUS AGE: `['default', 'Active', '4d']`. */
export const namespacePrinter: Printer<Namespace> = {
  columns: [nameColumn, column('Status', 'The status of the namespace'), ageColumn],
  cells: (ns, now) => [
    ns.metadata?.name ?? '',
    ns.status?.phase ?? 'Active', // the server's default for a namespace that reports no phase
    age(ns.metadata?.creationTimestamp, now),
  ],
};
