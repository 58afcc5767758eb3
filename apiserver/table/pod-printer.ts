import type { Pod } from '../../api/schemas/pod.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import { podSummary } from './pod-summary.js';
import type { Printer, TableRowCondition } from './types.js';

/**
 * NAME READY STATUS RESTARTS AGE | IP NODE NOMINATED NODE READINESS GATES:
 *
 *   ['web-1', '1/1', 'Running', '0', '5s', '10.1.0.5', 'node-1', '<none>', '<none>']
 */
export const podPrinter: Printer<Pod> = {
  columns: [
    nameColumn,
    column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn,
    column('IP', 'The IP address allocated to the pod.', { wide: true }),
    column('Node', 'The node the pod is bound to; set by the scheduler.', { wide: true }),
    column('Nominated Node', 'The node the scheduler expects the pod to run on once preemption frees room.', { wide: true }),
    column('Readiness Gates', 'Extra conditions the pod must meet to be ready: met/all.', { wide: true }),
  ],

  cells(pod, now) {
    const { ready, status, restarts } = podSummary(pod, now);
    // Pods written by older clients carry podIP alone; the server reads it as podIPs[0].
    const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP;
    return [
      pod.metadata?.name ?? '',
      ready,
      status,
      restarts,
      age(pod.metadata?.creationTimestamp, now),
      ip || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },

  conditions(pod) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded') return [completed('Succeeded', 'The pod has completed successfully.')];
    if (phase === 'Failed') return [completed('Failed', 'The pod failed.')];
    return undefined;
  },
};

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

function completed(reason: string, message: string): TableRowCondition {
  return { type: 'Completed', status: 'True', reason, message };
}
