import { crashBackoffMs } from './backoff.js';
import { readField } from './field-path.js';
import { CASES } from './placeholders.js';
import { withPodFacts } from './pod-facts.js';
import { renderEachContainer, renderTemplate, type StageContext } from './render-template.js';
import { selectorMatches } from './selector-matches.js';
import type { Stage, StageEvent } from './stage.js';

export type { StageContext } from './render-template.js';

/**
 * What applying a stage asks the caller to do; the engine does no I/O. `patch.status` goes to the
 * status subresource as a JSON merge patch, `patch.metadata` to the object itself.
 */
export type StageResult =
  | { patch: { metadata?: { finalizers: string[] }; status?: Record<string, unknown> }; event?: StageEvent; events?: StageEvent[] }
  | { delete: { gracePeriodSeconds: 0 }; event?: StageEvent; events?: StageEvent[] };

/**
 * The stage to run next for an object, or undefined when none applies. Stages are tried by weight,
 * highest first, and in list order among equal weights; the first whose resource and selector match
 * wins, so the outcome never depends on chance. The resource comes from `obj.kind` (Pod or Node);
 * list items arrive without it, so the caller sets it. Pods are matched with their facts under
 * `.sim` (pod-facts.ts).
 *
 *   matchingStage(defaultStages(), { kind: 'Pod', spec: { nodeName: 'node-1', containers: [] },
 *                                    status: { phase: 'Pending' } })?.name   // 'pod-pending'
 */
export function matchingStage(stages: readonly Stage[], obj: unknown): Stage | undefined {
  const resource = resourceOf(obj);
  if (!resource) return undefined;
  const seen = withPodFacts(obj);
  return byWeight(stages).find((stage) => stage.resource === resource && selectorMatches(stage.selector, seen));
}

// A node simulator asks of the same (frozen) list of stages for every object it looks at: sorted once.
const sorted = new WeakMap<readonly Stage[], readonly Stage[]>();

/** Stages by weight, highest first, in list order among equal weights. */
function byWeight(stages: readonly Stage[]): readonly Stage[] {
  let out = sorted.get(stages);
  if (out) return out;
  out = stages.map((stage, i) => ({ stage, i })).sort((a, b) => (b.stage.weight ?? 0) - (a.stage.weight ?? 0) || a.i - b.i).map(({ stage }) => stage);
  // Only a list no one can change keeps its order: another may be pushed to between calls.
  if (Object.isFrozen(stages)) sorted.set(stages, out);
  return out;
}

/**
 * Turns a stage's `next` into the change to make to `obj`, its placeholders filled from `obj` and
 * `ctx`. Pure: the same stage, object and context always give the same result.
 *
 *   applyStage(podDelete, pod, { now })   // { delete: { gracePeriodSeconds: 0 } }
 */
export function applyStage(stage: Stage, original: unknown, ctx: StageContext): StageResult {
  const obj = withPodFacts(original, ctx.images);
  const event = stage.next.event ? (renderTemplate(stage.next.event, obj, ctx, stage.name) as StageEvent) : undefined;
  const events = (stage.next.events ?? []).flatMap(({ eachContainer, when, ...e }) => {
    if (eachContainer) return renderEachContainer(when ? { [CASES]: [{ when, then: e }] } : e, obj, ctx, stage.name) as StageEvent[];
    return when && !selectorMatches(when, obj) ? [] : [renderTemplate(e, obj, ctx, stage.name) as StageEvent];
  });
  const withEvent = { ...(event ? { event } : {}), ...(events.length ? { events } : {}) };
  if (stage.next.delete) return { delete: { gracePeriodSeconds: 0 }, ...withEvent };
  const patch: { metadata?: { finalizers: string[] }; status?: Record<string, unknown> } = {};
  if (stage.next.finalizers) {
    const current = readField(obj, '.metadata.finalizers');
    const kept = (Array.isArray(current) ? (current as string[]) : []).filter((f) => !stage.next.finalizers?.remove?.includes(f));
    patch.metadata = { finalizers: [...kept, ...(stage.next.finalizers.add ?? []).filter((f) => !kept.includes(f))] };
  }
  if (stage.next.statusPatch) patch.status = renderTemplate(stage.next.statusPatch, obj, ctx, stage.name) as Record<string, unknown>;
  return { patch, ...withEvent };
}

/**
 * How long to wait before applying a stage, in real milliseconds: the stage's delay plus up to
 * `jitterMs`, plus what `secondsFrom` and `backoffFrom` read from the object, divided by the speed
 * (MINIK_SPEED 0.2 makes a 1 s stage take 5 s). `random` is injected so tests are deterministic.
 *
 *   stageDelayMs({ ...stage, delay: { durationMs: 1000, jitterMs: 500 } }, 0.5, () => 0.5)   // 2500
 *   stageDelayMs({ ...stage, delay: { durationMs: 0, backoffFrom: '.restarts' } }, 10, Math.random, { restarts: 2 })   // 2000
 */
export function stageDelayMs(stage: Stage, speed: number, random: () => number = Math.random, obj?: unknown): number {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
  const jitter = Math.round(random() * (stage.delay.jitterMs ?? 0));
  const seen = withPodFacts(obj);
  const number = (path: string | undefined) => {
    const v = path === undefined ? undefined : readField(seen, path);
    return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0;
  };
  const fromSeconds = number(stage.delay.secondsFrom) * 1000;
  const backoff = stage.delay.backoffFrom === undefined ? 0 : crashBackoffMs(number(stage.delay.backoffFrom));
  return (stage.delay.durationMs + jitter + fromSeconds + backoff) / speed;
}

function resourceOf(obj: unknown): Stage['resource'] | undefined {
  const kind = readField(obj, '.kind');
  return kind === 'Pod' ? 'pod' : kind === 'Node' ? 'node' : undefined;
}
