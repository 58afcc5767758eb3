import { resourcePath } from './discovery.js';
import { CtlError, isNotFound } from './errors.js';
import { rawStream } from './raw-stream.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface LogsOptions {
  container?: string;
  /** `-l app=web`: every pod it selects, in turn (the last 10 lines of each unless --tail says). */
  selector?: string;
  /** `[pod/NAME/CONTAINER] ` before each line. */
  prefix?: boolean;
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
  if (o.selector !== undefined) return logsOfSelected(s, args, o);
  if (args.length === 0 || args.length > 2) throw new CtlError('expected POD or TYPE/NAME, and optionally a container name');
  const pod = await podFor(s, args[0]!);
  let container = o.container ?? args[1];
  if (!container) {
    const d = defaultContainer(pod);
    if (d.note) s.err(`${d.note}\n`);
    container = d.name;
  }
  await writeLogs(s, pod, container, o);
  return 0;
}

/** `minikctl logs -l app=web`: the logs of each pod selected, one after the other, as kubectl prints them. */
async function logsOfSelected(s: Session, args: string[], o: LogsOptions): Promise<number> {
  if (args.length > 0) throw new CtlError("only a selector (-l) or a POD name is allowed\nSee 'minikctl logs -h' for help and examples");
  const list = await s.rest.request<{ items?: Json[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods`, { query: { labelSelector: o.selector } });
  const pods = list.items ?? [];
  if (pods.length === 0) {
    s.err(`No resources found in ${s.namespace} namespace.\n`);
    return 0;
  }
  // kubectl reads only the last 10 lines of each pod when it reads several, unless told.
  const tail = o.tail !== undefined && o.tail >= 0 ? o.tail : 10;
  const logsOf = (pod: Json) => writeLogs(s, pod, o.container ?? defaultContainer(pod).name, { ...o, tail });
  // Followed, every pod's lines as they come; otherwise one pod's after another's, in the list's order.
  if (o.follow) await Promise.all(pods.map(logsOf));
  else for (const pod of pods) await logsOf(pod);
  return 0;
}

/** One container's log, written out as it arrives; with `prefix`, each line names where it came from. */
async function writeLogs(s: Session, pod: Json, container: string, o: LogsOptions): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`;
  let partial = '';
  const lead = `[pod/${pod.metadata.name}/${container}] `;
  const out = o.prefix
    ? (t: string) => {
        const text = partial + t;
        const lines = text.split('\n');
        partial = lines.pop()!;
        if (lines.length > 0) s.out(lines.map((l) => `${lead}${l}\n`).join(''));
      }
    : (t: string) => s.out(t);
  const stream = rawStream(s.rest.server, path, logQuery(container, o), out);
  await stream.done;
  if (o.prefix && partial) s.out(`${lead}${partial}`);
}

/**
 * The pod `logs` (or `exec`) means: a pod by name, or one a workload's or Service's selector picks.
 * `logs` rewords a missing object, naming the namespace it looked in, and says which pod it took
 * when there was a choice; the others, as kubectl's, do neither.
 */
export async function podFor(s: Session, arg: string, asLogs = true): Promise<Json> {
  const notFound = (err: unknown): never => {
    if (asLogs && isNotFound(err)) throw new CtlError(`error from server (NotFound): ${err.message} in namespace "${s.namespace}"`);
    throw err;
  };
  if (!arg.includes('/')) return s.rest.request<Json>('GET', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(arg)}`).catch(notFound);
  const [req] = parseResourceArgs(await s.resources(), [arg]);
  const { resource, names } = req!;
  const obj = await s.rest.request<Json>('GET', resourcePath(resource, s.namespace, names[0])).catch(notFound);
  if (resource.kind === 'Pod') return obj;
  const selector = resource.kind === 'Service' ? obj.spec?.selector : obj.spec?.selector?.matchLabels;
  if (!selector || Object.keys(selector).length === 0) throw new CtlError(`cannot get the logs from ${resource.kind}: it selects no pods`);
  const labelSelector = Object.entries<string>(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await s.rest.request<{ items?: Json[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods`, { query: { labelSelector } });
  const pods = (list.items ?? []).filter((p) => !p.metadata?.deletionTimestamp).sort(byReadiness);
  if (pods.length === 0) throw new CtlError(`timed out waiting for the condition`);
  if (pods.length > 1 && asLogs) s.err(`Found ${pods.length} pods, using pod/${pods[0]!.metadata.name}\n`);
  return pods[0]!;
}

/** Running and ready pods first, then the older: the pod kubectl's log command would choose. */
function byReadiness(a: Json, b: Json): number {
  const rank = (p: Json) => (p.status?.phase === 'Running' ? 0 : 1) + ((p.status?.conditions ?? []).some((c: Json) => c.type === 'Ready' && c.status === 'True') ? 0 : 1);
  return rank(a) - rank(b) || String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) || String(a.metadata?.name).localeCompare(String(b.metadata?.name));
}
