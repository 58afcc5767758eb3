import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../api/log.js';
import { resolveResource } from '../api/resources.js';
import { ApiError } from './errors.js';
import type { Registry } from './registry.js';
import { cidrRange, intToIpv4 } from './service-ranges.js';
import type { KubeObject } from './watch-cache.js';

const services = resolveResource('services')!;
const endpoints = resolveResource('endpoints')!;
const slices = resolveResource('endpointslices')!;
const NAME = 'kubernetes';
const LABELS = { component: 'apiserver', provider: 'kubernetes' };

/**
 * The `kubernetes` Service in `default`, as kube-apiserver keeps it: the first IP of the service
 * range, port 443 to the API server, with an Endpoints and an EndpointSlice of its own naming the
 * API server's address (this one alone; a cluster of API servers would reconcile through Leases).
 * Every cluster has it, and every `kubectl get services` shows it; pods find the API through it.
 * Made at every start: what exists is put right, what is missing is created.
 */
export async function ensureKubernetesService(registry: Registry, o: { serviceCidr: string; host: string; port: number; log?: Logger }): Promise<void> {
  const ip = !o.host || o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host;
  const service = {
    metadata: { name: NAME, namespace: 'default', labels: LABELS },
    spec: { type: 'ClusterIP', clusterIP: intToIpv4(cidrRange(o.serviceCidr).first), sessionAffinity: 'None', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.port }] },
  };
  // The service keeps the IP it was given; only its ports follow the API server.
  await put(registry, services, service, (live) => ({ ...live, spec: { ...(live.spec as object), ports: service.spec.ports } }));
  await put(registry, endpoints, { metadata: { name: NAME, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port: o.port, protocol: 'TCP' }] }] });
  await put(registry, slices, {
    metadata: { name: NAME, namespace: 'default', labels: { 'kubernetes.io/service-name': NAME } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: o.port, protocol: 'TCP' }],
  });
  o.log?.info({ service: `${intToIpv4(cidrRange(o.serviceCidr).first)}:443`, endpoint: `${ip}:${o.port}` }, 'kubernetes service ensured');
}

/**
 * Creates the object, or updates the one there when what `want` names differs from it: its fields
 * and labels (or, with `merge`, what `merge(live)` makes of it).
 */
async function put(registry: Registry, r: typeof services, want: KubeObject, merge?: (live: KubeObject) => KubeObject): Promise<void> {
  const meta = want.metadata as { name: string; namespace: string; labels?: Record<string, string> };
  try {
    await registry.create(r, meta.namespace, want);
    return;
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
  const live = await registry.get(r, meta.namespace, meta.name);
  const liveMeta = live.metadata as { labels?: Record<string, string> };
  const next: KubeObject = merge ? merge(live) : { ...live, ...want, metadata: { ...liveMeta, labels: meta.labels } };
  if (isDeepStrictEqual(next, live)) return;
  await registry.update(r, meta.namespace, meta.name, next);
}
