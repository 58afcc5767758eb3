import { isDeepStrictEqual } from 'node:util';
import type { Pod } from '../../api/schemas/pod.js';
import type { Endpoints, Service } from '../../api/schemas/service.js';
import { repackSubsets, type EndpointAddress, type EndpointPort, type EndpointSubset } from './repack.js';
import { OVER_CAPACITY_ANNOTATION, truncateSubsets } from './truncate.js';

/** Set on the Endpoints of a service without a cluster IP (upstream's v1.IsHeadlessService). */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
/** When the change that this Endpoints reflects happened (upstream's v1.EndpointsLastChangeTriggerTime). */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

type ServicePort = NonNullable<NonNullable<Service['spec']>['ports']>[number];

/** What the endpoints controller does for one service key. */
export type EndpointsAction =
  | { type: 'create'; endpoints: Endpoints }
  | { type: 'update'; endpoints: Endpoints }
  | { type: 'delete'; namespace: string; name: string };

export interface EndpointsObserved {
  namespace: string;
  name: string;
  /** The service of that name, if it exists. */
  service: Readonly<Service> | undefined;
  /** Pods of the service's namespace; the planner picks those the selector matches. */
  pods: readonly Readonly<Pod>[];
  /** The Endpoints of that name, if one exists. */
  current: Readonly<Endpoints> | undefined;
  /** The earliest change since the last sync (see trigger-time.ts); the annotation is cleared without one. */
  triggerTime?: string | undefined;
}

/** A service the controller manages: one with a non-empty selector (the others' Endpoints are the user's). */
export function hasSelector(service: Readonly<Service>): boolean {
  return Object.keys(service.spec?.selector ?? {}).length > 0;
}

/** Whether the service's selector picks the pod (same namespace, every selector label equal). */
export function selects(service: Readonly<Service>, pod: Readonly<Pod>): boolean {
  if (!hasSelector(service) || pod.metadata?.namespace !== service.metadata?.namespace) return false;
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(service.spec!.selector!).every(([k, v]) => labels[k] === v);
}

/** Upstream's ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless tolerated. */
export function shouldPodBeInEndpoints(pod: Readonly<Pod>, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIP(pod)) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

export function isPodReady(pod: Readonly<Pod>): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Upstream's FindPort: a numeric targetPort is used as it is; a named one is the container port of
 * that name and protocol (containers, then restartable init containers), or undefined if the pod has none.
 */
export function findPort(pod: Readonly<Pod>, port: Readonly<ServicePort>): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const protocol = port.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => (c as { restartPolicy?: string }).restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/**
 * The subsets a service's Endpoints should have, as upstream's syncService computes them: each
 * selected pod that should be in endpoints, with each service port it has, ready or not ready,
 * repacked and sorted.
 *
 *   service web (selector app=web, port 80 -> targetPort "http"), pods:
 *     a  10.0.0.2  Ready       port http=8080
 *     b  10.0.0.1  not Ready   port http=8080
 *     c  10.0.0.3  Ready       no port named http  -> left out
 *     d  (no IP)                                   -> left out
 *   desiredSubsets(web, pods) = [{
 *     addresses: [{ ip: '10.0.0.2', nodeName, targetRef: { kind: 'Pod', namespace, name: 'a', uid } }],
 *     notReadyAddresses: [{ ip: '10.0.0.1', ... name: 'b' ... }],
 *     ports: [{ port: 8080, protocol: 'TCP' }],
 *   }]
 */
export function desiredSubsets(service: Readonly<Service>, pods: readonly Readonly<Pod>[]): EndpointSubset[] {
  const spec = service.spec ?? {};
  const tolerate = spec.publishNotReadyAddresses === true;
  const ports = spec.ports ?? [];
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!selects(service, pod) || !shouldPodBeInEndpoints(pod, tolerate)) continue;
    const address = addressOf(pod, service);
    const ready = tolerate || isPodReady(pod);
    const add = (port: EndpointPort | undefined) =>
      subsets.push({ ...(ready ? { addresses: [address] } : { notReadyAddresses: [address] }), ...(port ? { ports: [port] } : {}) });
    // A headless service may have no ports: its pods are still listed.
    if (ports.length === 0) {
      if (spec.clusterIP === 'None') add(undefined);
      continue;
    }
    for (const p of ports) {
      const number = findPort(pod, p);
      if (number === undefined) continue;
      add({ ...(p.name ? { name: p.name } : {}), port: number, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
    }
  }
  return repackSubsets(subsets);
}

/**
 * What to do for one key. A service with a selector gets an Endpoints of its name with the desired
 * subsets (cut to 1000 addresses, annotated `endpoints.kubernetes.io/over-capacity: truncated`)
 * and the service's labels, written only when subsets or labels differ; a service without
 * a selector is left alone. With no service the Endpoints is deleted, even if the cache shows none,
 * because the cache may not yet hold an Endpoints this controller has just created.
 */
export function planEndpoints(o: EndpointsObserved): EndpointsAction[] {
  const { service, current } = o;
  if (!service) return [{ type: 'delete', namespace: o.namespace, name: o.name }];
  if (!hasSelector(service)) return [];
  const all = desiredSubsets(service, o.pods);
  const truncated = truncateSubsets(all);
  const subsets = truncated ?? all;
  const labels = { ...(service.metadata?.labels ?? {}) };
  // Upstream compares before truncating, and so rewrites an over-capacity Endpoints on every sync; comparing after does not.
  const overCapacity = current?.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] !== undefined;
  if (
    current &&
    sameSubsets(current.subsets ?? [], subsets) &&
    isDeepStrictEqual(withoutHeadless(current.metadata?.labels), labels) &&
    overCapacity === (truncated !== undefined)
  ) {
    return [];
  }

  const headless = !service.spec?.clusterIP || service.spec.clusterIP === 'None';
  if (headless) labels[HEADLESS_LABEL] = '';
  const annotations = { ...(current?.metadata?.annotations ?? {}) };
  if (o.triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = o.triggerTime;
  else delete annotations[TRIGGER_TIME_ANNOTATION];
  if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  const base = current ? structuredClone(current) as Endpoints : { metadata: { name: o.name, namespace: o.namespace } };
  const endpoints: Endpoints = {
    ...base,
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...base.metadata, labels, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    subsets,
  };
  if (Object.keys(annotations).length === 0) delete endpoints.metadata!.annotations;
  return [{ type: current ? 'update' : 'create', endpoints }];
}

function podIP(pod: Readonly<Pod>): string | undefined {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
}

function addressOf(pod: Readonly<Pod>, service: Readonly<Service>): EndpointAddress {
  const m = pod.metadata ?? {};
  const hostname = pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name ? pod.spec.hostname : undefined;
  return {
    ip: podIP(pod)!,
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid },
  };
}

/** Upstream compares subsets ignoring targetRef.resourceVersion, which it never sets either. */
function sameSubsets(a: readonly Readonly<EndpointSubset>[], b: readonly Readonly<EndpointSubset>[]): boolean {
  const strip = (subsets: readonly Readonly<EndpointSubset>[]) =>
    subsets.map((s) => ({
      addresses: (s.addresses ?? []).map(stripAddress),
      notReadyAddresses: (s.notReadyAddresses ?? []).map(stripAddress),
      ports: s.ports ?? [],
    }));
  return isDeepStrictEqual(strip(a), strip(b));
}

function stripAddress(a: Readonly<EndpointAddress>): EndpointAddress {
  const { resourceVersion: _rv, ...ref } = a.targetRef ?? {};
  return JSON.parse(JSON.stringify({ ...a, targetRef: a.targetRef ? ref : undefined })) as EndpointAddress;
}

/** The headless label is the controller's own, not the service's: it is left out of the comparison. */
function withoutHeadless(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out = { ...(labels ?? {}) };
  delete out[HEADLESS_LABEL];
  return out;
}
