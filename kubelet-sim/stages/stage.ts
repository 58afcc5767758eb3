import { z } from 'zod';
import { parseFieldPath } from './field-path.js';
import { CASES, EACH_CONTAINER, EACH_INIT_CONTAINER, PLACEHOLDER, placeholderProblem } from './placeholders.js';

/**
 * One simulated step of a pod's or node's life, as data: when the selector matches an object, wait
 * the delay, then do `next`. Modelled on KWOK's Stage, trimmed to what minik simulates.
 *
 *   name: pod-ready
 *   resource: pod
 *   selector:
 *     matchExpressions:
 *       - { key: .metadata.deletionTimestamp, operator: DoesNotExist }
 *       - { key: .status.phase, operator: In, values: [Running] }
 *       - { key: '.status.conditions[type=Ready].status', operator: In, values: ['False'] }
 *   delay: { durationMs: 1000 }
 *   next:
 *     statusPatch: { conditions: [{ type: Ready, status: 'True', lastTransitionTime: '{{now}}' }] }
 *     event: { type: Normal, reason: Ready, message: 'Pod is ready' }
 *
 * A delay may also depend on the object: `secondsFrom` adds the number of seconds a field holds
 * (a crash annotation), `backoffFrom` the kubelet's crash back-off for the restart count a field
 * holds (backoff.ts). `events` lists more events after `event`; one with `eachContainer: true` is
 * written once per app container, with `{{container.*}}` placeholders, and one with a `when`
 * selector only where it matches (the container, for `eachContainer`: `.sim.present` is its image
 * already on the node).
 */

const FieldPath = z.string().superRefine((path, ctx) => {
  try {
    parseFieldPath(path);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
  }
});

const Expression = z
  .strictObject({
    key: FieldPath,
    operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
    values: z.array(z.string()).optional(),
  })
  .superRefine((e, ctx) => {
    const wantsValues = e.operator === 'In' || e.operator === 'NotIn';
    if (wantsValues && !e.values?.length) ctx.addIssue({ code: 'custom', path: ['values'], message: `${e.operator} needs at least one value` });
    if (!wantsValues && e.values !== undefined) ctx.addIssue({ code: 'custom', path: ['values'], message: `${e.operator} takes no values` });
  });

const StringMap = z.record(z.string(), z.string());

export const StageSelector = z.strictObject({
  matchExpressions: z.array(Expression).optional(),
  matchLabels: StringMap.optional(),
  matchAnnotations: StringMap.optional(),
});
export type StageSelector = z.infer<typeof StageSelector>;

export const StageEvent = z.strictObject({
  type: z.enum(['Normal', 'Warning']),
  reason: z.string().min(1),
  message: z.string(),
});
export type StageEvent = z.infer<typeof StageEvent>;

/**
 * An event a stage writes: once, or once per app container (`eachContainer`), and only where `when`
 * matches the object (for `eachContainer`, the container as `$eachContainer` sees it).
 */
const StageEventTemplate = z.strictObject({ ...StageEvent.shape, eachContainer: z.boolean().optional(), when: StageSelector.optional() });
export type StageEventTemplate = z.infer<typeof StageEventTemplate>;

const StatusPatch = z.record(z.string(), z.unknown()).superRefine((patch, ctx) => checkTemplate(patch, [], false, ctx));

const Next = z
  .strictObject({
    statusPatch: StatusPatch.optional(),
    finalizers: z.strictObject({ add: z.array(z.string()).optional(), remove: z.array(z.string()).optional() }).optional(),
    delete: z.boolean().optional(),
    event: StageEvent.optional(),
    events: z.array(StageEventTemplate).optional(),
  })
  .superRefine((n, ctx) => {
    if (n.delete && (n.statusPatch || n.finalizers)) ctx.addIssue({ code: 'custom', path: ['delete'], message: 'a deleting stage cannot also patch' });
    if (!n.delete && !n.statusPatch && !n.finalizers && !n.event && !n.events?.length) ctx.addIssue({ code: 'custom', message: 'next does nothing: give statusPatch, finalizers, delete or event' });
    if (n.event) checkTemplate(n.event.message, ['event', 'message'], false, ctx);
    n.events?.forEach((e, i) => checkTemplate(e.message, ['events', i, 'message'], e.eachContainer === true, ctx));
  });

export const Stage = z.strictObject({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS label, like pod-ready'),
  resource: z.enum(['pod', 'node']),
  selector: StageSelector,
  delay: z.strictObject({
    durationMs: z.number().int().nonnegative(),
    jitterMs: z.number().int().nonnegative().optional(),
    secondsFrom: FieldPath.optional(),
    backoffFrom: FieldPath.optional(),
  }),
  next: Next,
  /** Higher weights are tried first; equal weights keep file order. */
  weight: z.number().int().nonnegative().optional(),
  /** The caller re-evaluates the object right after this stage instead of waiting for a change. */
  immediateNextStage: z.boolean().optional(),
});
export type Stage = z.infer<typeof Stage>;

export class StageError extends Error {
  override name = 'StageError';
}

/** Validates stage data; the error names the stage, where it came from, and each bad field. */
export function parseStage(data: unknown, source = 'stage data'): Stage {
  const result = Stage.safeParse(data);
  if (result.success) return result.data;
  const name = typeof (data as { name?: unknown } | null)?.name === 'string' ? `"${(data as { name: string }).name}" ` : '';
  const problems = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  throw new StageError(`Invalid stage ${name}in ${source}: ${problems.join('; ')}`);
}

/** Walks a status patch (or event text) and reports unknown placeholders and malformed `$eachContainer`. */
function checkTemplate(value: unknown, path: (string | number)[], insideEach: boolean, ctx: z.RefinementCtx): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) {
      const name = m[1] ?? '';
      const problem = placeholderProblem(name, insideEach);
      if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      else if (name.startsWith('.')) {
        try {
          parseFieldPath(name);
        } catch (e) {
          ctx.addIssue({ code: 'custom', path, message: (e as Error).message });
        }
      }
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkTemplate(v, [...path, i], insideEach, ctx));
  } else if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    for (const special of [EACH_CONTAINER, EACH_INIT_CONTAINER, CASES]) {
      if (keys.includes(special) && keys.length !== 1) ctx.addIssue({ code: 'custom', path, message: `${special} must be the only key of its object` });
    }
    if (keys.includes(CASES)) return checkCases((value as Record<string, unknown>)[CASES], [...path, CASES], insideEach, ctx);
    for (const [k, v] of Object.entries(value)) checkTemplate(v, [...path, k], insideEach || k === EACH_CONTAINER || k === EACH_INIT_CONTAINER, ctx);
  }
}

const Case = z.strictObject({ when: StageSelector.optional(), then: z.unknown() });

/** `$cases` chooses per container, so it only makes sense inside `$eachContainer`; each case is checked as a template. */
function checkCases(cases: unknown, path: (string | number)[], insideEach: boolean, ctx: z.RefinementCtx): void {
  if (!insideEach) ctx.addIssue({ code: 'custom', path, message: `${CASES} is only allowed inside ${EACH_CONTAINER} or ${EACH_INIT_CONTAINER}` });
  const parsed = z.array(Case).min(1).safeParse(cases);
  if (!parsed.success) {
    for (const i of parsed.error.issues) ctx.addIssue({ code: 'custom', path: [...path, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message });
    return;
  }
  parsed.data.forEach((c, i) => checkTemplate(c.then, [...path, i, 'then'], insideEach, ctx));
}
