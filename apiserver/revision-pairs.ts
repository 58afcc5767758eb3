import type { CachedObject } from './watch-cache.js';

/** Enough for the writes in flight between a store's answer and its watch event; past it the oldest go. */
const MAX_WAITING = 1024;

/**
 * Each revision this API server writes reaches it twice: in the store's answer to the write, and
 * in the store's watch event. When the store is another process the two carry the same bytes in
 * different Buffers, so each was parsed on its own. Whichever comes first is decoded and waits
 * here, by key; the other takes it. A key at a revision has one value in a store, and the byte
 * length is checked as well, so a store started afresh under a running API server cannot hand
 * back a stale object.
 *
 *   const pairs = new RevisionPairs();
 *   pairs.decode(key, answerBytes, 7, decode)   // parsed
 *   pairs.decode(key, watchedBytes, 7, decode)  // the same object, not parsed again
 */
export class RevisionPairs {
  private readonly waiting = new Map<string, { rev: number; bytes: number; decoded: CachedObject }>();

  decode(key: string, value: Buffer, rev: number, decode: (key: string, value: Buffer, rev: number) => CachedObject): CachedObject {
    const first = this.waiting.get(key);
    if (first) {
      this.waiting.delete(key);
      if (first.rev === rev && first.bytes === value.length) return first.decoded;
    }
    const decoded = decode(key, value, rev);
    this.waiting.set(key, { rev, bytes: value.length, decoded });
    if (this.waiting.size > MAX_WAITING) this.waiting.delete(this.waiting.keys().next().value!);
    return decoded;
  }

  get size(): number {
    return this.waiting.size;
  }

  /** Whether a decoded revision of `key` waits for its other half. */
  has(key: string): boolean {
    return this.waiting.has(key);
  }
}

const byStore = new WeakMap<object, RevisionPairs>();

/** The pairs of one store client: its writers and its watch cache share them. */
export function revisionPairs(store: object): RevisionPairs {
  let pairs = byStore.get(store);
  if (!pairs) byStore.set(store, (pairs = new RevisionPairs()));
  return pairs;
}
