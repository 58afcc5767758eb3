import { resourcePath } from './discovery.js';
import { CtlError } from './errors.js';
import { rawStream } from './raw-stream.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface LogsOptions {
  container?: string;
  follow?: boolean;
  tail?: number;
  previous?: boolean;
  timestamps?: boolean;
}

/** The query of pods/log for kubectl's flags; `--tail=-1` (the default) asks for every line. */
export function logQuery(container: string, o: LogsOptions): Record<string, string | undefined> {
  return {
    container,
    follow: o.follow ? 'true' : undefined,
    tailLines: o.tail !== undefined && o.tail >= 0 ? String(o.tail) : undefined,
    previous: o.previous ? 'true' : undefined,
    timestamps: o.timestamps ? 'true' : undefined,
  };
}

/**
 * The container kubectl reads when `-c` is not given: the one the
 * `kubectl.kubernetes.io/default-container` annotation names, else the first, with a note on
 * stderr when there was a choice.
 *
 *   defaultContainer({ spec: { containers: [{ name: 'web' }, { name: 'log' }] } })
 *     // { name: 'web', note: 'Defaulted container "web" out of: web, log' }
 */
export function defaultContainer(pod: Json): { name: string; note?: string } {
  const names: string[] = (pod.spec?.containers ?? []).map((c: Json) => c.name);
  const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const name = annotated && names.includes(annotated) ? annotated : names[0];
  if (!name) throw new CtlError(`pod ${pod.metadata?.name} has no containers`);
  if (names.length === 1 || annotated === name) return { name };
  const inits: string[] = (pod.spec?.initContainers ?? []).map((c: Json) => `${c.name} (init)`);
  return { name, note: `Defaulted container "${name}" out of: ${[...names, ...inits].join(', ')}` };
}

/**
 * `minikctl logs POD` or `logs deploy/web` (one pod its selector picks, running and ready ones
 * first, as kubectl picks one): the API's pods/log written out as it arrives, following with `-f`.
 */
export async function runLogs(s: Session, args: string[], o: LogsOptions): Promise<number> {
  if (args.length === 0 || args.length > 2) throw new CtlError('expected POD or TYPE/NAME, and optionally a container name');
  const pod = await podFor(s, args[0]!);
  let container = o.container ?? args[1];
  if (!container) {
    const d = defaultContainer(pod);
    if (d.note) s.err(`${d.note}\n`);
    container = d.name;
  }
  const path = `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`;
  const stream = rawStream(s.rest.server, path, logQuery(container, o), (t) => s.out(t));
  await stream.done;
  return 0;
}

async function podFor(s: Session, arg: string): Promise<Json> {
  if (!arg.includes('/')) return s.rest.request<Json>('GET', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(arg)}`);
  const [req] = parseResourceArgs(await s.resources(), [arg]);
  const { resource, names } = req!;
  const obj = await s.rest.request<Json>('GET', resourcePath(resource, s.namespace, names[0]));
  if (resource.kind === 'Pod') return obj;
  const selector = resource.kind === 'Service' ? obj.spec?.selector : obj.spec?.selector?.matchLabels;
  if (!selector || Object.keys(selector).length === 0) throw new CtlError(`cannot get the logs from ${resource.kind}: it selects no pods`);
  const labelSelector = Object.entries<string>(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await s.rest.request<{ items?: Json[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods`, { query: { labelSelector } });
  const pods = (list.items ?? []).filter((p) => !p.metadata?.deletionTimestamp).sort(byReadiness);
  if (pods.length === 0) throw new CtlError(`timed out waiting for the condition`);
  if (pods.length > 1) s.err(`Found ${pods.length} pods, using pod/${pods[0]!.metadata.name}\n`);
  return pods[0]!;
}

/** Running and ready pods first, then the older: the pod kubectl's log command would choose. */
function byReadiness(a: Json, b: Json): number {
  const rank = (p: Json) => (p.status?.phase === 'Running' ? 0 : 1) + ((p.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True') ? 0 : 1);
  return rank(a) - rank(b) || String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) || String(a.metadata?.name).localeCompare(String(b.metadata?.name));
}
