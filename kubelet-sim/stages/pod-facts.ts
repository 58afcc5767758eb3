import { imagePullPolicyFor } from '../../apiserver/strategies/pod.js';
import { imagePullError } from './image-pull.js';

/**
 * What stages need to know about a pod that its fields do not say outright, derived from the pod
 * alone (annotations, images, statuses) and put under `.sim`, beside the `sim.configError` the
 * simulator adds from its caches. Stages select on these facts and fill placeholders from them, so
 * the decisions stay data; nothing under `.sim` is ever written to the API.
 *
 *   podFacts({ metadata: { annotations: { 'minik.dev/crash': '5' } }, spec: { containers: [{ name: 'c', image: 'nginx:missing' }] } })
 *   // { exit: { afterSeconds: 5, exitCode: 1 },
 *   //   imagePull: { container: 'c', image: 'nginx:missing', message: 'rpc error: code = NotFound desc = ...' } }
 *
 * - `exit`: the containers will exit with an error, `afterSeconds` after the pod is Ready:
 *   `minik.dev/crash: "<seconds>"` (exit code 1, or `minik.dev/exit-code` when that is non-zero), or a
 *   pod meant to finish (`minik.dev/completes: "true"`, restartPolicy Never or OnFailure) whose
 *   `minik.dev/exit-code` is non-zero, 5 s after Ready as a successful one would complete.
 * - `imagePull`: the first app container whose image cannot be pulled (see image-pull.ts), and the
 *   waiting reason it shows now.
 * - `initContainer`: the init container to run next (the first not yet Completed), whether it is
 *   running, whether it is the last, every incomplete one's name as kubelet lists them, and
 *   whether its image is `present` on the node already (as for an app container, below).
 * - `readiness`: some app container has a readiness probe, so the pod is Ready only once the probes
 *   pass, the longest `initialDelaySeconds` after its start. Without one a kubelet reports a running
 *   container ready at once, in the same status as Running.
 */
export interface PodFacts {
  exit?: { afterSeconds: number; exitCode: number };
  imagePull?: { container: string; image: string; message: string; waiting?: string };
  initContainer?: { name: string; image: string; index: number; last: boolean; running: boolean; incomplete: string; present?: boolean };
  readiness?: { initialDelaySeconds: number };
}

export const CRASH = 'minik.dev/crash';
export const EXIT_CODE = 'minik.dev/exit-code';
export const COMPLETES = 'minik.dev/completes';
const COMPLETE_AFTER_SECONDS = 5;

interface Container {
  name?: string;
  image?: string;
  readinessProbe?: { initialDelaySeconds?: number };
}
interface ContainerStatus {
  name?: string;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { exitCode?: number } };
}
interface PodLike {
  metadata?: { annotations?: Record<string, string> };
  spec?: { restartPolicy?: string; containers?: Container[]; initContainers?: Container[] };
  status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
}

export function podFacts(obj: unknown, nodeImages: readonly string[] = []): PodFacts {
  const pod = (obj ?? {}) as PodLike;
  const facts: PodFacts = {};
  const exit = exitFact(pod);
  if (exit) facts.exit = exit;
  const imagePull = imagePullFact(pod);
  if (imagePull) facts.imagePull = imagePull;
  const init = initFact(pod, nodeImages);
  if (init) facts.initContainer = init;
  const readiness = readinessFact(pod);
  if (readiness) facts.readiness = readiness;
  return facts;
}

/** The pod with its facts merged into `.sim`; other kinds, and pods with no facts, come back as they are. */
export function withPodFacts<T>(obj: T, nodeImages?: readonly string[]): T {
  if ((obj as { kind?: unknown } | null)?.kind !== 'Pod') return obj;
  const facts = podFacts(obj, nodeImages);
  if (Object.keys(facts).length === 0) return obj;
  const sim = (obj as { sim?: Record<string, unknown> }).sim;
  return { ...obj, sim: { ...sim, ...facts } };
}

/**
 * What a `$eachContainer` or `$eachInitContainer` template sees as `container`: the spec container,
 * its current status as `status`, and per-container facts as `sim` (`pullError`; `present` when the
 * node holds its image already and its pull policy does not ask for a pull anyway, as
 * IfNotPresent and Never do; and `next` for the init container that runs next).
 */
export function containerScope(obj: unknown, container: Record<string, unknown>, init: boolean, nodeImages: readonly string[] = []): Record<string, unknown> {
  const pod = (obj ?? {}) as PodLike;
  const statuses = (init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses) ?? [];
  const status = statuses.find((s) => s.name === container.name);
  const sim: Record<string, unknown> = {};
  const pullError = typeof container.image === 'string' ? imagePullError(container.image) : undefined;
  if (pullError) sim.pullError = pullError;
  if (presentOn(nodeImages, container)) sim.present = true;
  if (init && initFact(pod, nodeImages)?.name === container.name) sim.next = true;
  return { ...container, ...(status ? { status } : {}), sim };
}

/** Whether a container starts from an image its node holds, without pulling it again. */
function presentOn(nodeImages: readonly string[], container: { image?: unknown; imagePullPolicy?: unknown }): boolean {
  return typeof container.image === 'string' && nodeImages.includes(container.image) && (typeof container.imagePullPolicy === 'string' ? container.imagePullPolicy : imagePullPolicyFor(container.image)) !== 'Always';
}

function exitFact(pod: PodLike): PodFacts['exit'] {
  const a = pod.metadata?.annotations ?? {};
  const code = parseExitCode(a[EXIT_CODE]);
  const crash = parseSeconds(a[CRASH]);
  if (crash !== undefined) return { afterSeconds: crash, exitCode: code ?? 1 };
  const finishes = a[COMPLETES] === 'true' && (pod.spec?.restartPolicy === 'Never' || pod.spec?.restartPolicy === 'OnFailure');
  if (finishes && code !== undefined) return { afterSeconds: COMPLETE_AFTER_SECONDS, exitCode: code };
  return undefined;
}

function imagePullFact(pod: PodLike): PodFacts['imagePull'] {
  for (const c of pod.spec?.containers ?? []) {
    const message = c.image ? imagePullError(c.image) : undefined;
    if (!message || !c.name || !c.image) continue;
    const waiting = pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state?.waiting?.reason;
    return { container: c.name, image: c.image, message, ...(waiting ? { waiting } : {}) };
  }
  return undefined;
}

function initFact(pod: PodLike, nodeImages: readonly string[]): PodFacts['initContainer'] {
  const inits = pod.spec?.initContainers ?? [];
  const statuses = pod.status?.initContainerStatuses ?? [];
  const done = (c: Container) => statuses.find((s) => s.name === c.name)?.state?.terminated?.exitCode === 0;
  const index = inits.findIndex((c) => !done(c));
  const next = inits[index];
  if (!next?.name) return undefined;
  const running = statuses.find((s) => s.name === next.name)?.state?.running !== undefined;
  const incomplete = inits.filter((c) => !done(c)).map((c) => c.name).join(' ');
  return { name: next.name, image: next.image ?? '', index, last: index === inits.length - 1, running, incomplete, ...(presentOn(nodeImages, next) ? { present: true } : {}) };
}

function readinessFact(pod: PodLike): PodFacts['readiness'] {
  const probes = (pod.spec?.containers ?? []).flatMap((c) => (c.readinessProbe ? [c.readinessProbe] : []));
  if (probes.length === 0) return undefined;
  const delay = (p: { initialDelaySeconds?: number }) => (Number.isInteger(p.initialDelaySeconds) && p.initialDelaySeconds! > 0 ? p.initialDelaySeconds! : 0);
  return { initialDelaySeconds: Math.max(...probes.map(delay)) };
}

// A crash delay is seconds, as the annotation says; anything that is not a number is ignored
// rather than guessed at, so a typo leaves the pod healthy instead of crashing it at once.
function parseSeconds(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function parseExitCode(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*\d{1,3}\s*$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 && n <= 255 ? n : undefined;
}
