import { readField } from './field-path.js';
import { EACH_CONTAINER, PLACEHOLDER, type ContextKey } from './placeholders.js';

/** What the engine knows when it applies a stage; `now` is injected, never read from a clock here. */
export interface StageContext {
  now: string;
  podIP?: string;
  nodeName?: string;
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

function render(value: unknown, env: Env): unknown {
  if (typeof value === 'string') return renderString(value, env);
  if (Array.isArray(value)) return value.map((v) => render(v, env)).filter((v) => v !== undefined);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, EACH_CONTAINER)) {
    const containers = readField(env.obj, '.spec.containers');
    return (Array.isArray(containers) ? containers : []).map((c) =>
      render(record[EACH_CONTAINER], { ...env, container: c as Record<string, unknown> }),
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    const r = render(v, env);
    if (r !== undefined) out[k] = r;
  }
  return out;
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
  if (name.startsWith('.')) return readField(env.obj, name);
  if (name.startsWith('container.')) return env.container?.[name.slice('container.'.length)];
  const v = env.ctx[name as ContextKey];
  if (v === undefined) throw new Error(`Cannot apply stage ${env.stage}: it needs ctx.${name}, and the caller gave none`);
  return v;
}
