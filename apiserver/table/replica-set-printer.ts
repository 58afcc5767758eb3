import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn, templateColumns } from './column.js';
import { containersCells } from './containers-cells.js';
import { formatLabelSelector } from './format-selector.js';
import type { Printer } from './types.js';

/**
 * NAME DESIRED CURRENT READY AGE | CONTAINERS IMAGES SELECTOR, the counts as integers:
 *
 *   ['web-7d4b9c', 3, 3, 2, '10m', 'web', 'nginx:1.27', 'app=web,pod-template-hash=7d4b9c']
 */
export const replicaSetPrinter: Printer<ReplicaSet> = {
  columns: [
    nameColumn,
    column('Desired', 'Number of desired pods.', { type: 'integer' }),
    column('Current', 'The most recently observed number of replicas.', { type: 'integer' }),
    column('Ready', 'The number of pods targeted by this ReplicaSet with a Ready condition.', { type: 'integer' }),
    ageColumn,
    ...templateColumns("Label selector for pods; must match the template's labels."),
  ],

  cells: (rs, now) => [
    rs.metadata?.name ?? '',
    rs.spec?.replicas ?? 1, // the server's default
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    age(rs.metadata?.creationTimestamp, now),
    ...containersCells(rs.spec?.template),
    formatLabelSelector(rs.spec?.selector),
  ],
};
