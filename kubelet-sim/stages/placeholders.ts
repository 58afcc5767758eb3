/**
 * The placeholders a stage may write in its status patch and event, filled in by the engine:
 *
 *   {{now}}  {{podIP}}  {{nodeName}}    from the context the caller passes (time is injected)
 *   {{.status.startTime}}              any field path of the object the stage acts on
 *   {{container.name}}                 a key of the spec container, inside `$eachContainer` only
 *
 * `{ $eachContainer: T }` stands for an array with one copy of T per `.spec.containers` entry,
 * because container statuses must mirror the pod's containers and a fixed list cannot.
 */
export const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
export const EACH_CONTAINER = '$eachContainer';
export const CONTEXT_KEYS = ['now', 'podIP', 'nodeName'] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Why a placeholder name is not one of the above, or undefined when it is. */
export function placeholderProblem(name: string, insideEach: boolean): string | undefined {
  if ((CONTEXT_KEYS as readonly string[]).includes(name)) return undefined;
  if (name.startsWith('.')) return undefined;
  if (/^container\.[A-Za-z0-9_]+$/.test(name)) return insideEach ? undefined : `{{${name}}} is only allowed inside ${EACH_CONTAINER}`;
  return `unknown placeholder {{${name}}}: use ${CONTEXT_KEYS.map((k) => `{{${k}}}`).join(', ')}, {{.field.path}} or {{container.<key>}}`;
}
