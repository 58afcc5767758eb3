import type { ConfigMap } from '../../api/schemas/config.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

/** NAME DATA AGE, DATA counting text and binary keys together: `['settings', 3, '1h']`. */
export const configMapPrinter: Printer<ConfigMap> = {
  columns: [nameColumn, column('Data', 'The number of keys in data and binaryData.'), ageColumn],
  cells: (cm, now) => [
    cm.metadata?.name ?? '',
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    age(cm.metadata?.creationTimestamp, now),
  ],
};
