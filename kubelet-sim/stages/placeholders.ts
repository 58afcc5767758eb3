import { crashBackoffMs, goDuration } from './backoff.js';
import { parseFieldPath } from './field-path.js';

/**
 * The placeholders a stage may write in its status patch and events, filled in by the engine:
 *
 *   {{now}}  {{podIP}}  {{nodeName}}    from the context the caller passes (time is injected)
 *   {{.status.startTime}}              any field path of the object the stage acts on
 *   {{container.name}}                 inside `$eachContainer` / `$eachInitContainer` only: a field
 *   {{container.status.restartCount}}  path into the container's scope (spec fields, its current
 *                                      status as `status`, facts as `sim`; see pod-facts.ts)
 *   {{inc container.status.restartCount}}       a function of one placeholder: `inc` adds one
 *   {{backoff container.status.restartCount}}   (missing counts as 0), `backoff` gives the kubelet's
 *                                               crash back-off for that many restarts, as "20s"
 *
 * `{ $eachContainer: T }` stands for an array with one copy of T per `.spec.containers` entry
 * (`$eachInitContainer`: per `.spec.initContainers` entry), because container statuses must mirror
 * the pod's containers and a fixed list cannot. `{ $cases: [{ when: selector, then: T }, ...] }`
 * inside one picks the first case whose selector matches the container's scope (a case without
 * `when` always matches), so one container can fail while its neighbours keep their status.
 */
export const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
export const EACH_CONTAINER = '$eachContainer';
export const EACH_INIT_CONTAINER = '$eachInitContainer';
export const CASES = '$cases';
export const CONTEXT_KEYS = ['now', 'podIP', 'nodeName'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

export const FUNCTIONS: Record<string, (v: unknown) => unknown> = {
  inc: (v) => (typeof v === 'number' ? v : 0) + 1,
  backoff: (v) => goDuration(crashBackoffMs(typeof v === 'number' ? v : 0)),
};

/** Splits `inc container.x` into its function and argument; a plain name has no function. */
export function splitPlaceholder(name: string): { fn?: string; arg: string } {
  const m = /^([a-z]+)\s+(\S+)$/.exec(name);
  return m ? { fn: m[1]!, arg: m[2]! } : { arg: name };
}

/** Why a placeholder name is not one of the above, or undefined when it is. */
export function placeholderProblem(name: string, insideEach: boolean): string | undefined {
  const { fn, arg } = splitPlaceholder(name);
  if (fn !== undefined && !Object.hasOwn(FUNCTIONS, fn)) return `unknown function "${fn}" in {{${name}}}: use ${Object.keys(FUNCTIONS).join(', ')}`;
  if ((CONTEXT_KEYS as readonly string[]).includes(arg)) return undefined;
  if (arg.startsWith('.')) return pathProblem(arg);
  if (arg.startsWith('container.')) {
    if (!insideEach) return `{{${name}}} is only allowed inside ${EACH_CONTAINER} or ${EACH_INIT_CONTAINER}`;
    return pathProblem(arg.slice('container'.length));
  }
  return `unknown placeholder {{${name}}}: use ${CONTEXT_KEYS.map((k) => `{{${k}}}`).join(', ')}, {{.field.path}} or {{container.<path>}}`;
}

function pathProblem(path: string): string | undefined {
  try {
    parseFieldPath(path);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
