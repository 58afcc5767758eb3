import type { Pod } from '../../api/schemas/pod.js';
import type { ReplicaSet } from '../../api/schemas/workloads.js';
import { newControllerRef } from './controller-ref.js';
import { ownerOf } from './plan.js';
import { jsonCopy } from '../../api/json-copy.js';

/** A name prefix is a DNS subdomain too: upstream drops the dash when `<name>-` would be too long. */
const MAX_NAME = 253;

/**
 * upstream's GetPodFromTemplate: the pod a ReplicaSet creates, named by the server from
 * `<rs-name>-`, with the template's labels, annotations, finalizers and spec, and a controller
 * reference to the ReplicaSet.
 *
 *   podFromTemplate(rs web (uid u1), template { labels {app: web}, spec S })
 *     = { metadata: { generateName: 'web-', namespace, labels: {app: web},
 *                     ownerReferences: [{ apps/v1 ReplicaSet web u1, controller, blockOwnerDeletion }] },
 *         spec: S }
 */
export function podFromTemplate(rs: Readonly<ReplicaSet>): Pod {
  const name = rs.metadata?.name ?? '';
  const meta = rs.spec?.template?.metadata;
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: name.length + 1 > MAX_NAME ? name : `${name}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...meta?.labels },
      ownerReferences: [newControllerRef(ownerOf(rs))],
    },
    spec: jsonCopy(rs.spec?.template?.spec ?? { containers: [] }),
  };
  if (meta?.annotations) pod.metadata!.annotations = { ...meta.annotations };
  if (meta?.finalizers) pod.metadata!.finalizers = [...meta.finalizers];
  return pod;
}
