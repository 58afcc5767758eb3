import { applyMergePatch } from '../../apiserver/patch/merge-patch.js';
import { setOwn } from '../../apiserver/patch/json-value.js';
import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, CtlError, describeError } from './errors.js';
import type { Session } from './session.js';
import { selectObjects, type SelectOptions } from './targets.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `key=value` and `key-` arguments ask for: values to set, keys to remove. */
export interface MapChanges {
  set: Record<string, string>;
  remove: string[];
}

/**
 * Splits `label`/`annotate` arguments into the resource part and the changes, as kubectl does:
 * an argument with `=` sets, one ending in `-` removes, the others name resources.
 *
 *   splitChanges(['pods', 'web', 'app=web', 'tier-'])
 *     // { resourceArgs: ['pods', 'web'], changes: { set: { app: 'web' }, remove: ['tier'] } }
 */
export function splitChanges(args: readonly string[], what: 'label' | 'annotation'): { resourceArgs: string[]; changes: MapChanges } {
  const resourceArgs: string[] = [];
  const changes: MapChanges = { set: {}, remove: [] };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) {
      const key = arg.slice(0, eq);
      if (Object.hasOwn(changes.set, key)) throw new CtlError(`can not both modify and remove ${what}s in the same command`);
      setOwn(changes.set, key, arg.slice(eq + 1));
    } else if (arg.endsWith('-') && arg.length > 1 && resourceArgs.length > 0) {
      changes.remove.push(arg.slice(0, -1));
    } else if (eq === 0) {
      throw new CtlError(`invalid ${what} spec: ${arg}`);
    } else resourceArgs.push(arg);
  }
  for (const key of changes.remove) if (Object.hasOwn(changes.set, key)) throw new CtlError(`can not both modify and remove ${what}s in the same command`);
  if (Object.keys(changes.set).length === 0 && changes.remove.length === 0) throw new CtlError(`at least one ${what} update is required`);
  return { resourceArgs, changes };
}

/**
 * The merge patch for one object's labels or annotations, or undefined when nothing changes.
 * Without `overwrite` a key that already holds another value is refused.
 *
 *   planMapPatch({ app: 'web' }, { set: { tier: 'front' }, remove: ['app'] }, false)
 *     // { tier: 'front', app: null }
 *   planMapPatch({ app: 'web' }, { set: { app: 'api' }, remove: [] }, false)
 *     // throws: 'app' already has a value (web), and --overwrite is false
 */
export function planMapPatch(
  current: Readonly<Record<string, string>> | undefined,
  changes: MapChanges,
  overwrite: boolean,
): Record<string, string | null> | undefined {
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(changes.set)) {
    // Own keys only: a label called `constructor` is a label like any other.
    const old = current && Object.hasOwn(current, k) ? current[k] : undefined;
    if (old === v) continue;
    if (old !== undefined && !overwrite) throw new CtlError(`'${k}' already has a value (${old}), and --overwrite is false`);
    setOwn(patch, k, v);
  }
  for (const k of changes.remove) if (current && Object.hasOwn(current, k)) setOwn(patch, k, null);
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/**
 * The word kubectl prints for the change: `labeled`, `not labeled`, or (kubectl label's
 * updateDataChangeMsg) `unlabeled` when, without --overwrite, the object's JSON got shorter.
 * kubectl annotate always says `annotated`.
 *
 *   outcome('label', { app: 'web' }, { app: null }, false)   // 'unlabeled'
 */
export function outcome(what: 'label' | 'annotation', current: Readonly<Record<string, string>> | undefined, patch: Record<string, string | null> | undefined, overwrite: boolean): string {
  if (what === 'annotation') return 'annotated';
  if (!patch) return 'not labeled';
  const after: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete after[k];
    else setOwn(after, k, v);
  }
  return !overwrite && JSON.stringify(after).length < JSON.stringify(current ?? {}).length ? 'unlabeled' : 'labeled';
}

/**
 * `minikctl label` and `minikctl annotate`: reads each object, plans the change, and sends it as
 * a JSON merge patch. Prints `pod/web labeled` (or `not labeled` when nothing changed), or with
 * `-o` the object as changed; `--dry-run=client` changes it here only, `server` has the server check it.
 */
export async function runLabelOrAnnotate(
  s: Session,
  what: 'label' | 'annotation',
  args: string[],
  o: SelectOptions & { overwrite?: boolean; dryRun?: string; output?: string },
): Promise<number> {
  const { resourceArgs, changes } = splitChanges(args, what);
  const field = what === 'label' ? 'labels' : 'annotations';
  const how = changeOutput(o);
  let failed = 0;
  for (const ref of await selectObjects(s, resourceArgs, o, what)) {
    const path = resourcePath(ref.resource, ref.namespace, ref.name);
    try {
      const live = await s.rest.request<Json>('GET', path);
      const current = live.metadata?.[field] as Record<string, string> | undefined;
      // kubectl label says so on stdout, before the result; kubectl annotate says nothing.
      if (what === 'label') for (const k of changes.remove) if (!current || !Object.hasOwn(current, k)) s.out(`label "${k}" not found.\n`);
      const patch = planMapPatch(current, changes, Boolean(o.overwrite));
      const body = { metadata: { [field]: patch } };
      let changed = live;
      if (patch && how.dryRun === 'client') changed = applyMergePatch(live, body) as Json;
      else if (patch) changed = await s.rest.request<Json>('PATCH', `${path}${dryRunQuery(how)}`, { body, contentType: 'application/merge-patch+json' });
      printChange(s, how, `${qualifiedKind(ref.resource)}/${ref.name}`, outcome(what, current, patch, Boolean(o.overwrite)), changed);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
