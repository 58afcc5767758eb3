import type { Logger } from '../api/log.js';
import { silentLogger } from '../api/log.js';
import { deepFreeze } from '../api/deep-freeze.js';
import type { KV, Watch } from '../store/kv.js';
import type { WatchResponse } from '../store/types.js';
import { ApiError } from './errors.js';
import { jsonAdoptSharing, jsonCopy, jsonCopySharing } from '../api/json-copy.js';
import { revisionPairs, type RevisionPairs } from './revision-pairs.js';

/** An object as the cache holds it: parsed once, its resourceVersion set, serialized once. */
export interface CachedObject {
  readonly key: string;
  readonly rev: number;
  readonly object: Readonly<KubeObject>;
  readonly json: string;
}

export type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: EventType;
  key: string;
  rev: number;
  /** For DELETED, the object as it was last, with the deletion's resourceVersion. */
  current: CachedObject;
  previous: CachedObject | undefined;
}

export interface CacheWatcher {
  prefix: string;
  onEvent(ev: CacheEvent): void;
  /** The cache could not go on (its history was lost): the watcher must end; clients relist. */
  onClose(reason: string): void;
}

export interface WatchCacheOptions {
  store: KV;
  logger?: Logger;
  /**
   * The most events kept for watches that resume from a resourceVersion (kube-apiserver's upper
   * bound, 100 * 1024). Fewer are kept once they are old: see `freshMs`.
   */
  historySize?: number;
  /**
   * Events younger than this are always kept (up to `historySize`); older ones go once more than
   * `minHistory` are kept. kube-apiserver's eventFreshDuration: a bookmark interval and then some,
   * so that a client that had its last bookmark can resume from it.
   */
  freshMs?: number;
  minHistory?: number;
  /** The clock `freshMs` is measured on (the simulated cluster's is virtual). */
  now?: () => number;
  /** How long a read waits for the cache to reach a revision before giving up. */
  waitTimeoutMs?: number;
  /**
   * Resources (the path segment after /registry/) the cache keeps no copy of, whose reads and
   * watches go to the store: `UNCACHED_RESOURCES` unless given.
   */
  uncached?: Iterable<string>;
}

const PREFIX = '/registry/';
const PREFIX_END = '/registry0';

/**
 * Events, as kube-apiserver leaves them out of its watch cache (its default cache size for them
 * is 0): they are most of the writes of a busy cluster, five or so a pod, are read far more seldom
 * than written, and a cache of them would hold every Event of the last hour.
 */
export const UNCACHED_RESOURCES: ReadonlySet<string> = new Set(['events']);

/**
 * The API server's view of the store: one store watch over everything under /registry/ feeds an
 * in-memory copy, which serves every list and every client watch. A hundred watchers cost the
 * store one watch. Recent events are kept so a client can resume a watch from a resourceVersion;
 * older ones get 410 Expired and relist, as with kube-apiserver.
 */
export class WatchCache {
  private readonly store: KV;
  /** Revisions this API server wrote, decoded once for its answer and its watch event. */
  private readonly pairs: RevisionPairs;
  private readonly log: Logger;
  private readonly historySize: number;
  private readonly freshMs: number;
  private readonly minHistory: number;
  private readonly now: () => number;
  private readonly waitTimeoutMs: number;
  private readonly uncached: ReadonlySet<string>;
  /** Objects by resource (the path segment after /registry/), then by key. */
  private readonly byResource = new Map<string, Map<string, CachedObject>>();
  /**
   * Recent events, oldest first, from index `first` on (slots before it are dropped events, cleared
   * so that what they held can go, and cut off in one go once they are half the array).
   */
  private history: Array<CacheEvent | undefined> = [];
  private recordedAt: number[] = [];
  private first = 0;
  /** The oldest revision a watch may resume after without missing events. */
  private oldest = 0;
  private rev = 0;
  private readonly watchers = new Set<CacheWatcher>();
  private readonly waiters: Array<{ rev: number; resolve: () => void }> = [];
  private storeWatch: Watch | undefined;
  private stopped = false;
  private readyResolve!: () => void;
  private isSynced = false;
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));

  constructor(opts: WatchCacheOptions) {
    this.store = opts.store;
    this.pairs = revisionPairs(opts.store);
    this.log = opts.logger ?? silentLogger();
    this.historySize = opts.historySize ?? 100 * 1024;
    this.freshMs = opts.freshMs ?? 75_000;
    this.minHistory = Math.min(opts.minHistory ?? 1_000, this.historySize);
    this.now = opts.now ?? Date.now;
    this.waitTimeoutMs = opts.waitTimeoutMs ?? 3_000;
    this.uncached = new Set(opts.uncached ?? UNCACHED_RESOURCES);
  }

  /** Whether the cache holds a resource's objects (see `UNCACHED_RESOURCES`); if not, the store serves them. */
  caches(resource: string): boolean {
    return !this.uncached.has(resource);
  }

  /** Lists everything cached, then follows the store from there on. */
  async start(): Promise<void> {
    // One snapshot: the first range fixes the revision the others read at.
    let revision = 0;
    this.byResource.clear();
    for (const [from, to] of cachedRanges(this.uncached)) {
      const list = await this.store.range({ key: Buffer.from(from), rangeEnd: Buffer.from(to), revision });
      revision = list.header.revision;
      for (const kv of list.kvs) {
        const key = kv.key.toString();
        this.put(key, decode(key, kv.value, kv.modRevision));
      }
    }
    this.rev = revision;
    this.oldest = this.rev;
    this.history = [];
    this.recordedAt = [];
    this.first = 0;
    this.follow(this.rev + 1);
    this.log.info({ revision: this.rev, objects: [...this.byResource.values()].reduce((n, m) => n + m.size, 0) }, 'watch cache ready');
    this.isSynced = true;
    this.readyResolve();
    this.release();
  }

  get revision(): number {
    return this.rev;
  }

  /** Whether the first list is in: until then reads and watches wait. */
  get synced(): boolean {
    return this.isSynced;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** The oldest revision a watch may start after: older history is gone from the cache. */
  get oldestRevision(): number {
    return this.oldest;
  }

  get(key: string): CachedObject | undefined {
    return this.byResource.get(resourceOf(key))?.get(key);
  }

  /** Objects under a prefix, in key order, as the store would list them. */
  list(prefix: string): CachedObject[] {
    const map = this.byResource.get(resourceOf(prefix));
    if (!map) return [];
    const out: CachedObject[] = [];
    for (const o of map.values()) if (o.key.startsWith(prefix)) out.push(o);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Resolves once the cache has seen revision `rev`; a 504 if it does not in time. */
  async waitFor(rev: number): Promise<void> {
    if (this.rev >= rev) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.findIndex((w) => w.resolve === done);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new ApiError(504, 'Timeout', `Too large resource version: ${rev}, current: ${this.rev}`, { retryAfterSeconds: 1 }));
      }, this.waitTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ rev, resolve: done });
    });
  }

  /**
   * Registers a watcher for events after `afterRev`, replaying what the history holds since then.
   * Throws 410 Expired if the history no longer reaches back that far.
   */
  watchFrom(afterRev: number, w: CacheWatcher): () => void {
    if (afterRev < this.oldest) {
      throw ApiError.gone(`too old resource version: ${afterRev} (${this.oldest})`);
    }
    for (let i = this.first; i < this.history.length; i++) {
      const ev = this.history[i]!;
      if (ev.rev > afterRev && ev.key.startsWith(w.prefix)) w.onEvent(ev);
    }
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  /** Registers a watcher after a snapshot of what is under its prefix now, atomically. */
  watchWithSnapshot(w: CacheWatcher): { snapshot: CachedObject[]; rev: number; stop: () => void } {
    const snapshot = this.list(w.prefix);
    this.watchers.add(w);
    return { snapshot, rev: this.rev, stop: () => this.watchers.delete(w) };
  }

  stop(): void {
    this.stopped = true;
    this.storeWatch?.cancel();
    for (const w of [...this.watchers]) w.onClose('the API server is shutting down');
    this.watchers.clear();
  }

  private follow(from: number): void {
    this.storeWatch = this.store.watch(
      { key: Buffer.from(PREFIX), rangeEnd: Buffer.from(PREFIX_END), startRevision: from },
      (r) => this.onStore(r),
    );
  }

  private onStore(r: WatchResponse): void {
    if (this.stopped) return;
    if (r.canceled) {
      // The store compacted away what the cache had not seen: start over, and make every client relist.
      this.log.warn({ compactRevision: r.compactRevision, revision: this.rev }, 'watch cache lost its place; relisting');
      for (const w of [...this.watchers]) w.onClose(`too old resource version: ${this.rev} (${r.compactRevision ?? 0})`);
      this.watchers.clear();
      this.start().catch((err) => this.log.error({ err }, 'watch cache relist failed'));
      return;
    }
    for (const e of r.events) {
      const key = e.kv.key.toString();
      const rev = e.kv.modRevision;
      if (this.uncached.has(resourceOf(key))) {
        // Not kept, but seen: reads that wait for this revision may go on.
        this.rev = rev;
        continue;
      }
      const previous = this.get(key);
      let ev: CacheEvent;
      if (e.type === 'DELETE') {
        if (!previous) {
          this.rev = rev;
          continue;
        }
        this.byResource.get(resourceOf(key))?.delete(key);
        ev = { type: 'DELETED', key, rev, current: withRevision(previous, rev), previous };
      } else {
        const current = this.pairs.decode(key, e.kv.value, rev, decode);
        this.put(key, current);
        ev = { type: previous ? 'MODIFIED' : 'ADDED', key, rev, current, previous };
      }
      this.rev = rev;
      this.record(ev);
      for (const w of this.watchers) if (key.startsWith(w.prefix)) w.onEvent(ev);
      // Every watcher has written this event out. Its JSON is now asked for only by a list, a get,
      // a watch resuming from the past or the write's own answer, each of which can write it again
      // from the frozen object: it need not be kept beside the object, doubling what each costs.
      if (previous instanceof Entry) previous.forgetJson();
      if (ev.current instanceof Entry) ev.current.forgetJson();
    }
    if (r.events.length === 0 && r.header.revision > this.rev && !r.created) this.rev = r.header.revision;
    this.release();
  }

  private put(key: string, o: CachedObject): void {
    const resource = resourceOf(key);
    let map = this.byResource.get(resource);
    if (!map) this.byResource.set(resource, (map = new Map()));
    map.set(key, o);
  }

  /** Keeps `ev` for resuming watches, and lets go of what is now too old or too many. */
  private record(ev: CacheEvent): void {
    const now = this.now();
    this.history.push(ev);
    this.recordedAt.push(now);
    let first = this.first;
    for (;;) {
      const kept = this.history.length - first;
      const stale = kept > this.minHistory && now - this.recordedAt[first]! > this.freshMs;
      if (kept <= this.historySize && !stale) break;
      this.oldest = this.history[first]!.rev;
      this.history[first++] = undefined;
    }
    if (first > 1024 && first * 2 > this.history.length) {
      this.history = this.history.slice(first);
      this.recordedAt = this.recordedAt.slice(first);
      first = 0;
    }
    this.first = first;
  }

  /** Events kept for resuming watches. */
  get historyLength(): number {
    return this.history.length - this.first;
  }

  private release(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (w.rev <= this.rev) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }
}

/**
 * The store ranges that hold what the cache keeps: everything under /registry/ but the uncached
 * resources' prefixes, in key order.
 *   cachedRanges(new Set(['events'])) -> [['/registry/', '/registry/events/'], ['/registry/events0', '/registry0']]
 */
export function cachedRanges(uncached: ReadonlySet<string>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let from = PREFIX;
  for (const r of [...uncached].sort()) {
    out.push([from, `${PREFIX}${r}/`]);
    from = `${PREFIX}${r}0`;
  }
  out.push([from, PREFIX_END]);
  return out.filter(([a, b]) => a < b);
}

/** `/registry/pods/default/web` -> `pods`. */
export function resourceOf(key: string): string {
  const rest = key.slice(PREFIX.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** The cache entry of each object decoded from the store, whose JSON answers share. */
const entries = new WeakMap<object, Entry>();

/**
 * The JSON of an object as it came from the store, if it did (read-only, so still true), kept with
 * it until the object changes: what a list answers with, since a list is asked for again.
 */
export function serializedJson(o: unknown): string | undefined {
  return o !== null && typeof o === 'object' ? entries.get(o)?.json : undefined;
}

/** As `serializedJson`, for an answer about one object (a get, a write): the JSON is not kept. */
export function serializedJsonOnce(o: unknown): string | undefined {
  return o !== null && typeof o === 'object' ? entries.get(o)?.jsonOnce() : undefined;
}

/**
 * Decoded values by the stored bytes they came from. The store hands out the very Buffer it was
 * given for a revision (to the writer's answer, to later reads of the key, to the watch), so each
 * revision is parsed once however many readers it has; the bytes going away ends the entry.
 */
const decoded = new WeakMap<Buffer, CachedObject>();

/**
 * An object from the store: its resourceVersion is the revision that wrote it. Frozen, since every
 * reader of that revision shares it: whoever wants to change it copies it first.
 */
export function decode(key: string, value: Buffer, rev: number): CachedObject {
  const known = decoded.get(value);
  if (known && known.rev === rev && known.key === key) return known;
  const source = sources.get(value) ?? sourceOfCopy(key, value);
  let object: KubeObject;
  let json: string | undefined;
  if (source) {
    sources.delete(value);
    object = adopted(source.object, source.previous, rev) ?? copiedSource(source.object, source.previous, rev);
  } else {
    // The text is at hand and would be garbage: the JSON of every answer and watch event of this
    // revision is it, with the revision spliced in, rather than the object serialized again.
    const text = value.toString('utf8');
    object = JSON.parse(text) as KubeObject;
    object.metadata = { resourceVersion: String(rev), ...(object.metadata ?? {}) };
    json = textWithRevision(text, rev);
  }
  const out = cached(key, rev, object, json);
  decoded.set(value, out);
  return out;
}

/**
 * The written object as the cached revision, without copying all of it: the writer handed it over
 * with the write (see `encodeObject`), so only its top level and metadata are written afresh (the
 * writer deleted fields there, which leaves an object slow to read; the resourceVersion goes first,
 * where the JSON of the revision has it), and every part that did not change is the previous revision's. Undefined if it
 * cannot be taken as it is (JSON would change it, or parts of it are frozen: someone else's).
 */
function adopted(object: KubeObject, previous: Readonly<KubeObject> | undefined, rev: number): KubeObject | undefined {
  const top: KubeObject = {};
  let metadata: Record<string, unknown> | undefined;
  for (const k in object) {
    const v = object[k];
    if (v === undefined) continue;
    if (k !== 'metadata') top[k] = v;
    else if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    else {
      // With its own resourceVersion, the metadata cannot be taken for the previous revision's.
      metadata = { resourceVersion: String(rev) };
      for (const m in v) if (m !== 'resourceVersion' && (v as Record<string, unknown>)[m] !== undefined) metadata[m] = (v as Record<string, unknown>)[m];
      top.metadata = metadata;
    }
  }
  const out = jsonAdoptSharing(top, previous);
  if (out === undefined) return undefined;
  out.metadata ??= { resourceVersion: String(rev) };
  return out;
}

function copiedSource(object: KubeObject, previous: Readonly<KubeObject> | undefined, rev: number): KubeObject {
  const { resourceVersion: _, ...metadata } = (object.metadata ?? {}) as Record<string, unknown>;
  const copied = { ...object, metadata: { resourceVersion: String(rev), ...metadata } };
  return previous ? jsonCopySharing(copied, previous) : jsonCopy(copied);
}

/** Objects by the bytes `encodeObject` wrote them as, until those bytes are decoded or gone. */
const sources = new WeakMap<Buffer, { object: KubeObject; previous: Readonly<KubeObject> | undefined }>();

/**
 * The bytes of each write in flight, by key. A store in another process hands its watch event
 * another Buffer than the writer's, often before the writer's answer: the same bytes are the same
 * object, so the event takes the writer's object (and what it shares) instead of parsing.
 */
const inFlight = new Map<string, Buffer>();

function sourceOfCopy(key: string, value: Buffer) {
  const mine = inFlight.get(key);
  return mine !== undefined && mine !== value && mine.equals(value) ? sources.get(mine) : undefined;
}

/** The write of `value` to `key` has been answered: its watch event, if still to come, parses. */
export function settled(key: string, value: Buffer): void {
  if (inFlight.get(key) === value) inFlight.delete(key);
}

/**
 * The bytes an object is stored as: its JSON without the resourceVersion (the revision is), led by
 * apiVersion, kind and metadata as Kubernetes writes them, so that a reader can splice the revision
 * in (`textWithRevision`) instead of serializing the object again. The object is remembered with
 * them, so that decoding them (the watch sees a write before its writer does) takes the object
 * itself instead of parsing (`adopted`; a copy when it cannot): the writer hands it over, and must
 * not change it from here on, as the cache may hold it, frozen. `previous`, the cached revision the
 * object replaces, lends it every part that did not change, so that the revisions the cache keeps
 * for resuming watches share them. With `key`, the write is in flight until `settled`.
 */
export function encodeObject(object: KubeObject, previous?: Readonly<KubeObject>, key?: string): Buffer {
  const metadata: Record<string, unknown> = {};
  const meta = object.metadata as Record<string, unknown> | undefined;
  for (const k in meta) if (k !== 'resourceVersion') metadata[k] = meta[k];
  const stored: KubeObject = { apiVersion: object.apiVersion, kind: object.kind, metadata };
  for (const k in object) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') stored[k] = object[k];
  const value = Buffer.from(JSON.stringify(stored));
  sources.set(value, { object, previous });
  if (key !== undefined) inFlight.set(key, value);
  return value;
}

/** How `encodeObject` opens an object: metadata's opening brace ends the match. */
const STORED_LEAD = /^\{"apiVersion":"[^"\\]*","kind":"[^"\\]*","metadata":\{/;

/**
 * The JSON of a stored object at a revision: the stored text with `resourceVersion` as metadata's
 * first field. Undefined for text not opened as `encodeObject` opens it (written by something
 * else): its JSON is then serialized from the object when first asked for.
 */
export function textWithRevision(text: string, rev: number): string | undefined {
  const lead = STORED_LEAD.exec(text);
  if (!lead) return undefined;
  const at = lead[0].length;
  return `${text.slice(0, at)}"resourceVersion":"${rev}"${text.charCodeAt(at) === 0x7d ? '' : ','}${text.slice(at)}`;
}

/** The object as it was, at another revision: what a deletion's watchers get. */
export function withRevision(o: CachedObject, rev: number): CachedObject {
  const { resourceVersion: _, ...metadata } = (o.object.metadata ?? {}) as Record<string, unknown>;
  return cached(o.key, rev, { ...o.object, metadata: { resourceVersion: String(rev), ...metadata } });
}

function cached(key: string, rev: number, object: KubeObject, json?: string): CachedObject {
  const out = new Entry(key, rev, deepFreeze(object), json);
  entries.set(object, out);
  return out;
}

/**
 * A cached object whose JSON, unless decoding had it at hand, is written when first asked for: most
 * revisions written in this process are only read as objects (by watchers in this process, by the
 * next read-modify-write), and the object is frozen, so JSON written later is the same as JSON
 * written now.
 */
class Entry implements CachedObject {
  constructor(
    readonly key: string,
    readonly rev: number,
    readonly object: Readonly<KubeObject>,
    private serialized?: string,
  ) {}

  get json(): string {
    return (this.serialized ??= JSON.stringify(this.object));
  }

  /** The JSON, written again if let go, and not kept: for one answer, where `json` serves many watchers. */
  jsonOnce(): string {
    return this.serialized ?? JSON.stringify(this.object);
  }

  /** Lets the JSON go; asked for again, it is written again from the (frozen, unchanged) object. */
  forgetJson(): void {
    this.serialized = undefined;
  }
}
