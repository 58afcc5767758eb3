import type { Node } from '../../api/schemas/cluster.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import type { Printer } from './types.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const LEGACY_ROLE = 'kubernetes.io/role';

/**
 * NAME STATUS ROLES AGE VERSION | INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME:
 *
 *   ['node-1', 'Ready,SchedulingDisabled', 'control-plane', '3d', 'v1.32.0',
 *    '10.0.0.11', '<none>', 'minik', '<unknown>', 'minik://0.1.0']
 */
export const nodePrinter: Printer<Node> = {
  columns: [
    nameColumn,
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    ageColumn,
    column('Version', 'Kubelet version reported by the node.'),
    column('Internal-IP', 'Addresses reachable to the node.', { wide: true }),
    column('External-IP', 'Addresses reachable to the node.', { wide: true }),
    column('OS-Image', 'OS image reported by the node.', { wide: true }),
    column('Kernel-Version', 'Kernel version reported by the node.', { wide: true }),
    column('Container-Runtime', 'Container runtime version reported by the node.', { wide: true }),
  ],

  cells(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata?.name ?? '',
      nodeStatus(node),
      roles(node.metadata?.labels).join(',') || '<none>',
      age(node.metadata?.creationTimestamp, now),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};

/** Ready, NotReady (False or Unknown), or Unknown when the kubelet never reported; then cordoning. */
function nodeStatus(node: Node): string {
  // The last Ready condition wins, as a map keyed by type would keep it.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role=<role>`, sorted. */
function roles(labels: Record<string, string> | undefined): string[] {
  const found = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) found.add(role);
    } else if (k === LEGACY_ROLE && v) {
      found.add(v);
    }
  }
  return [...found].sort();
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? '<none>';
}
