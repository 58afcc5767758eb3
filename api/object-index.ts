/**
 * The values an index files an object under (client-go's IndexFunc). An object may be filed under
 * several values, or none.
 */
export type IndexFunc<T> = (obj: Readonly<T>) => readonly string[];

/**
 * A secondary index over a keyed cache, kept current as objects come and go, so that "the pods of
 * ReplicaSet u1" costs the size of the answer instead of a scan of the cache (client-go's Indexer).
 * Lookups answer in the order the objects were first put, which is the order of a Map-backed
 * cache's `list()`: a caller switching from a filtered `list()` to a lookup sees the same sequence.
 *
 *   const byApp = new ObjectIndex<Pod>((p) => [p.metadata?.labels?.app ?? '']);
 *   byApp.put('default/a', podA);        // app=web
 *   byApp.put('default/b', podB);        // app=db
 *   byApp.put('default/c', podC);        // app=web
 *   byApp.get('web')                     = [podA, podC]
 *   byApp.put('default/a', podA2);       // relabelled app=db: moves, keeps its place before b
 *   byApp.get('db')                      = [podA2, podB]
 *   byApp.delete('default/b');  byApp.get('db') = [podA2]
 */
export class ObjectIndex<T> {
  /** Value -> the entries filed under it, in put order while `ordered`, else sorted on the next get. */
  private readonly buckets = new Map<string, Bucket<T>>();
  /** Key -> its entry: the object, the values it is filed under, and when its key was first put. */
  private readonly entries = new Map<string, Entry<T>>();
  private nextSeq = 0;

  constructor(private readonly fn: IndexFunc<T>) {}

  /** Adds or replaces the object under `key`. */
  put(key: string, obj: Readonly<T>): void {
    const old = this.entries.get(key);
    const values = [...new Set(this.fn(obj))];
    const entry: Entry<T> = { obj, values, seq: old ? old.seq : this.nextSeq++ };
    this.entries.set(key, entry);
    if (old) {
      for (const v of old.values) if (!values.includes(v)) this.unfile(v, key);
    }
    for (const v of values) {
      let bucket = this.buckets.get(v);
      if (!bucket) this.buckets.set(v, (bucket = { entries: new Map(), lastSeq: -1, ordered: true }));
      // An older key joining after newer ones breaks the put order: sort once, when next asked.
      if (!bucket.entries.has(key) && entry.seq < bucket.lastSeq) bucket.ordered = false;
      bucket.entries.set(key, entry);
      bucket.lastSeq = Math.max(bucket.lastSeq, entry.seq);
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    for (const v of old.values) this.unfile(v, key);
    this.entries.delete(key);
  }

  /** The objects filed under `value`, in the order their keys were first put. */
  get(value: string): Readonly<T>[] {
    const bucket = this.buckets.get(value);
    if (!bucket) return [];
    if (!bucket.ordered) {
      const sorted = [...bucket.entries].sort(([, a], [, b]) => a.seq - b.seq);
      bucket.entries = new Map(sorted);
      bucket.ordered = true;
    }
    const out: Readonly<T>[] = [];
    for (const e of bucket.entries.values()) out.push(e.obj);
    return out;
  }

  /** How many objects are filed under `value`, without building the list. */
  count(value: string): number {
    return this.buckets.get(value)?.entries.size ?? 0;
  }

  private unfile(value: string, key: string): void {
    const bucket = this.buckets.get(value);
    if (!bucket) return;
    bucket.entries.delete(key);
    if (bucket.entries.size === 0) this.buckets.delete(value);
  }
}

interface Entry<T> {
  readonly obj: Readonly<T>;
  readonly values: readonly string[];
  readonly seq: number;
}

interface Bucket<T> {
  entries: Map<string, Entry<T>>;
  /** The highest seq ever filed here: a lower one arriving means `entries` is out of order. */
  lastSeq: number;
  ordered: boolean;
}
