import { qualifiedKind, resourcePath } from './discovery.js';
import { ApiError, CtlError, describeError, isNotFound } from './errors.js';
import { evaluateRelaxed, relaxedJsonPath } from './jsonpath.js';
import type { Session } from './session.js';
import { selectObjects, type ObjectRef, type SelectOptions } from './targets.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `--for` waits for. */
export type WaitFor =
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'condition'; name: string; value: string }
  | { kind: 'jsonpath'; template: string; value: string | undefined };

/**
 * kubectl wait's `--for`: `delete`, `create`, `condition=NAME[=VALUE]` (VALUE true unless given)
 * or `jsonpath=EXPR[=VALUE]` (without a value: that the field is there).
 *
 *   parseWaitFor('condition=Available')               // { kind: 'condition', name: 'Available', value: 'true' }
 *   parseWaitFor('jsonpath={.status.phase}=Running')  // { kind: 'jsonpath', template: '{.status.phase}', value: 'Running' }
 */
export function parseWaitFor(text: string): WaitFor {
  if (text === 'delete' || text === 'create') return { kind: text };
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length);
    const eq = rest.indexOf('=');
    return eq < 0 ? { kind: 'condition', name: rest, value: 'true' } : { kind: 'condition', name: rest.slice(0, eq), value: rest.slice(eq + 1) };
  }
  if (text.startsWith('jsonpath=')) {
    const rest = text.slice('jsonpath='.length);
    // The expression ends at its closing brace, or (without braces) at the first `=`.
    const close = rest.startsWith('{') ? rest.indexOf('}') + 1 : rest.indexOf('=') < 0 ? rest.length : rest.indexOf('=');
    if (close <= 0) throw new CtlError(`unrecognized condition: "${text}"`);
    const value = rest.slice(close);
    if (value !== '' && !value.startsWith('=')) throw new CtlError(`unrecognized condition: "${text}"`);
    return { kind: 'jsonpath', template: relaxedJsonPath(rest.slice(0, close)), value: value === '' ? undefined : value.slice(1) };
  }
  throw new CtlError(`unrecognized condition: "${text}"`);
}

/**
 * Whether an object (undefined: there is none) is as `--for` asks. A condition counts only once
 * the controller has seen the object's latest generation, where the condition says which it saw.
 */
export function waitMet(f: WaitFor, obj: Json | undefined): boolean {
  if (f.kind === 'delete') return obj === undefined;
  if (obj === undefined) return false;
  if (f.kind === 'create') return true;
  if (f.kind === 'condition') {
    const c = (obj.status?.conditions ?? []).find((x: Json) => String(x.type).toLowerCase() === f.name.toLowerCase());
    if (!c || String(c.status).toLowerCase() !== f.value.toLowerCase()) return false;
    return c.observedGeneration === undefined || obj.metadata?.generation === undefined || c.observedGeneration === obj.metadata.generation;
  }
  const found = evaluateRelaxed(f.template, obj);
  if (f.value === undefined) return found.length > 0;
  return found.length === 1 && (typeof found[0] === 'object' && found[0] !== null ? JSON.stringify(found[0]) : String(found[0])) === f.value;
}

export interface WaitOptions extends SelectOptions {
  for?: string;
  /** Seconds; negative waits a week, 0 looks once. */
  timeout?: number;
}

const POLL_MS = 250;

/**
 * `minikctl wait --for=condition=Available deploy/web [--timeout=60s]`: looks again every quarter
 * second until each object is as asked, printing `deployment.apps/web condition met`; exit 1 on
 * a timeout, as kubectl.
 */
export async function runWait(s: Session, args: string[], o: WaitOptions): Promise<number> {
  const f = parseWaitFor(o.for ?? '');
  const timeoutMs = o.timeout === undefined ? 30_000 : o.timeout < 0 ? 7 * 24 * 3600_000 : o.timeout * 1000;
  const refs = f.kind === 'create' ? await namedRefs(s, args, o) : await selectObjects(s, args, o, 'wait');
  if (refs.length === 0) throw new CtlError('no matching resources found');
  let failed = 0;
  for (const ref of refs) {
    const named = `${qualifiedKind(ref.resource)}/${ref.name}`;
    try {
      // An object already gone when a delete is waited for was never seen: kubectl says nothing of it.
      if ((await waitFor(s, ref, f, timeoutMs)) === 'met') s.out(`${named} condition met\n`);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/** `--for=create` names objects that need not be there yet: no lookup, no selector. */
async function namedRefs(s: Session, args: string[], o: WaitOptions): Promise<ObjectRef[]> {
  if (o.selector || o.all) return selectObjects(s, args, o, 'wait');
  return selectObjects(s, args, {}, 'wait');
}

async function waitFor(s: Session, ref: ObjectRef, f: WaitFor, timeoutMs: number): Promise<'met' | 'never there'> {
  const path = resourcePath(ref.resource, ref.namespace, ref.name);
  const plural = `${ref.resource.name}${ref.resource.group ? `.${ref.resource.group}` : ''}/${ref.name}`;
  const deadline = Date.now() + timeoutMs;
  let uid: string | undefined;
  for (let first = true; ; first = false) {
    let obj: Json | undefined;
    try {
      obj = await s.rest.request<Json>('GET', path);
    } catch (err) {
      // Waiting on a condition of an object that is not there is an error at once; for a delete it is the end.
      if (!isNotFound(err) || (first && f.kind !== 'delete' && f.kind !== 'create')) throw err;
    }
    // Deleted and made again under the same name is deleted, as far as the first one goes.
    if (f.kind === 'delete' && obj && uid !== undefined && obj.metadata?.uid !== uid) obj = undefined;
    uid ??= obj?.metadata?.uid;
    if (waitMet(f, obj)) return first && obj === undefined ? 'never there' : 'met';
    if (timeoutMs === 0) throw new CtlError(f.kind === 'create' ? 'timed out waiting for the condition' : `condition not met for ${plural}`);
    if (Date.now() >= deadline) throw new CtlError(f.kind === 'create' ? 'timed out waiting for the condition' : `timed out waiting for the condition on ${plural}`);
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
