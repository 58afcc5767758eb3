import type { ServiceAccount } from '../../api/schemas/service-account.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

/** NAME SECRETS AGE: `['default', 0, '5d']`. */
export const serviceAccountPrinter: Printer<ServiceAccount> = {
  columns: [nameColumn, column('Secrets', 'The secrets pods running as this account may use.'), ageColumn],
  cells: (sa, now) => [sa.metadata?.name ?? '', (sa.secrets ?? []).length, age(sa.metadata?.creationTimestamp, now)],
};
