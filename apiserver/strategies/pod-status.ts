import { isIP } from 'node:net';
import { validateDns1123Subdomain } from '../../api/names.js';
import type { ContainerStatus, PodSpec, PodStatus } from '../../api/schemas/pod.js';
import { fieldError, type FieldError } from '../errors.js';
import type { KubeObject } from '../watch-cache.js';

const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/**
 * The rules upstream's ValidatePodStatusUpdate holds a pod's status to, of those minik's pods can
 * break: a nominated node must be a valid node name, the pod and host IPs must be IPs, and a
 * container that finished for good stays finished:
 *
 *   // restartPolicy Never; web's container terminated with exit code 0, now sent as running:
 *   validatePodStatusUpdate(withRunning, finished)
 *     // [status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state]
 */
export function validatePodStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const status = (obj.status ?? {}) as PodStatus;
  const before = (old.status ?? {}) as PodStatus;
  const spec = (old.spec ?? {}) as PodSpec;
  const out: FieldError[] = [];
  const nominated = status.nominatedNodeName;
  if (nominated && nominated !== before.nominatedNodeName) {
    for (const msg of validateDns1123Subdomain(nominated)) out.push(fieldError.invalid('status.nominatedNodeName', nominated, msg));
  }
  const restartableInit = new Set((spec.initContainers ?? []).filter((c) => (c as { restartPolicy?: string }).restartPolicy === 'Always').map((c) => c.name));
  out.push(...stateTransitions(status.containerStatuses, before.containerStatuses, 'status.containerStatuses', spec.restartPolicy, new Set()));
  out.push(...stateTransitions(status.initContainerStatuses, before.initContainerStatuses, 'status.initContainerStatuses', spec.restartPolicy, restartableInit));
  out.push(...ips(status.podIPs, status.podIP, 'status.podIPs'));
  out.push(...ips(status.hostIPs, status.hostIP, 'status.hostIPs'));
  return out;
}

/**
 * ValidateContainerStateTransition: unless the pod restarts always, a container that terminated
 * may not be sent back to waiting or running, but for one that failed under OnFailure, or a
 * sidecar (an init container that restarts always). The error names the old status's index.
 */
function stateTransitions(
  now: readonly ContainerStatus[] | undefined,
  was: readonly ContainerStatus[] | undefined,
  path: string,
  policy: string | undefined,
  restartable: ReadonlySet<string>,
): FieldError[] {
  if (policy === undefined || policy === 'Always') return [];
  const out: FieldError[] = [];
  (was ?? []).forEach((old, i) => {
    const terminated = old.state?.terminated;
    if (!terminated) return;
    if (terminated.exitCode !== 0 && policy === 'OnFailure') return;
    if (restartable.has(old.name)) return;
    for (const s of now ?? []) {
      if (s.name === old.name && !s.state?.terminated) out.push(fieldError.forbidden(`${path}[${i}].state`, 'may not be transitioned to non-terminated state'));
    }
  });
  return out;
}

/** Each of the IPs must be one; the v1 API's single field stands for the list when the list is not sent. */
function ips(list: readonly { ip: string }[] | undefined, single: string | undefined, path: string): FieldError[] {
  const all = list && list.length > 0 ? list.map((p) => p.ip) : single ? [single] : [];
  return all.flatMap((ip, i) => (isIP(ip) === 0 ? [fieldError.invalid(`${path}[${i}]`, ip, INVALID_IP)] : []));
}
