import { NAME_SUFFIX_ALPHABET } from '../../api/names.js';
import type { PodTemplateSpec } from '../../api/schemas/pod.js';

/** The label that ties a ReplicaSet and its pods to one template of a Deployment. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bits, as Go's hash/fnv New32a: fnv32a(bytes of "a") = 0xe40c292c. */
export function fnv32a(bytes: Uint8Array, seed = FNV32_OFFSET): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, FNV32_PRIME) >>> 0;
  }
  return h >>> 0;
}

/**
 * Upstream's rand.SafeEncodeString: each character becomes a letter of the no-vowel alphabet, so
 * a hash never spells a word. The hash is encoded from its decimal digits, so in practice only
 * `4 5 6 7 8 9 b c d f` appear: safeEncodeString('1234') = '5678'.
 */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const ch of s) out += NAME_SUFFIX_ALPHABET[ch.codePointAt(0)! % NAME_SUFFIX_ALPHABET.length];
  return out;
}

/**
 * A JSON value with the differences that carry no meaning removed: undefined fields, empty maps
 * and empty lists (Go's semantic equality treats nil and empty alike), and key order.
 */
export function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/**
 * The pod-template-hash of a Deployment's template, as `controller.ComputeHash`: FNV-32a over the
 * template (here its normalized JSON; upstream hashes Go's printed struct, so values differ from a
 * real cluster's), then collisionCount as four little-endian bytes when set, printed in decimal and
 * safe-encoded. A Deployment `web` whose template hashes to 3421386289 owns `web-78657db6df`
 * ('3'->'7', '4'->'8'...), up to ten characters.
 */
export function computeHash(template: Readonly<PodTemplateSpec> | undefined, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(JSON.stringify(normalize(template) ?? {})));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}

/** Whether two templates are the same but for the pod-template-hash label (upstream EqualIgnoreHash). */
export function equalIgnoreHash(a: Readonly<PodTemplateSpec> | undefined, b: Readonly<PodTemplateSpec> | undefined): boolean {
  return equivalent(withoutHash(a), withoutHash(b));
}

/**
 * Whether two JSON values normalize alike (`normalize`), compared in place: the deployment
 * controller asks it of every ReplicaSet of a Deployment at every sync, and building both normal
 * forms cost more than the rest of the sync.
 *
 *   equivalent({ a: [], b: { c: 1 } }, { b: { c: 1 }, d: {} })   // true
 */
export function equivalent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isMap(a) && isMap(b)) {
    for (const k in a) if (!equivalent(a[k], Object.hasOwn(b, k) ? b[k] : undefined)) return false;
    for (const k in b) if (!Object.hasOwn(a, k) && !vacant(b[k])) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    // Vacant items drop out of a normalized list: compare what is left, in order.
    let i = 0;
    let j = 0;
    for (;;) {
      while (i < a.length && vacant(a[i])) i++;
      while (j < b.length && vacant(b[j])) j++;
      if (i === a.length || j === b.length) return i === a.length && j === b.length;
      if (!equivalent(a[i++], b[j++])) return false;
    }
  }
  return vacant(a) && vacant(b);
}

/** What `normalize` turns into undefined: undefined, and maps and lists holding nothing else. */
function vacant(v: unknown): boolean {
  if (v === undefined) return true;
  if (Array.isArray(v)) return v.every(vacant);
  if (!isMap(v)) return false;
  for (const k in v) if (!vacant(v[k])) return false;
  return true;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function withoutHash(t: Readonly<PodTemplateSpec> | undefined): unknown {
  const labels = t?.metadata?.labels;
  if (!labels || !Object.hasOwn(labels, POD_TEMPLATE_HASH_LABEL)) return t;
  const { [POD_TEMPLATE_HASH_LABEL]: _, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}
