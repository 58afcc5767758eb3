import { describeConfigMap, describeNamespace, describeSecret } from './describe-config.js';
import { describeEndpointSlice } from './describe-endpoint-slice.js';
import { describeEndpoints } from './describe-endpoints.js';
import { describeGeneric } from './describe-generic.js';
import { describeNode } from './describe-node.js';
import { describePod } from './describe-pod.js';
import { describeServiceAccount } from './describe-service-account.js';
import { describeService } from './describe-service.js';
import { describeDeployment, describeReplicaSet } from './describe-workloads.js';
import { DescribeWriter } from './describe-writer.js';
import { eventsFor, writeEvents } from './describe-events.js';
import { apiVersionOf, resourcePath, type ApiResource } from './discovery.js';
import { ApiError, describeError, isNotFound } from './errors.js';
import { lookupResource, parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

/**
 * `minikctl describe TYPE [NAME_PREFIX]`: each object in kubectl's layout for its kind (pods,
 * deployments, replicasets, services, nodes; the others generically), followed by its events.
 * As in kubectl, a name that matches no object exactly describes every object it prefixes, and
 * no name describes them all (those `-l` picks).
 */
export async function runDescribe(s: Session, args: string[], o: { selector?: string; allNamespaces?: boolean }): Promise<number> {
  const resources = await s.resources();
  const requests = args.length === 1 && !args[0]!.includes('/') ? [{ resource: lookupResource(resources, args[0]!), names: [] as string[] }] : parseResourceArgs(resources, args);
  let failed = 0;
  const texts: string[] = [];
  for (const { resource, names } of requests) {
    const ns = resource.namespaced && !o.allNamespaces ? s.namespace : undefined;
    const objects: Json[] = [];
    if (names.length === 0) {
      const list = await s.rest.request<{ items?: Json[] }>('GET', resourcePath(resource, ns), { query: { labelSelector: o.selector } });
      objects.push(...(list.items ?? []));
    }
    for (const name of names) {
      try {
        objects.push(await s.rest.request<Json>('GET', resourcePath(resource, ns, name)));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const list = await s.rest.request<{ items?: Json[] }>('GET', resourcePath(resource, ns));
        const prefixed = (list.items ?? []).filter((i) => String(i.metadata?.name ?? '').startsWith(name));
        if (prefixed.length === 0) {
          failed++;
          s.err(`${describeError(err as ApiError)}\n`);
        }
        objects.push(...prefixed);
      }
    }
    for (const obj of objects) texts.push(await describeOne(s, resource, { apiVersion: apiVersionOf(resource), kind: resource.kind, ...obj }));
  }
  if (texts.length === 0 && failed === 0) s.err(`No resources found${requests.some((r) => r.resource.namespaced) && !o.allNamespaces ? ` in ${s.namespace} namespace` : ''}.\n`);
  s.out(texts.join('\n\n'));
  return failed > 0 ? 1 : 0;
}

async function describeOne(s: Session, resource: ApiResource, obj: Json): Promise<string> {
  const w = new DescribeWriter();
  const ns: string | undefined = obj.metadata?.namespace;
  const list = async (plural: string, namespace: string | undefined, query: Record<string, string> = {}) => {
    const r = (await s.resources()).find((x) => x.name === plural);
    if (!r) return [];
    return (await s.rest.request<{ items?: Json[] }>('GET', resourcePath(r, namespace), { query })).items ?? [];
  };
  switch (resource.group === '' || resource.group === 'apps' || resource.group === 'discovery.k8s.io' ? resource.kind : '') {
    case 'Pod':
      describePod(w, obj);
      break;
    case 'Deployment':
      describeDeployment(w, obj, await list('replicasets', ns));
      break;
    case 'ReplicaSet':
      describeReplicaSet(w, obj, await list('pods', ns));
      break;
    case 'Service': {
      const slices = await list('endpointslices', ns, { labelSelector: `kubernetes.io/service-name=${obj.metadata?.name ?? ''}` }).catch(() => []);
      describeService(w, obj, slices);
      break;
    }
    case 'Node': {
      const name = obj.metadata?.name ?? '';
      const lease = await s.rest
        .request<Json>('GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`)
        .catch(() => undefined);
      describeNode(w, obj, lease, await list('pods', undefined, { fieldSelector: `spec.nodeName=${name}` }), s.now());
      break;
    }
    case 'Endpoints':
      describeEndpoints(w, obj);
      break;
    case 'EndpointSlice':
      describeEndpointSlice(w, obj);
      break;
    case 'ServiceAccount':
      describeServiceAccount(w, obj, await list('secrets', ns));
      break;
    case 'ConfigMap':
      describeConfigMap(w, obj);
      break;
    case 'Secret':
      describeSecret(w, obj);
      return w.text();
    case 'Namespace':
      describeNamespace(w, obj);
      return w.text();
    default:
      describeGeneric(w, obj);
  }
  writeEvents(w, resource.kind === 'Event' ? [] : await eventsFor(s, obj).catch(() => []), s.now());
  return w.text();
}
