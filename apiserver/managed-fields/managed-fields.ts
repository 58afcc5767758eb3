import { isDeepStrictEqual } from 'node:util';
import { fieldsOf, formatPath, fromFieldsV1, isFieldsV1, isNode, nodeOf, removeAt, SEP, steps, toFieldsV1, valueAt, within, type FieldSet } from './field-set.js';

/**
 * Field ownership, as Kubernetes keeps it in `metadata.managedFields`: which manager set which
 * fields, by Apply (server-side apply) or by Update (every other write). An apply may not change a
 * field another manager owns (a conflict) unless forced; an apply that stops naming a field it set
 * removes it, unless someone else owns it too; an update takes the fields it changes from everyone.
 */

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface Writer {
  manager: string;
  apiVersion: string;
  /** RFC 3339, whole seconds. */
  time: string;
  /** `status` or `scale`, for a write through that subresource. */
  subresource?: string;
}

export interface Conflict {
  path: string;
  entry: ManagedFieldsEntry;
}

type Obj = Record<string, unknown>;

export function managedFieldsOf(object: Obj): ManagedFieldsEntry[] {
  const entries = (object.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

/**
 * The managedFields a write carries itself, if they are well-formed: a client may set them, and
 * Kubernetes builds on them instead of the stored ones (so kubectl hands client-side apply's fields
 * to server-side apply). Undefined for none, or for any that does not read as an entry.
 */
export function requestedManagedFields(object: Obj): ManagedFieldsEntry[] | undefined {
  const entries = (object.metadata as { managedFields?: unknown } | undefined)?.managedFields;
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const wellFormed = entries.every(
    (e) =>
      typeof e === 'object' && e !== null &&
      typeof (e as ManagedFieldsEntry).manager === 'string' &&
      ((e as ManagedFieldsEntry).operation === 'Apply' || (e as ManagedFieldsEntry).operation === 'Update') &&
      (e as ManagedFieldsEntry).fieldsType === 'FieldsV1' &&
      isFieldsV1((e as ManagedFieldsEntry).fieldsV1),
  );
  return wellFormed ? (entries as ManagedFieldsEntry[]) : undefined;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The fields kubectl's server-side apply may take over without a conflict, as Kubernetes lets it
 * when an object moves from client-side apply: those the last client-side apply set (its
 * annotation) that still hold the value it set. Undefined when there is no such annotation.
 */
export function clientSideApplied(kind: string, live: Obj, part: 'main' | 'status'): FieldSet | undefined {
  const text = (live.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[LAST_APPLIED];
  if (!text) return undefined;
  let last: Obj;
  try {
    last = JSON.parse(text) as Obj;
  } catch {
    return undefined;
  }
  if (typeof last !== 'object' || last === null) return undefined;
  return new Set([...fieldsOf(kind, last, part)].filter((p) => isDeepStrictEqual(valueAt(live, p), valueAt(last, p))));
}

const partOf = (w: Writer): 'main' | 'status' => (w.subresource === 'status' ? 'status' : 'main');
const same = (e: ManagedFieldsEntry, w: Writer, op: ManagedFieldsEntry['operation']) =>
  e.manager === w.manager && e.operation === op && (e.subresource ?? '') === (w.subresource ?? '');

/**
 * The entries after an update (create, PUT, any patch but apply) from `old` to `next`: the writer
 * now owns every field it set to a new value, and nobody owns fields that are gone.
 */
export function afterUpdate(kind: string, old: Obj | undefined, next: Obj, entries: ManagedFieldsEntry[], w: Writer): ManagedFieldsEntry[] {
  const part = partOf(w);
  const before = old ? fieldsOf(kind, old, part) : new Set<string>();
  const after = fieldsOf(kind, next, part);
  const changed = new Set([...after].filter((p) => !before.has(p) || (!isNode(p) && !isDeepStrictEqual(valueAt(old, p), valueAt(next, p)))));
  const gone = new Set([...before].filter((p) => !after.has(p)));
  if (changed.size === 0 && gone.size === 0) return entries;
  const out: ManagedFieldsEntry[] = [];
  let mine: FieldSet = new Set();
  let previous: ManagedFieldsEntry | undefined;
  for (const e of entries) {
    const set = fromFieldsV1(e.fieldsV1);
    if (same(e, w, 'Update')) {
      mine = set;
      previous = e;
      continue;
    }
    // Another manager's fields under this write's part lose what the write changed or removed.
    const kept = samePart(e, w) ? new Set([...set].filter((p) => !changed.has(p) || isNode(p)).filter((p) => !gone.has(p))) : set;
    if (kept.size > 0) out.push(kept.size === set.size ? e : { ...e, fieldsV1: toFieldsV1(kept) });
  }
  const had = mine.size;
  for (const p of changed) mine.add(p);
  for (const p of gone) mine.delete(p);
  // An entry's time moves only when its fields do, as Kubernetes keeps it.
  if (previous && mine.size === had && [...changed].every((p) => fromFieldsV1(previous.fieldsV1).has(p)) && gone.size === 0) out.push(previous);
  else if (mine.size > 0) out.push(entry(w, 'Update', mine));
  return out;
}

function samePart(e: ManagedFieldsEntry, w: Writer): boolean {
  return (e.subresource === 'status') === (w.subresource === 'status');
}

function entry(w: Writer, operation: ManagedFieldsEntry['operation'], set: FieldSet): ManagedFieldsEntry {
  return {
    manager: w.manager,
    operation,
    apiVersion: w.apiVersion,
    time: w.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(set),
    ...(w.subresource ? { subresource: w.subresource } : {}),
  };
}

export interface ApplyPlan {
  /** Fields to take out of the live object before the configuration is merged in. */
  remove: string[];
  /** Every field someone owns after the apply: a list or map emptied by a removal goes unless it is one. */
  owned: FieldSet;
  entries: ManagedFieldsEntry[];
  conflicts: Conflict[];
}

/**
 * What a server-side apply of `config` over `live` does to ownership: the conflicts (fields the
 * configuration would change that another manager owns), the fields this manager no longer
 * applies and nobody else owns (to remove), and the entries after it. With `force`, conflicting
 * fields change hands instead.
 */
export function planApply(kind: string, live: Obj | undefined, config: Obj, entries: ManagedFieldsEntry[], w: Writer, force: boolean): ApplyPlan {
  const part = partOf(w);
  const applied = fieldsOf(kind, config, part);
  const others = entries.filter((e) => !same(e, w, 'Apply')).map((e) => ({ e, set: fromFieldsV1(e.fieldsV1) }));
  const previous = fromFieldsV1(entries.find((e) => same(e, w, 'Apply'))?.fieldsV1 ?? {});

  const conflicts: Conflict[] = [];
  for (const p of applied) {
    if (isNode(p)) continue;
    const differs = !isDeepStrictEqual(valueAt(live, p), valueAt(config, p));
    if (!differs) continue;
    for (const { e, set } of others) if (samePart(e, w) && set.has(p)) conflicts.push({ path: p, entry: e });
  }

  // What this manager stops applying goes, unless another manager holds it or something under it.
  const ownedByOthers = (p: string) => {
    const node = isNode(p) ? nodeOf(p) : p;
    return others.some(({ set }) => [...set].some((q) => within(q, node)));
  };
  const dropped = [...previous].filter((p) => !applied.has(p) && !ownedByOthers(p));
  // Leaves before the items and maps that hold them; deeper first.
  const remove = dropped.sort((a, b) => steps(b).length - steps(a).length);

  const out: ManagedFieldsEntry[] = [];
  const taken = new Set(conflicts.map((c) => c.path));
  for (const { e, set } of others) {
    if (!force || !samePart(e, w)) {
      out.push(e);
      continue;
    }
    const kept = new Set([...set].filter((p) => !taken.has(p)));
    if (kept.size > 0) out.push(kept.size === set.size ? e : { ...e, fieldsV1: toFieldsV1(kept) });
  }
  const at = entries.findIndex((e) => same(e, w, 'Apply'));
  const unchanged = at >= 0 && previous.size === applied.size && [...applied].every((p) => previous.has(p));
  const mine = unchanged ? entries[at]! : entry(w, 'Apply', applied);
  // The applier's entry keeps its place; a new one goes last, as Kubernetes orders them.
  if (at >= 0) out.splice(Math.min(at, out.length), 0, mine);
  else out.push(mine);
  const owned = new Set([...applied, ...others.flatMap(({ set }) => [...set])]);
  return { remove, owned, entries: out, conflicts: force ? [] : conflicts };
}

/** Takes the fields out, then any list or map they leave empty that nobody owns. */
export function removeFields(object: Obj, paths: string[], owned: FieldSet): void {
  for (const p of paths) {
    removeAt(object, p);
    const up = steps(isNode(p) ? nodeOf(p) : p);
    for (up.pop(); up.length > 0; up.pop()) {
      const at = up.join(SEP);
      const v = valueAt(object, at);
      const empty = (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
      if (!empty || owned.has(at) || owned.has(`${at}${SEP}.`)) break;
      removeAt(object, at);
    }
  }
}

/** Kubernetes' message for a refused apply: one line for one conflict, a list per manager for more. */
export function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${describeManager(conflicts[0]!.entry)}: ${formatPath(conflicts[0]!.path)}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const m = describeManager(c.entry);
    byManager.set(m, [...(byManager.get(m) ?? []), formatPath(c.path)]);
  }
  const lines = [...byManager.keys()].sort().flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** `"kubectl-scale" with subresource "scale" using apps/v1`, `"helm"` for another applier. */
export function describeManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}
