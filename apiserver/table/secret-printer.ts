import type { Secret } from '../../api/schemas/config.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

/** NAME TYPE DATA AGE: `['db-password', 'Opaque', 1, '7m']`. */
export const secretPrinter: Printer<Secret> = {
  columns: [
    nameColumn,
    column('Type', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'The number of keys in data.'),
    ageColumn,
  ],
  cells: (secret, now) => [
    secret.metadata?.name ?? '',
    secret.type || 'Opaque', // the server's default
    // stringData is write-only: by the time a secret is stored it has been merged into data.
    Object.keys(secret.data ?? {}).length,
    age(secret.metadata?.creationTimestamp, now),
  ],
};
