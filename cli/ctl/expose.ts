import { createGenerated, type CreateOutput } from './create-generators.js';
import { resourcePath } from './discovery.js';
import { CtlError } from './errors.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface ExposeOptions extends CreateOutput {
  port?: string;
  targetPort?: string;
  type?: string;
  name?: string;
  protocol?: string;
  selector?: string;
}

/** The selector to expose: a workload's matchLabels, a pod's labels, a service's selector. */
function selectorOf(obj: Json, kind: string): Record<string, string> {
  if (kind === 'Pod') return obj.metadata?.labels ?? {};
  if (kind === 'Service') return obj.spec?.selector ?? {};
  const sel = obj.spec?.selector ?? {};
  if ((sel.matchExpressions ?? []).length > 0) throw new CtlError(`couldn't retrieve selectors via --selector flag or introspection: the ${kind} has match expressions, which a Service cannot select by`);
  return sel.matchLabels ?? {};
}

/** The container ports of what is exposed, for a `kubectl expose` without `--port`. */
function containerPorts(obj: Json, kind: string): Json[] {
  const spec = kind === 'Pod' ? obj.spec : kind === 'Service' ? undefined : obj.spec?.template?.spec;
  if (kind === 'Service') return (obj.spec?.ports ?? []).map((p: Json) => ({ containerPort: p.port, protocol: p.protocol }));
  return (spec?.containers ?? []).flatMap((c: Json) => c.ports ?? []);
}

/**
 * The Service `kubectl expose` makes for an object: its name and labels, the object's selector,
 * the port (or every container port when none is given) with the target port defaulting to it.
 *
 *   exposeService({ metadata: { name: 'web', labels: { app: 'web' } }, spec: { selector: { matchLabels: { app: 'web' } } } },
 *                 'Deployment', { port: '80', targetPort: '8080' })
 *     // { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
 *     //   spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' } },
 *     //   status: { loadBalancer: {} } }
 */
export function exposeService(obj: Json, kind: string, o: ExposeOptions): Json {
  const selector = o.selector ? Object.fromEntries(o.selector.split(',').map((p) => p.split('=', 2) as [string, string])) : selectorOf(obj, kind);
  if (Object.keys(selector).length === 0) throw new CtlError(`couldn't retrieve selectors via --selector flag or introspection: the ${kind} selects nothing`);
  const protocol = o.protocol ?? 'TCP';
  const target = (v: string | number) => (typeof v === 'number' || /^\d+$/.test(v) ? Number(v) : v);
  let ports: Json[];
  if (o.port) {
    ports = o.port.split(',').map((p) => ({ port: Number(p), protocol, targetPort: target(o.targetPort ?? p) }));
    if (ports.some((p) => !Number.isInteger(p.port) || p.port < 1 || p.port > 65535)) throw new CtlError(`invalid port: ${o.port}`);
  } else {
    const found = containerPorts(obj, kind);
    if (found.length === 0) throw new CtlError(`couldn't find port via --port flag or introspection`);
    ports = found.map((p) => ({ port: p.containerPort, protocol: p.protocol ?? protocol, targetPort: target(o.targetPort ?? p.containerPort) }));
  }
  if (ports.length > 1) ports = ports.map((p, i) => ({ name: `port-${i + 1}`, ...p }));
  const type = o.type ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) throw new CtlError(`invalid service type: ${type}`);
  const labels = obj.metadata?.labels;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: o.name ?? obj.metadata?.name, creationTimestamp: null, ...(labels ? { labels } : {}) },
    spec: { ports, selector, ...(o.type ? { type } : {}) },
    status: { loadBalancer: {} },
  };
}

/** `minikctl expose deploy/web --port=80`: `service/web exposed` (or the Service with `-o`, `--dry-run`). */
export async function runExpose(s: Session, args: string[], o: ExposeOptions): Promise<number> {
  const requests = parseResourceArgs(await s.resources(), args);
  const req = requests[0];
  if (!req || requests.length !== 1 || req.names.length !== 1) throw new CtlError('expose requires exactly one resource: TYPE NAME or TYPE/NAME');
  if (!['Deployment', 'ReplicaSet', 'Pod', 'Service'].includes(req.resource.kind)) throw new CtlError(`cannot expose a ${req.resource.kind}`);
  const obj = await s.rest.request<Json>('GET', resourcePath(req.resource, s.namespace, req.names[0]));
  return createGenerated(s, exposeService(obj, req.resource.kind, o), o, { verb: 'exposed' });
}
