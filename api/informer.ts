import { deepFreeze } from './deep-freeze.js';
import { isExpired, type Api, type KubeObject, type ListResult, type WatchEvent } from './client.js';
import { realClock, type Clock, type Timer } from './clock.js';
import { ObjectIndex, type IndexFunc } from './object-index.js';
import type { ResourceType } from './resources.js';

/**
 * A read-only cache of one resource, kept current by list + watch, telling handlers what changed.
 * When the watch ends (its timeout, a server restart, 410 Expired) it lists again and delivers the
 * difference, so handlers see one consistent stream: an object deleted while disconnected still
 * produces a delete, and an object they have seen is never added twice.
 *
 *   const pods = new Informer<Pod>({ client, resource: resolveResource('pods')!, namespace: 'default' });
 *   pods.on({ add: (p) => queue.add(keyOf(p)), delete: (p) => queue.add(keyOf(p)) });
 *   pods.start();
 *   await pods.synced;
 *   pods.get('default/web-1');   // Readonly<Pod> | undefined: copy it before changing it
 *   pods.stop();
 */
export interface InformerOptions {
  client: Api;
  resource: ResourceType;
  /** Only this namespace; every namespace when unset. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  /** Every resyncMs, `update(obj, obj)` for every cached object, so level-driven loops re-check. */
  resyncMs?: number;
  /** First and longest pause before listing again after a failure. */
  backoff?: { initialMs: number; maxMs: number };
  /** The watch's server-side timeout; the informer lists again when it ends. */
  watchTimeoutSeconds?: number;
  /**
   * A resourceVersion the first list must be at least as fresh as (see `listNotOlderThan`): one the
   * component wrote itself on starting, so that an API server whose cache lags cannot hand it a
   * view older than its own start.
   */
  notOlderThan?: string;
}

export interface Handlers<T> {
  add?(obj: Readonly<T>): void;
  update?(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  delete?(obj: Readonly<T>): void;
}

/** `namespace/name`, or `name` for cluster-scoped objects. */
export function keyOf(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

export class Informer<T extends KubeObject = KubeObject> {
  /** Resolves once the first list is in the cache. */
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private hasSyncedOnce = false;
  private readonly items = new Map<string, Readonly<T>>();
  private readonly indexes = new Map<string, { fn: IndexFunc<T>; index: ObjectIndex<T> }>();
  private readonly handlers: Handlers<T>[] = [];
  private readonly clock: Clock;
  private resourceVersion = '';
  private floor: string | undefined;
  private running = false;
  private stopWatch: (() => void) | undefined;
  private wake: Timer | undefined;
  private wakeUp: (() => void) | undefined;
  private resync: Timer | undefined;

  constructor(private readonly opts: InformerOptions) {
    this.clock = opts.clock ?? realClock;
    this.floor = opts.notOlderThan;
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  /** Starts listing and watching; resolves with `synced`. */
  start(): Promise<void> {
    if (this.running) return this.synced;
    this.running = true;
    void this.run();
    if (this.opts.resyncMs) this.resync = this.clock.setInterval(() => this.resyncAll(), this.opts.resyncMs);
    return this.synced;
  }

  stop(): void {
    this.running = false;
    this.stopWatch?.();
    this.resync?.cancel();
    this.wake?.cancel();
    this.wakeUp?.();
  }

  /** Registers handlers; a late one first hears an add for every object already cached. */
  on(h: Handlers<T>): void {
    this.handlers.push(h);
    for (const obj of this.items.values()) call(() => h.add?.(obj));
  }

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  list(): Readonly<T>[] {
    return [...this.items.values()];
  }

  /**
   * Keeps an index of the cache under `name` (client-go's AddIndexers), for `byIndex`. Loops that
   * share the informer may each add the same index: the same name with the same function is one
   * index; the same name with another function is a mistake and throws.
   *
   *   pods.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
   *   pods.byIndex('node', 'node-1');   // the pods bound to node-1, in list() order
   */
  addIndex(name: string, fn: IndexFunc<T>): void {
    const known = this.indexes.get(name);
    if (known) {
      if (known.fn !== fn) throw new Error(`Cannot add index ${name}: another index of that name exists`);
      return;
    }
    const index = new ObjectIndex(fn);
    for (const [key, obj] of this.items) index.put(key, obj);
    this.indexes.set(name, { fn, index });
  }

  /** The cached objects the index `name` files under `value`, in list() order. */
  byIndex(name: string, value: string): Readonly<T>[] {
    const known = this.indexes.get(name);
    if (!known) throw new Error(`Cannot look up index ${name}: no such index`);
    return known.index.get(value);
  }

  /** How many cached objects the index `name` files under `value`: a cheap size, to pick the smallest lookup. */
  indexCount(name: string, value: string): number {
    const known = this.indexes.get(name);
    if (!known) throw new Error(`Cannot look up index ${name}: no such index`);
    return known.index.count(value);
  }

  hasSynced(): boolean {
    return this.hasSyncedOnce;
  }

  /** The resourceVersion the next watch starts from. */
  lastResourceVersion(): string {
    return this.resourceVersion;
  }

  private async run(): Promise<void> {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 100, maxMs: 10_000 };
    let delay = initialMs;
    while (this.running) {
      try {
        await this.relist();
        delay = initialMs;
        await this.watchUntilEnd();
      } catch {
        // The server is away or refused us; the cache keeps its last state until a list succeeds.
        delay = Math.min(delay * 2, maxMs);
      }
      // Pause even after a clean end, so a server that ends every watch at once is not hammered.
      if (this.running) await this.sleep(delay);
    }
  }

  /** Sets `notOlderThan` for an informer not yet started. */
  listNotOlderThan(resourceVersion: string | undefined): void {
    this.floor = resourceVersion;
  }

  /**
   * Lists, never further back than what this informer has seen (or, the first time, than its floor):
   * as client-go's reflector relists from its last resourceVersion, so that a lagging server cannot
   * take the cache back in time. A resourceVersion the server can no longer serve (410) lists afresh.
   */
  private async relist(): Promise<void> {
    const { client, resource, namespace, labelSelector, fieldSelector } = this.opts;
    const selectors = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
    const from = this.resourceVersion || this.floor;
    let out: ListResult<T>;
    try {
      out = await client.list<T>(resource, namespace, from ? { ...selectors, resourceVersion: from, resourceVersionMatch: 'NotOlderThan' } : selectors);
    } catch (err) {
      if (!from || !isExpired(err)) throw err;
      out = await client.list<T>(resource, namespace, selectors);
    }
    if (!this.running) return;
    this.replace(out.items);
    this.resourceVersion = out.resourceVersion;
    if (!this.hasSyncedOnce) {
      this.hasSyncedOnce = true;
      this.markSynced();
    }
  }

  /** Delivers the difference between the cache and a fresh list as adds, updates and deletes. */
  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const item of items) {
      const obj = deepFreeze(item);
      const key = keyOf(obj);
      seen.add(key);
      const old = this.items.get(key);
      this.store(key, obj);
      if (!old) this.emit((h) => h.add?.(obj));
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit((h) => h.update?.(old, obj));
    }
    for (const [key, old] of this.items) {
      if (seen.has(key)) continue;
      this.remove(key);
      this.emit((h) => h.delete?.(old));
    }
  }

  private async watchUntilEnd(): Promise<void> {
    if (!this.running) return;
    const { client, resource, namespace, labelSelector, fieldSelector } = this.opts;
    const w = client.watch<T>(
      resource,
      namespace,
      {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      },
      // An ERROR (410 Expired above all) means our resourceVersion is of no more use: end, and relist.
      (e) => (e.type === 'ERROR' ? w.stop() : this.apply(e)),
    );
    this.stopWatch = () => w.stop();
    try {
      await w.done;
    } finally {
      this.stopWatch = undefined;
    }
  }

  private apply(e: WatchEvent<T>): void {
    const rv = e.object.metadata?.resourceVersion;
    if (e.type === 'BOOKMARK') {
      if (rv) this.resourceVersion = rv;
      return;
    }
    const obj = deepFreeze(e.object);
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (e.type === 'DELETED') {
      this.remove(key);
      if (old) this.emit((h) => h.delete?.(obj));
    } else {
      this.store(key, obj);
      if (old) this.emit((h) => h.update?.(old, obj));
      else this.emit((h) => h.add?.(obj));
    }
    if (rv) this.resourceVersion = rv;
  }

  /** Every write to the cache goes through here and `remove`, so the indexes never lag it. */
  private store(key: string, obj: Readonly<T>): void {
    this.items.set(key, obj);
    for (const { index } of this.indexes.values()) index.put(key, obj);
  }

  private remove(key: string): void {
    this.items.delete(key);
    for (const { index } of this.indexes.values()) index.delete(key);
  }

  private resyncAll(): void {
    for (const obj of this.items.values()) this.emit((h) => h.update?.(obj, obj));
  }

  private emit(fn: (h: Handlers<T>) => void): void {
    for (const h of this.handlers) call(() => fn(h));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = resolve;
      this.wake = this.clock.setTimeout(resolve, ms);
    });
  }
}

/** One handler's failure is its own: the cache and the other handlers carry on. */
function call(fn: () => void): void {
  try {
    fn();
  } catch {
    // Handlers own their errors (a controller requeues); the informer has nothing to add.
  }
}
