import { isIPv4 } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { Endpoint, EndpointPort, EndpointSlice } from '../../api/schemas/discovery.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';
import { findPort, hasSelector, HEADLESS_LABEL, isPodReady, selects, shouldPodBeInEndpoints } from '../endpoints/plan.js';

/** Which Service a slice belongs to (upstream's discovery.LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
/** Which controller manages a slice (upstream's discovery.LabelManagedBy). */
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
/** Upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

export type SliceAction =
  | { type: 'create'; slice: EndpointSlice }
  | { type: 'update'; slice: EndpointSlice }
  | { type: 'delete'; namespace: string; name: string };

export interface SlicesObserved {
  service: Readonly<Service>;
  /** Pods of the service's namespace; the planner picks those the selector matches. */
  pods: readonly Readonly<Pod>[];
  /** The slices this controller manages for the service. */
  slices: readonly Readonly<EndpointSlice>[];
  maxEndpointsPerSlice?: number;
}

/** Whether the slice is one this controller keeps for the named service. */
export function isManagedSliceOf(slice: Readonly<EndpointSlice>, namespace: string, service: string): boolean {
  const labels = slice.metadata?.labels ?? {};
  return slice.metadata?.namespace === namespace && labels[SERVICE_NAME_LABEL] === service && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME;
}

interface Desired {
  /** The port set the endpoint's slice must carry: the service's ports as this pod resolves them. */
  ports: EndpointPort[];
  endpoint: Endpoint;
}

/**
 * What to do for one Service, as upstream's EndpointSlice reconciler does it: every selected pod
 * with an IP that has not finished is an endpoint (terminating ones too, marked so); endpoints
 * whose pods resolve the service's ports alike share slices of at most 100; a slice keeps the
 * endpoints it had that are still wanted, updated in place, and has room filled before a new slice
 * is made; a slice left empty goes. A service with no endpoints keeps one empty placeholder
 * slice. Slices are written only when they change; a service without a selector is left alone.
 *
 *   service web (app=web, port http 80 -> 8080); pods web-1 (Ready, 10.244.1.5), web-2 (starting)
 *   -> create web-xxxxx: IPv4, ports [http 8080/TCP],
 *        endpoints [10.244.1.5 ready, 10.244.2.7 not ready]
 */
export function planSlices(o: SlicesObserved): SliceAction[] {
  const { service } = o;
  if (!hasSelector(service)) return [];
  const max = o.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
  const byPorts = new Map<string, { ports: EndpointPort[]; endpoints: Map<string, Endpoint> }>();
  const pods = [...o.pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of pods) {
    const d = desiredOf(service, pod);
    if (!d) continue;
    const key = JSON.stringify(d.ports);
    let group = byPorts.get(key);
    if (!group) byPorts.set(key, (group = { ports: d.ports, endpoints: new Map() }));
    group.endpoints.set(identity(d.endpoint), d.endpoint);
  }

  const labels = sliceLabels(service);
  const owner = ownerOf(service);
  const existing = [...o.slices].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const creates: EndpointSlice[] = [];
  const updates: EndpointSlice[] = [];
  const deletes: Array<Readonly<EndpointSlice>> = [];

  for (const [key, group] of byPorts) {
    const mine = existing.filter((s) => JSON.stringify(portsOf(s)) === key);
    const wanted = group.endpoints;
    const placed = new Set<string>();
    const kept = mine.map((s) => {
      const endpoints: Endpoint[] = [];
      for (const e of s.endpoints ?? []) {
        const id = identity(e);
        const next = wanted.get(id);
        if (next && !placed.has(id) && endpoints.length < max) {
          endpoints.push(next);
          placed.add(id);
        }
      }
      return { slice: s, endpoints };
    });
    const rest = [...wanted].filter(([id]) => !placed.has(id)).map(([, e]) => e);
    for (const k of kept) while (rest.length > 0 && k.endpoints.length > 0 && k.endpoints.length < max) k.endpoints.push(rest.shift()!);
    for (const k of kept) {
      if (k.endpoints.length === 0 && rest.length > 0) k.endpoints.push(...rest.splice(0, max));
      if (k.endpoints.length === 0) deletes.push(k.slice);
      else {
        const next = withContent(k.slice, labels, owner, group.ports, k.endpoints);
        if (!sameSlice(k.slice, next)) updates.push(next);
      }
    }
    while (rest.length > 0) creates.push(newSlice(service, labels, owner, group.ports, rest.splice(0, max)));
  }
  for (const s of existing) if (!byPorts.has(JSON.stringify(portsOf(s)))) deletes.push(s);

  // With no endpoints at all, one empty slice stays, so readers see the service is managed.
  if (creates.length === 0 && updates.length === 0 && deletes.length === existing.length) {
    const placeholder = deletes.find((s) => (s.endpoints ?? []).length === 0 && portsOf(s).length === 0);
    if (placeholder) {
      deletes.splice(deletes.indexOf(placeholder), 1);
      const next = withContent(placeholder, labels, owner, [], []);
      if (!sameSlice(placeholder, next)) updates.push(next);
    } else creates.push(newSlice(service, labels, owner, [], []));
  }

  return [
    ...updates.map((slice): SliceAction => ({ type: 'update', slice })),
    ...creates.map((slice): SliceAction => ({ type: 'create', slice })),
    ...deletes.map((s): SliceAction => ({ type: 'delete', namespace: s.metadata?.namespace ?? '', name: s.metadata?.name ?? '' })),
  ];
}

/** Upstream's podToEndpoint and getEndpointPorts, for a pod the service selects that belongs in endpoints. */
function desiredOf(service: Readonly<Service>, pod: Readonly<Pod>): Desired | undefined {
  if (!selects(service, pod) || !shouldPodBeInEndpoints(pod, true)) return undefined;
  const ip = pod.status?.podIP || pod.status?.podIPs?.[0]?.ip;
  if (!ip || !isIPv4(ip)) return undefined;
  const ports: EndpointPort[] = [];
  for (const p of service.spec?.ports ?? []) {
    const port = findPort(pod, p);
    if (port === undefined) continue;
    ports.push({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) });
  }
  const publish = service.spec?.publishNotReadyAddresses === true;
  const serving = publish || isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const m = pod.metadata ?? {};
  const hostname = pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name ? pod.spec.hostname : undefined;
  const endpoint: Endpoint = {
    addresses: [ip],
    // Ready is never true while terminating, unless the service publishes not-ready addresses.
    conditions: { ready: publish || (serving && !terminating), serving, terminating },
    ...(hostname ? { hostname } : {}),
    targetRef: { kind: 'Pod', namespace: m.namespace, name: m.name, uid: m.uid },
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
  return { ports, endpoint };
}

/** An endpoint is its pod; one without a reference is its address. */
function identity(e: Readonly<Endpoint>): string {
  return e.targetRef?.uid ? `uid:${e.targetRef.uid}` : `ip:${e.addresses?.[0] ?? ''}`;
}

/** A slice's ports as the controller writes them, so that a port set compares as the same key. */
function portsOf(s: Readonly<EndpointSlice>): EndpointPort[] {
  return (s.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', ...(p.port !== undefined ? { port: p.port } : {}), ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
}

/** The service's labels, less the two the controller sets, plus those two and the headless mark. */
function sliceLabels(service: Readonly<Service>): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  delete labels[SERVICE_NAME_LABEL];
  delete labels[MANAGED_BY_LABEL];
  if (service.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata?.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

type OwnerReference = NonNullable<NonNullable<EndpointSlice['metadata']>['ownerReferences']>[number];

function ownerOf(service: Readonly<Service>): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: service.metadata?.name ?? '', uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function newSlice(service: Readonly<Service>, labels: Record<string, string>, owner: OwnerReference, ports: EndpointPort[], endpoints: Endpoint[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: `${service.metadata?.name ?? ''}-`, namespace: service.metadata?.namespace ?? '', labels, ownerReferences: [owner] },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function withContent(s: Readonly<EndpointSlice>, labels: Record<string, string>, owner: OwnerReference, ports: EndpointPort[], endpoints: Endpoint[]): EndpointSlice {
  const others = (s.metadata?.ownerReferences ?? []).filter((r) => r.uid !== owner.uid);
  return { ...s, metadata: { ...s.metadata, labels, ownerReferences: [...others, owner] }, endpoints, ports } as EndpointSlice;
}

/** What the controller owns of a slice: its labels, owner, ports and endpoints. */
function sameSlice(a: Readonly<EndpointSlice>, b: Readonly<EndpointSlice>): boolean {
  const view = (s: Readonly<EndpointSlice>) => [
    s.metadata?.labels ?? {},
    (s.metadata?.ownerReferences ?? []).map((r) => [r.kind, r.name, r.uid, r.controller === true]),
    portsOf(s),
    JSON.parse(JSON.stringify(s.endpoints ?? [])),
  ];
  return isDeepStrictEqual(view(a), view(b));
}
