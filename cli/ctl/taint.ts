import { validateLabelKey, validateLabelValue } from '../../api/labels.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, CtlError, describeError } from './errors.js';
import type { Session } from './session.js';
import { selectObjects } from './targets.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const USAGE = "\nSee 'minikctl taint -h' for help and examples";

/**
 * The arguments of `kubectl taint`: node names first, then the changes, `KEY[=VALUE]:EFFECT` to
 * add and `KEY[:EFFECT]-` to remove (an argument with `=`, `:` or a closing `-` is a change).
 *
 *   parseTaintArgs(['nodes', 'node-1', 'gpu=true:NoSchedule', 'spot-'])
 *     // { resources: ['nodes', 'node-1'], add: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], remove: [{ key: 'spot' }] }
 */
export function parseTaintArgs(args: readonly string[]): { resources: string[]; add: Taint[]; remove: Taint[] } {
  const resources: string[] = [];
  const specs: string[] = [];
  for (const arg of args) {
    const isTaint = arg.includes('=') || arg.includes(':') || arg.endsWith('-');
    if (isTaint) specs.push(arg);
    else if (specs.length > 0) throw new CtlError(`all resources must be specified before taint changes: ${arg}`);
    else resources.push(arg);
  }
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, ...(t.effect ? { effect: t.effect } : {}) });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new CtlError(`unknown taint spec: ${spec}${USAGE}`);
    if (add.some((a) => a.key === t.key && a.effect === t.effect)) throw new CtlError(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}${USAGE}`);
    add.push(t);
  }
  return { resources, add, remove };
}

/** kubectl's parseTaint: `KEY=VALUE:EFFECT`, `KEY:EFFECT` or `KEY`, each part checked. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  if (parts.length > 2) throw new CtlError(`invalid taint spec: ${spec}${USAGE}`);
  let key = parts[0]!;
  let value: string | undefined;
  const effect = parts[1];
  if (effect !== undefined) {
    if (!EFFECTS.includes(effect)) throw new CtlError(`invalid taint effect: ${effect}, unsupported taint effect${USAGE}`);
    const kv = key.split('=');
    if (kv.length > 2) throw new CtlError(`invalid taint spec: ${spec}${USAGE}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      const errs = validateLabelValue(value);
      if (errs.length > 0) throw new CtlError(`invalid taint spec: ${spec}, ${errs.join('; ')}${USAGE}`);
    }
  }
  const errs = validateLabelKey(key);
  if (errs.length > 0) throw new CtlError(`invalid taint spec: ${spec}, ${errs.join('; ')}${USAGE}`);
  return { key, ...(value !== undefined ? { value } : {}), ...(effect ? { effect } : {}) };
}

/** A taint as kubectl names it: `key=value:effect`, or without the parts it lacks. */
function taintText(t: Taint): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;
}

/**
 * kubectl's reorganizeTaints: the taints to add first, then the node's others (a taint of the same
 * key and effect is replaced), less the ones removed; and the word for what happened. A removal
 * that finds nothing is an error, each in kubectl's words.
 *
 *   planTaints([{ key: 'spot', value: 'true', effect: 'NoSchedule' }], [{ key: 'gpu', effect: 'NoSchedule' }], [], false)
 *     // { operation: 'tainted', taints: [gpu:NoSchedule, spot=true:NoSchedule] }
 */
export function planTaints(current: readonly Taint[], add: readonly Taint[], remove: readonly Taint[], overwrite: boolean): { operation: string; taints: Taint[]; missing: string[] } {
  let taints: Taint[] = [...add];
  for (const old of current) if (!taints.some((t) => t.key === old.key && t.effect === old.effect)) taints.push(old);
  const added = taints.length !== current.length;
  const missing: string[] = [];
  let removed = false;
  for (const r of remove) {
    const before = taints.length;
    taints = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    removed = taints.length !== before;
    if (!removed) missing.push(`taint "${taintText(r)}" not found`);
  }
  const operation = (added && removed) || overwrite ? 'modified' : added ? 'tainted' : 'untainted';
  return { operation, taints, missing };
}

export interface TaintOptions {
  all?: boolean;
  selector?: string;
  overwrite?: boolean;
  dryRun?: string;
  output?: string;
}

/**
 * `minikctl taint nodes NODE... KEY=VALUE:EFFECT | KEY[:EFFECT]-` (or `--all`, `-l`): the taints
 * a scheduler and the node lifecycle controller read, changed as kubectl changes them.
 *
 *   minikctl taint nodes node-1 dedicated=gpu:NoSchedule   // node/node-1 tainted
 *   minikctl taint nodes node-1 dedicated-                 // node/node-1 untainted
 */
export async function runTaint(s: Session, args: string[], o: TaintOptions): Promise<number> {
  const { resources, add, remove } = parseTaintArgs(args);
  const how = changeOutput(o);
  if (resources.length === 0) throw new CtlError(`at least one resource name must be specified since 'all' parameter is not set`);
  if (add.length === 0 && remove.length === 0) throw new CtlError('at least one taint update is required');
  if (!['node', 'nodes', 'no'].includes(resources[0]!.toLowerCase())) throw new CtlError(`invalid resource type ${resources[0]}, only node types are supported`);
  const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect)).map((r) => `${r.key}=${r.effect ?? ''}`));
  if (conflicts.length > 0) throw new CtlError(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
  let failed = 0;
  for (const ref of await selectObjects(s, resources, o, 'taint')) {
    const path = `/api/v1/nodes/${encodeURIComponent(ref.name)}`;
    try {
      const node = await s.rest.request<Json>('GET', path);
      const current: Taint[] = node.spec?.taints ?? [];
      if (!o.overwrite) {
        const exists = add.filter((a) => current.some((c) => c.key === a.key && c.effect === a.effect)).map((a) => a.key);
        if (exists.length > 0) throw new CtlError(`node ${ref.name} already has ${exists.join(',')} taint(s) with same effect(s) and --overwrite is false`);
      }
      const plan = planTaints(current, add, remove, Boolean(o.overwrite));
      if (plan.missing.length > 0) {
        // kubectl prints one error alone with its prefix, several each on a line of its own.
        throw new CtlError(plan.missing.length === 1 ? plan.missing[0]! : plan.missing.join('\n'), plan.missing.length > 1);
      }
      const body = { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { taints: plan.taints.length > 0 ? plan.taints : null } };
      const changed =
        how.dryRun === 'client'
          ? { ...node, spec: { ...node.spec, taints: plan.taints } }
          : await s.rest.request<Json>('PATCH', `${path}${dryRunQuery(how)}`, { body, contentType: 'application/merge-patch+json' });
      // kubectl words a dry run of taint as it words the change itself.
      printChange(s, { ...how, dryRun: 'none' }, `node/${ref.name}`, plan.operation, changed);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
