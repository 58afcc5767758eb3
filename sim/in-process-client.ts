import {
  ApiClientError,
  type Api,
  type DeleteOptions,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type PatchType,
  type Watch,
  type WatchEvent,
  type WatchOptions,
} from '../api/client.js';
import type { Clock, Timer } from '../api/clock.js';
import { apiVersionOf, type ResourceType } from '../api/resources.js';
import { ApiError } from '../apiserver/errors.js';
import type { Registry } from '../apiserver/registry.js';
import { copyOfCached, jsonCopy, jsonFaithful } from '../api/json-copy.js';
import type { CachedObject, WatchCache } from '../apiserver/watch-cache.js';
import { Code, StoreError } from '../store/errors.js';

/** One write as the trace records it: who, what, and how it ended (the new resourceVersion or the error's reason). */
export interface WriteRecord {
  actor: string;
  verb: 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'bind';
  resource: string;
  namespace: string | undefined;
  name: string;
  outcome: string;
}

/** Counts the calls and deliveries under way, so that the simulated cluster can tell when all is quiet. */
export class Activity {
  inFlight = 0;
  /** Grows at every start and end of a call and every watch delivery: unchanged means nothing happened. */
  ticks = 0;

  begin(): void {
    this.inFlight++;
    this.ticks++;
  }

  end(): void {
    this.inFlight--;
    this.ticks++;
  }
}

/**
 * Faults a client can be given while it runs; the simulated cluster turns them on and off as commands.
 * `random` decides which requests a drop hits and how long each watch event is held.
 */
export interface ClientFaults {
  /** Chance (0..1) that a request fails as a lost connection: half before the server acts, half after (the answer lost). */
  dropRate: number;
  /** Each watch event reaches the client this long after it happened, drawn in [min, max] ms; order within one watch is kept. */
  watchDelayMs: readonly [number, number] | undefined;
  /**
   * While an object's change is held (a watch delay), a later change of it replaces it: the client
   * sees only the last state, as after a relist or a slow consumer (ADDED then MODIFIED arrives as
   * one ADDED; ADDED then DELETED as nothing).
   */
  coalesce?: boolean;
  /**
   * Lists are served this many revisions behind the store, as by an API server whose watch cache
   * lags (Sieve's stale reads): a component that starts then acts on an old view until its watch,
   * which begins at that old revision, catches up.
   */
  staleRevisions?: number;
  random: () => number;
}

export interface InProcessClientOptions {
  registry: Registry;
  cache: WatchCache;
  clock: Clock;
  /** Names the caller in the trace: `controller-manager`, `scheduler`, `kubelet`, `user`. */
  actor?: string;
  onWrite?(w: WriteRecord): void;
  activity?: Activity;
  faults?: ClientFaults;
  /** End watches after their `timeoutSeconds`, as the API server does (true); the simulated cluster keeps them open, since informers draw that timeout from Math.random. */
  watchTimeouts?: boolean;
  /** How often a watch that asked for bookmarks gets one; 60 s as the API server. */
  bookmarkIntervalMs?: number;
}

/**
 * The API client interface served by the API server's logic in this process: each verb calls the
 * Registry, with the same results and errors (an ApiClientError carrying the Status) that the HTTP
 * client gets from `minik apiserver`, answers copied as if they had crossed the wire, and watches
 * fed by the watch cache and delivered asynchronously.
 *
 *   const store = await Mvcc.open({ backend: await Backend.open() });
 *   const cache = new WatchCache({ store });
 *   const registry = new Registry({ store, cache, clock, strategies: strategies() });
 *   await cache.start(); await ensureSystemNamespaces(registry);
 *   const client = new InProcessClient({ registry, cache, clock });
 *   await client.create(configmaps, 'default', { metadata: { name: 'app' } });
 *   await client.create(configmaps, 'default', { metadata: { name: 'app' } });
 *     // throws ApiClientError: 409 AlreadyExists, 'configmaps "app" already exists'
 */
export class InProcessClient implements Api {
  private readonly actor: string;
  private readonly watches = new Set<() => void>();
  private dead = false;

  constructor(private readonly opts: InProcessClientOptions) {
    this.actor = opts.actor ?? 'client';
  }

  get<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, name: string): Promise<T> {
    return this.call(async () => wire<T>(await this.opts.registry.get(r, ns, name)));
  }

  list<T extends KubeObject = KubeObject>(r: ResourceType, ns?: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    return this.call(async () => {
      const out = await this.opts.registry.list(r, ns, clean({ ...opts, ...this.staleRead(opts) }));
      return {
        items: out.items.map((o) => wire<T>(o)),
        resourceVersion: out.resourceVersion,
        ...(out.continue ? { continue: out.continue } : {}),
      };
    });
  }

  create<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, obj: T): Promise<T> {
    const body = asSent(withType(r, obj));
    return this.write('create', r, ns, obj.metadata?.name ?? obj.metadata?.generateName ?? '', async () => wire<T>((await this.opts.registry.create(r, ns, body)).object));
  }

  update<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, obj: T): Promise<T> {
    const name = nameOf(obj);
    const body = asSent(withType(r, obj));
    return this.write('update', r, ns, name, async () => wire<T>((await this.opts.registry.update(r, ns, name, body)).object));
  }

  updateStatus<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, obj: T): Promise<T> {
    const name = nameOf(obj);
    const body = asSent(withType(r, obj));
    return this.write('updateStatus', r, ns, name, async () => wire<T>((await this.opts.registry.updateStatus(r, ns, name, body)).object));
  }

  patch<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, name: string, type: PatchType, patch: unknown): Promise<T> {
    const body = onWire(patch);
    return this.write('patch', r, ns, name, async () => wire<T>((await this.opts.registry.patch(r, ns, name, type, body)).object));
  }

  delete(r: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    const options = onWire(opts) as DeleteOptions;
    return this.write('delete', r, ns, name, async () => wire(await this.opts.registry.delete(r, ns, name, options)));
  }

  bind(ns: string, podName: string, nodeName: string): Promise<KubeObject> {
    const body = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: podName, namespace: ns },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    return this.write('bind', { resource: 'pods' } as ResourceType, ns, podName, async () => {
      await this.opts.registry.bind(ns, podName, body);
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as KubeObject;
    });
  }

  /**
   * Events after `resourceVersion` (every current object first when it is unset or `0`), each
   * object the watch cache's own, deep-frozen and shared by every watcher (as an informer keeps
   * them: copy one before changing it), delivered after the write that caused it has returned, in
   * order. An expired
   * resourceVersion is an ERROR event with a 410 Status, then the end; a refused watch rejects `done`.
   */
  watch<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watch {
    const { clock, registry, cache, activity, faults } = this.opts;
    if (this.dead) {
      const refused = Promise.reject(new Error(`connect ECONNREFUSED (simulated: ${this.actor} has crashed)`));
      refused.catch(() => undefined);
      return { stop: () => undefined, done: refused };
    }
    let ended = false;
    let stopRegistry: (() => void) | undefined;
    const timers: Timer[] = [];
    let resolveDone!: () => void;
    let rejectDone!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => ((resolveDone = res), (rejectDone = rej)));
    // Events wait in order; a delay fault holds each one, and a later one never passes an earlier.
    let lastDue = clock.now();
    const held = new Set<Held<T>>();
    const finish = () => {
      if (ended) return;
      ended = true;
      stopRegistry?.();
      for (const t of timers) t.cancel();
      for (const h of held) h.timer.cancel();
      held.clear();
      this.watches.delete(finish);
      resolveDone();
    };
    // An event handed over at once is under way until it is; a held one is a timer on the virtual
    // clock, which only moving time fires: counting it as under way would keep the cluster from quiet.
    const deliver = (e: WatchEvent<T>, key?: string, last = false) => {
      if (key !== undefined && faults?.coalesce) {
        const earlier = [...held].find((h) => h.key === key);
        if (earlier) {
          earlier.timer.cancel();
          held.delete(earlier);
          const type = coalescedType(earlier.event.type, e.type);
          if (type === undefined) return;
          e = { type, object: e.object };
        }
      }
      const delay = faults?.watchDelayMs ? faults.watchDelayMs[0] + faults.random() * (faults.watchDelayMs[1] - faults.watchDelayMs[0]) : 0;
      const hand = () => {
        if (ended) return;
        onEvent(e);
        if (last) finish();
      };
      if (delay <= 0 && held.size === 0) {
        activity?.begin();
        return queueMicrotask(() => {
          activity?.end();
          hand();
        });
      }
      lastDue = Math.max(lastDue, clock.now() + Math.round(delay));
      const h: Held<T> = {
        key,
        event: e,
        timer: clock.setTimeout(() => {
          if (held.delete(h)) hand();
        }, lastDue - clock.now()),
      };
      held.add(h);
    };
    // The cache's object is deep-frozen and JSON-shaped, which is all a copy off the wire would
    // guarantee: every watcher shares it, as informers share theirs, instead of parsing its own.
    const event = (type: 'ADDED' | 'MODIFIED' | 'DELETED', o: CachedObject) => deliver({ type, object: o.object as T }, o.key);
    this.watches.add(finish);
    activity?.begin();
    const list = clean({ resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    queueMicrotask(() => {
      registry
        .watch(r, ns, list, {
          event,
          close: (reason) => deliver({ type: 'ERROR', object: ApiError.gone(reason).status() as unknown as T }, undefined, true),
        })
        .then(
          (stop) => {
            if (ended) return stop();
            stopRegistry = stop;
            if (opts.allowWatchBookmarks && registry.cached(r)) {
              const kind = r.kind;
              const apiVersion = apiVersionOf(r);
              timers.push(
                clock.setInterval(() => {
                  deliver({ type: 'BOOKMARK', object: { kind, apiVersion, metadata: { resourceVersion: String(cache.revision) } } as unknown as T });
                }, this.opts.bookmarkIntervalMs ?? 60_000),
              );
            }
            if ((this.opts.watchTimeouts ?? true) && opts.timeoutSeconds && opts.timeoutSeconds > 0) {
              timers.push(clock.setTimeout(finish, opts.timeoutSeconds * 1000));
            }
          },
          (err: unknown) => {
            const e = toApiError(err);
            if (e.code === 410) return deliver({ type: 'ERROR', object: e.status() as unknown as T }, undefined, true);
            ended = true;
            this.watches.delete(finish);
            rejectDone(new ApiClientError(e.status()));
          },
        )
        .finally(() => activity?.end());
    });
    return { stop: finish, done };
  }

  /** Under a stale-read fault, an unqualified list reads an exact revision from the past (never before the cache's history). */
  private staleRead(opts: ListOptions): ListOptions {
    const lag = this.opts.faults?.staleRevisions ?? 0;
    if (lag <= 0 || opts.continue || (opts.resourceVersion && opts.resourceVersion !== '0')) return {};
    const { cache } = this.opts;
    const rev = Math.max(cache.oldestRevision, cache.revision - lag);
    return rev < cache.revision ? { resourceVersion: String(rev), resourceVersionMatch: 'Exact' } : {};
  }

  /** Ends every watch this client opened. */
  close(): void {
    for (const f of [...this.watches]) f();
  }

  /**
   * The process that holds this client is gone (a simulated crash): its watches end and every
   * request from now on fails as a refused connection. Requests the server already has run to the end.
   */
  kill(): void {
    this.dead = true;
    this.close();
  }

  private async write<T>(verb: WriteRecord['verb'], r: ResourceType, ns: string | undefined, name: string, fn: () => Promise<T>): Promise<T> {
    const record = (outcome: string, written?: unknown) => {
      const meta = (written as KubeObject | undefined)?.metadata;
      this.opts.onWrite?.({ actor: this.actor, verb, resource: r.resource, namespace: ns, name: meta?.name ?? name, outcome });
    };
    try {
      const out = await this.call(fn, (when) => record(`dropped ${when}`));
      record(verb === 'bind' ? 'ok' : `rv=${(out as KubeObject).metadata?.resourceVersion ?? '?'}`, out);
      return out;
    } catch (err) {
      if (err instanceof ApiClientError) record(`${err.code} ${err.reason}`);
      throw err;
    }
  }

  /** Runs one request as the HTTP client would see it: errors become ApiClientErrors; a drop fault loses it. */
  private async call<T>(fn: () => Promise<T>, onDrop?: (when: 'request' | 'answer') => void): Promise<T> {
    const { activity, faults } = this.opts;
    activity?.begin();
    try {
      if (this.dead) throw new Error(`connect ECONNREFUSED (simulated: ${this.actor} has crashed)`);
      const drop = faults && faults.dropRate > 0 && faults.random() < faults.dropRate ? (faults.random() < 0.5 ? 'request' : 'answer') : undefined;
      if (drop === 'request') {
        onDrop?.('request');
        throw new Error('socket hang up (simulated: the request was dropped before the server saw it)');
      }
      let out: T;
      try {
        out = await fn();
      } catch (err) {
        throw new ApiClientError(toApiError(err).status());
      }
      if (drop === 'answer') {
        onDrop?.('answer');
        throw new Error('socket hang up (simulated: the server acted, the answer was lost)');
      }
      return out;
    } finally {
      activity?.end();
    }
  }
}

/** A watch event held back by a delay fault, until its timer hands it over. */
interface Held<T extends KubeObject> {
  key: string | undefined;
  event: WatchEvent<T>;
  timer: Timer;
}

/**
 * What a client that missed the state in between sees: the first change's type, unless the object
 * is gone at the end (a DELETED; nothing at all if it was also new) or came back as another object
 * (a DELETED then an ADDED stay one MODIFIED, as a relist would show it).
 */
export function coalescedType(first: WatchEvent['type'], then: WatchEvent['type']): WatchEvent['type'] | undefined {
  if (then === 'DELETED') return first === 'ADDED' ? undefined : 'DELETED';
  if (first === 'DELETED') return 'MODIFIED';
  return first;
}

/** As the API server's HTTP layer maps errors: a store that cannot be reached is a 503, anything unforeseen a 500. */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreError && err.code === Code.Unavailable) return ApiError.unavailable(`the store is unavailable: ${err.message}`);
  return ApiError.internal((err as Error)?.message ?? String(err));
}

/** What a client receives: a copy of its own, as JSON over HTTP would give. */
function wire<T>(o: unknown): T {
  return copyOfCached(o) as T;
}

/** What the server receives: the body as JSON would carry it (undefined fields gone, no shared references). */
function onWire<T>(o: T): T {
  return o === undefined ? o : jsonCopy(o);
}

/**
 * A whole object sent to be decoded (a create, an update): as it is, when JSON would carry it as it
 * is. The server decodes it into objects of its own before the call returns, reading undefined
 * members as absent, so a copy on the way would only be copied again.
 */
function asSent<T>(o: T): T {
  return jsonFaithful(o) ? o : jsonCopy(o);
}

function clean<T extends object>(o: T): T {
  for (const [k, v] of Object.entries(o)) if (v === undefined || v === '') delete (o as Record<string, unknown>)[k];
  return o;
}

/** The object with its apiVersion and kind filled in, first, where the schemas have them (a body in the schema's order decodes fastest). */
function withType<T extends KubeObject>(r: ResourceType, obj: T): T {
  const out: KubeObject = { apiVersion: obj.apiVersion ?? apiVersionOf(r), kind: obj.kind ?? r.kind };
  for (const k in obj) if (k !== 'apiVersion' && k !== 'kind') out[k] = obj[k];
  return out as T;
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error(`Cannot write a ${obj.kind ?? 'object'} without metadata.name`);
  return name;
}
