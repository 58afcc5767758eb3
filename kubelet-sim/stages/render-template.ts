import { fieldReader, readField } from './field-path.js';
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
  return compiled(template)({ obj, ctx, stage });
}

/** Renders `template` once per container of the pod (init containers when `init`), as `$eachContainer` does. */
export function renderEachContainer(template: unknown, obj: unknown, ctx: StageContext, stage: string, init = false): unknown[] {
  return eachContainer(compiled(template), { obj, ctx, stage }, init);
}

type Render = (env: Env) => unknown;

// Stages are frozen and rendered for every pod they act on: each part of a template is compiled
// once, its placeholders parsed into lookups. A part with anything unfrozen inside could change
// after, so it is compiled anew each time.
const byObject = new WeakMap<object, Render>();
const byString = new Map<string, Render>();
const MAX_STRINGS = 4096;

function compiled(template: unknown): Render {
  return compile(template).render;
}

function compile(value: unknown): { render: Render; frozen: boolean } {
  if (typeof value === 'string') {
    let render = byString.get(value);
    if (!render) {
      render = compileString(value);
      if (byString.size >= MAX_STRINGS) byString.clear();
      byString.set(value, render);
    }
    return { render, frozen: true };
  }
  if (typeof value !== 'object' || value === null) return { render: () => value, frozen: true };
  const known = byObject.get(value);
  if (known) return { render: known, frozen: true };
  const { render, frozen } = Array.isArray(value) ? compileArray(value) : compileRecord(value as Record<string, unknown>);
  const all = frozen && Object.isFrozen(value);
  if (all) byObject.set(value, render);
  return { render, frozen: all };
}

function compileArray(values: readonly unknown[]): { render: Render; frozen: boolean } {
  const parts = values.map(compile);
  const renders = parts.map((p) => p.render);
  return {
    render: (env) => {
      const out: unknown[] = [];
      for (const r of renders) {
        const v = r(env);
        if (v !== undefined) out.push(v);
      }
      return out;
    },
    frozen: parts.every((p) => p.frozen),
  };
}

function compileRecord(record: Record<string, unknown>): { render: Render; frozen: boolean } {
  for (const [key, init] of [[EACH_CONTAINER, false], [EACH_INIT_CONTAINER, true]] as const) {
    if (Object.hasOwn(record, key)) {
      const each = compile(record[key]);
      return { render: (env) => eachContainer(each.render, env, init), frozen: each.frozen };
    }
  }
  if (Object.hasOwn(record, CASES)) {
    const cases = (record[CASES] as { when?: StageSelector; then: unknown }[]).map((c) => ({ when: c.when, then: compile(c.then) }));
    return {
      render: (env) => {
        const chosen = cases.find((c) => !c.when || selectorMatches(c.when, env.container));
        return chosen ? chosen.then.render(env) : undefined;
      },
      // The selectors are read as they are at each render.
      frozen: cases.every((c) => c.then.frozen) && Object.isFrozen(record[CASES]),
    };
  }
  const entries = Object.entries(record).map(([k, v]): [string, { render: Render; frozen: boolean }] => [k, compile(v)]);
  return {
    render: (env) => {
      const out: Record<string, unknown> = {};
      for (const [k, part] of entries) {
        const r = part.render(env);
        if (r !== undefined) out[k] = r;
      }
      return out;
    },
    frozen: entries.every(([, p]) => p.frozen),
  };
}

function eachContainer(template: Render, env: Env, init: boolean): unknown[] {
  const containers = readField(env.obj, init ? '.spec.initContainers' : '.spec.containers');
  const out: unknown[] = [];
  if (!Array.isArray(containers)) return out;
  for (const c of containers) {
    const v = template({ ...env, container: containerScope(env.obj, c as Record<string, unknown>, init, env.ctx.images) });
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** A string that is one placeholder gives its value; placeholders inside text are written into it. */
function compileString(s: string): Render {
  const whole = /^\{\{\s*([^}]*?)\s*\}\}$/.exec(s);
  if (whole) return compileLookup(whole[1] ?? '');
  const parts: Array<string | Render> = [];
  let at = 0;
  for (const m of s.matchAll(PLACEHOLDER)) {
    parts.push(s.slice(at, m.index));
    parts.push(compileLookup(m[1]!));
    at = m.index + m[0].length;
  }
  if (parts.length === 0) return () => s;
  parts.push(s.slice(at));
  return (env) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else {
        const v = p(env);
        out += v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
      }
    }
    return out;
  };
}

function compileLookup(name: string): Render {
  const { fn, arg } = splitPlaceholder(name);
  const value = compileValue(arg);
  if (!fn) return value;
  const apply = FUNCTIONS[fn]!;
  return (env) => apply(value(env));
}

function compileValue(name: string): Render {
  if (name.startsWith('.')) {
    const read = readerOf(name);
    return (env) => read(env.obj);
  }
  if (name.startsWith('container.')) {
    const read = readerOf(name.slice('container'.length));
    return (env) => read(env.container);
  }
  return (env) => {
    const v = env.ctx[name as ContextKey];
    if (v === undefined) throw new Error(`Cannot apply stage ${env.stage}: it needs ctx.${name}, and the caller gave none`);
    return v;
  };
}

/** A path that does not parse fails when it is read, as it did before it was compiled: a case never chosen never fails. */
function readerOf(path: string): (obj: unknown) => unknown {
  try {
    return fieldReader(path);
  } catch (err) {
    return () => {
      throw err;
    };
  }
}
