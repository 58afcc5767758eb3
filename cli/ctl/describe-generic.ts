import type { DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/** What kubectl's generic describer leaves out of the object's content: printed above, or noise. */
const SKIP = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);

/**
 * A kind with no describer of its own (a Lease, an Event), as kubectl's generic describer prints
 * it: the name and metadata, then every field, sorted, under a label made from its name.
 *
 *   Name:         node-1
 *   Namespace:    kube-node-lease
 *   Labels:       <none>
 *   Annotations:  <none>
 *   API Version:  coordination.k8s.io/v1
 *   Kind:         Lease
 *   Metadata:
 *     Creation Timestamp:  2026-11-21T10:51:19Z
 *   ...
 */
export function describeGeneric(w: DescribeWriter, obj: Json): void {
  w.header(obj.metadata);
  content(w, 0, obj, '');
}

/** kubectl's printUnstructuredContent: maps nest a level, list items of maps nest without a marker. */
function content(w: DescribeWriter, level: number, obj: Json, path: string): void {
  for (const field of Object.keys(obj).sort()) {
    const here = `${path}.${field}`;
    if (SKIP.has(here)) continue;
    const value = obj[field];
    if (Array.isArray(value)) {
      w.line(level, `${smartLabelFor(field)}:`);
      for (const item of value) {
        if (isMap(item)) content(w, level + 1, item, here);
        else w.line(level + 1, goValue(item));
      }
    } else if (isMap(value)) {
      w.line(level, `${smartLabelFor(field)}:`);
      content(w, level + 1, value, here);
    } else {
      w.line(level, `${smartLabelFor(field)}:`, goValue(value));
    }
  }
}

const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's `%v` of a decoded JSON value. */
const goValue = (v: unknown) => (v === null || v === undefined ? '<nil>' : String(v));

const ACRONYMS = new Set(['API', 'URL', 'UID', 'OSB', 'GUID']);

/**
 * kubectl's smartLabelFor: `leaseDurationSeconds` is `Lease Duration Seconds`, `apiVersion` is
 * `API Version`; a name with anything but letters and `-` is left as it is.
 */
export function smartLabelFor(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelCaseSplit(field)
    .filter((part) => part !== '_')
    .map((part) => (ACRONYMS.has(part.toUpperCase()) ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join(' ');
}

/** fatih/camelcase's Split: runs of lower, upper, digit and other; an upper run's last letter starts the lower run after it. */
function camelCaseSplit(s: string): string[] {
  const kind = (c: string) => (/\p{Ll}/u.test(c) ? 1 : /\p{Lu}/u.test(c) ? 2 : /\p{Nd}/u.test(c) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const c of s) {
    const k = kind(c);
    if (k === last) runs[runs.length - 1]!.push(c);
    else runs.push([c]);
    last = k;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (kind(runs[i]![0]!) === 2 && kind(runs[i + 1]![0]!) === 1) runs[i + 1]!.unshift(runs[i]!.pop()!);
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(''));
}
