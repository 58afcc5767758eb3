import { readField } from './field-path.js';
import { CASES, EACH_CONTAINER, EACH_INIT_CONTAINER, FUNCTIONS, PLACEHOLDER, splitPlaceholder, type ContextKey } from './placeholders.js';
import { containerScope } from './pod-facts.js';
import { selectorMatches } from './selector-matches.js';
import type { StageSelector } from './stage.js';

/** What the engine knows when it applies a stage; `now` is injected, never read from a clock here. */
export interface StageContext {
  now: string;
  podIP?: string;
  nodeName?: string;
  /** The images the pod's node holds already: a container whose pull policy allows it does not pull them again. */
  images?: readonly string[];
}

interface Env {
  obj: unknown;
  ctx: StageContext;
  stage: string;
  container?: Record<string, unknown>;
}

/**
 * Fills the placeholders of a stage template (see placeholders.ts). A string that is exactly one
 * placeholder takes the value itself, so numbers and objects keep their type, and a field that is
 * missing drops the key rather than writing an empty string into status.
 *
 *   renderTemplate({ startTime: '{{now}}', containerStatuses: { $eachContainer: { name: '{{container.name}}' } } },
 *                  { spec: { containers: [{ name: 'web' }] } }, { now: '2026-01-01T00:00:00Z' }, 'pod-running')
 *   // { startTime: '2026-01-01T00:00:00Z', containerStatuses: [{ name: 'web' }] }
 */
export function renderTemplate(template: unknown, obj: unknown, ctx: StageContext, stage: string): unknown {
  return render(template, { obj, ctx, stage });
}

/** Renders `template` once per container of the pod (init containers when `init`), as `$eachContainer` does. */
export function renderEachContainer(template: unknown, obj: unknown, ctx: StageContext, stage: string, init = false): unknown[] {
  return eachContainer(template, { obj, ctx, stage }, init);
}

function render(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return renderString(value, env);
  if (Array.isArray(value)) return value.map((v) => render(v, env)).filter((v) => v !== undefined);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, EACH_CONTAINER)) return eachContainer(record[EACH_CONTAINER], env, false);
  if (Object.hasOwn(record, EACH_INIT_CONTAINER)) return eachContainer(record[EACH_INIT_CONTAINER], env, true);
  if (Object.hasOwn(record, CASES)) {
    const cases = record[CASES] as { when?: StageSelector; then: unknown }[];
    const chosen = cases.find((c) => !c.when || selectorMatches(c.when, env.container));
    return chosen ? render(chosen.then, env) : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    const r = render(v, env);
    if (r !== undefined) out[k] = r;
  }
  return out;
}

function eachContainer(template: unknown, env: Env, init: boolean): unknown[] {
  const containers = readField(env.obj, init ? '.spec.initContainers' : '.spec.containers');
  return (Array.isArray(containers) ? containers : [])
    .map((c) => render(template, { ...env, container: containerScope(env.obj, c as Record<string, unknown>, init, env.ctx.images) }))
    .filter((v) => v !== undefined);
}

function renderString(s: string, env: Env): unknown {
  const whole = /^\{\{\s*([^}]*?)\s*\}\}$/.exec(s);
  if (whole) return lookup(whole[1] ?? '', env);
  return s.replace(PLACEHOLDER, (_, name: string) => {
    const v = lookup(name, env);
    return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  });
}

function lookup(name: string, env: Env): unknown {
  const { fn, arg } = splitPlaceholder(name);
  const value = lookupValue(arg, env);
  return fn ? FUNCTIONS[fn]!(value) : value;
}

function lookupValue(name: string, env: Env): unknown {
  if (name.startsWith('.')) return readField(env.obj, name);
  if (name.startsWith('container.')) return readField(env.container, name.slice('container'.length));
  const v = env.ctx[name as ContextKey];
  if (v === undefined) throw new Error(`Cannot apply stage ${env.stage}: it needs ctx.${name}, and the caller gave none`);
  return v;
}
