import { KeyIndex } from './key-index.js';
import type { Revision } from './revision.js';

/** Where a key stood at a revision: what a range reads before it fetches the values. */
export interface IndexEntry {
  key: string;
  modified: Revision;
  created: Revision;
  version: number;
}

/**
 * Every key's history, ordered by key. Keys are latin1 strings (one char a byte), so that string
 * order is byte order. New keys land in an unsorted tail and are merged into the sorted list at the
 * next range: a burst of creates costs O(1) each, and a range pays one merge.
 *
 * `end` follows etcd: undefined means the single key, '' means every key from `key` on, otherwise
 * the half-open range [key, end).
 */
export class TreeIndex {
  private readonly byKey = new Map<string, KeyIndex>();
  private sorted: string[] = [];
  private unsorted: string[] = [];

  get size(): number {
    return this.byKey.size;
  }

  put(key: string, rev: Revision): void {
    this.indexOf(key).put(rev);
  }

  /** False if the key was not live (nothing to delete). */
  tombstone(key: string, rev: Revision): boolean {
    const ki = this.byKey.get(key);
    return ki ? ki.tombstone(rev) : false;
  }

  restore(key: string, created: Revision, modified: Revision, version: number): void {
    const ki = new KeyIndex();
    ki.restore(created, modified, version);
    this.insert(key, ki);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string, atRev: number): IndexEntry | undefined {
    const found = this.byKey.get(key)?.get(atRev);
    return found && { key, ...found };
  }

  range(key: string, end: string | undefined, atRev: number): IndexEntry[] {
    if (end === undefined) {
      const one = this.get(key, atRev);
      return one ? [one] : [];
    }
    const out: IndexEntry[] = [];
    this.visit(key, end, (k, ki) => {
      const found = ki.get(atRev);
      if (found) out.push({ key: k, ...found });
    });
    return out;
  }

  /** Keys in range that are live now (at the newest revision), with their index. */
  liveKeys(key: string, end: string | undefined): string[] {
    if (end === undefined) return this.byKey.get(key)?.isLive() ? [key] : [];
    const out: string[] = [];
    this.visit(key, end, (k, ki) => {
      if (ki.isLive()) out.push(k);
    });
    return out;
  }

  /** Compacts every key at `atRev`; returns the revisions (as revisionId) that must stay stored. */
  compact(atRev: number): Set<string> {
    const keep = new Set<string>();
    let removed = false;
    for (const [key, ki] of this.byKey) {
      ki.compact(atRev, keep);
      if (ki.isEmpty()) {
        this.byKey.delete(key);
        removed = true;
      }
    }
    if (removed) {
      this.merge();
      this.sorted = this.sorted.filter((k) => this.byKey.has(k));
    }
    return keep;
  }

  private indexOf(key: string): KeyIndex {
    let ki = this.byKey.get(key);
    if (!ki) {
      ki = new KeyIndex();
      this.insert(key, ki);
    }
    return ki;
  }

  private insert(key: string, ki: KeyIndex): void {
    this.byKey.set(key, ki);
    const last = this.sorted[this.sorted.length - 1];
    // Keys that arrive in order (the common case: a restore, a sequence of names) need no merge.
    if (this.unsorted.length === 0 && (last === undefined || last < key)) this.sorted.push(key);
    else this.unsorted.push(key);
  }

  private visit(key: string, end: string, fn: (key: string, ki: KeyIndex) => void): void {
    this.merge();
    const keys = this.sorted;
    for (let i = lowerBound(keys, key); i < keys.length; i++) {
      const k = keys[i]!;
      if (end !== '' && k >= end) break;
      fn(k, this.byKey.get(k)!);
    }
  }

  private merge(): void {
    if (this.unsorted.length === 0) return;
    const add = this.unsorted.sort();
    this.unsorted = [];
    const out: string[] = new Array(this.sorted.length + add.length);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.sorted.length && j < add.length) {
      out[n++] = this.sorted[i]! < add[j]! ? this.sorted[i++]! : add[j++]!;
    }
    while (i < this.sorted.length) out[n++] = this.sorted[i++]!;
    while (j < add.length) out[n++] = add[j++]!;
    this.sorted = out;
  }
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
