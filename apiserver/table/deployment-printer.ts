import type { Deployment } from '../../api/schemas/workloads.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn, templateColumns } from './column.js';
import { containersCells } from './containers-cells.js';
import { selectorString } from './format-selector.js';
import type { Printer } from './types.js';

/**
 * NAME READY UP-TO-DATE AVAILABLE AGE | CONTAINERS IMAGES SELECTOR. READY is ready/desired;
 * UP-TO-DATE and AVAILABLE are integers although kube-apiserver types their columns "string":
 *
 *   ['web', '2/3', 3, 2, '10m', 'web', 'nginx:1.27', 'app=web']
 */
export const deploymentPrinter: Printer<Deployment> = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available non-terminating pods targeted by this deployment.'),
    ageColumn,
    ...templateColumns("Label selector for pods; must match the template's labels."),
  ],

  cells(d, now) {
    const status = d.status ?? {};
    const desired = d.spec?.replicas ?? 1; // the server's default
    return [
      d.metadata?.name ?? '',
      `${status.readyReplicas ?? 0}/${desired}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      age(d.metadata?.creationTimestamp, now),
      ...containersCells(d.spec?.template),
      // Unlike a ReplicaSet's, an empty selector prints as nothing rather than "<none>".
      selectorString(d.spec?.selector) ?? '<invalid>',
    ];
  },
};
