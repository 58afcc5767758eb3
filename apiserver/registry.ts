import { randomUUID } from 'node:crypto';
import type { Clock } from '../api/clock.js';
import { parseFieldSelector } from '../api/fields.js';
import { parseSelector } from '../api/labels.js';
import type { Logger } from '../api/log.js';
import { silentLogger } from '../api/log.js';
import { generateName, validateObjectName } from '../api/names.js';
import { apiVersionOf, RESOURCES, storeKey, storePrefix, SUBRESOURCE_SCHEMAS, type ResourceType } from '../api/resources.js';
import type { KV } from '../store/kv.js';
import { claimChanges, claimKeys, NO_CLAIM_CHANGES, refusedClaims, type Allocator, type ClaimChanges } from './allocator.js';
import { decodeObject, type FieldValidation } from './decode.js';
import { ApiError, fieldError, type FieldError } from './errors.js';
import type { PatchType } from './http/body.js';
import { copyOfCached, jsonClone, jsonCopy } from '../api/json-copy.js';
import { afterUpdate, clientSideApplied, conflictMessage, describeManager, managedFieldsOf, planApply, removeFields, requestedManagedFields, type Writer } from './managed-fields/managed-fields.js';
import { formatPath } from './managed-fields/field-set.js';
import { heldByNamespaceFinalizers, markNamespaceTerminating } from './namespace-lifecycle.js';
import { ObjectStore, type Guard } from './object-store.js';
import { checkApplyConfiguration } from './apply-configuration.js';
import { patchObject } from './patch-object.js';
import { DEFAULT_SERVICE_RANGES, ServiceAllocator } from './service-allocator.js';
import { metadataFields, type Strategy } from './strategy.js';
import { resourceOf, type CacheEvent, type CacheWatcher, type CachedObject, type KubeObject, type WatchCache } from './watch-cache.js';
import { jsonEqual } from '../api/json-equal.js';
import { secondsTimestamp } from '../api/timestamp.js';

/** The namespaces Kubernetes refuses to delete. */
const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export interface WriteOptions {
  dryRun?: boolean;
  fieldValidation?: FieldValidation;
  /** Who writes, for field ownership (managedFields). A write that names one is tracked. */
  fieldManager?: string;
  /** The manager of a write that names none (the client's User-Agent), if its object is tracked. */
  defaultManager?: string;
  /** A server-side apply takes fields other managers own instead of failing on them. */
  force?: boolean;
}

/** Which part of an object a write goes through, for its managedFields entry. */
type Through = { subresource?: 'status' | 'scale'; ownership?: 'recorded' };

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** How `resourceVersion` is read: `NotOlderThan` (the default) or `Exact`, a snapshot of the store then. */
  resourceVersionMatch?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WatchSink {
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: CachedObject): void;
  close(reason: string): void;
}

export interface Written {
  object: KubeObject;
  warnings: string[];
}

export interface RegistryOptions {
  store: KV;
  cache: WatchCache;
  clock: Clock;
  strategies: Map<ResourceType, Strategy>;
  logger?: Logger;
  random?: () => number;
  /** New objects' metadata.uid; random UUIDs unless given (a simulated cluster numbers them, to replay a run). */
  uid?: () => string;
  /** Where cluster IPs come from (kube-apiserver's --service-cluster-ip-range); 10.96.0.0/12. */
  serviceCidr?: string;
  /** Node ports, `min-max` (--service-node-port-range); 30000-32767. */
  nodePortRange?: string;
  /** The simulated load balancers' external IPs; 172.18.0.0/16. */
  loadBalancerCidr?: string;
}

/** How often a write picks again after other writers took the values it picked. */
const CLAIM_ATTEMPTS = 10;

/** What a read-modify-write computes from the current object: the next one, or nothing to do. */
type Mutation = (current: KubeObject) => KubeObject | 'unchanged';

/**
 * What a mutation gets of the cached object: a whole copy ('copy'), or ('shared', for the
 * registry's own updates, which change only the top level and the metadata) a copy of those two
 * levels whose other parts are the cached object's, frozen.
 */
type Base = 'copy' | 'shared';

/** The cached object with its top level and metadata copied, every other part shared (frozen). */
function sharing(old: KubeObject): KubeObject {
  return old.metadata === undefined ? { ...old } : { ...old, metadata: jsonClone(old.metadata) };
}

/**
 * The API's logic, apart from HTTP: every verb on every resource, over the store and the watch
 * cache. The HTTP layer only translates requests into these calls and their results into answers,
 * so the same logic runs in one process with no sockets.
 */
export class Registry {
  private readonly objects: ObjectStore;
  private readonly cache: WatchCache;
  private readonly clock: Clock;
  private readonly strategies: Map<ResourceType, Strategy>;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly uid: () => string;
  /** By kind: what objects of that kind hold alone, claimed in the store with their writes. */
  private readonly allocators: Map<string, Allocator>;

  constructor(opts: RegistryOptions) {
    this.objects = new ObjectStore(opts.store, (key) => opts.cache.caches(resourceOf(key)));
    this.cache = opts.cache;
    this.clock = opts.clock;
    this.strategies = opts.strategies;
    this.log = opts.logger ?? silentLogger();
    this.random = opts.random ?? Math.random;
    this.uid = opts.uid ?? randomUUID;
    const ranges = {
      serviceCidr: opts.serviceCidr ?? DEFAULT_SERVICE_RANGES.serviceCidr,
      nodePortRange: opts.nodePortRange ?? DEFAULT_SERVICE_RANGES.nodePortRange,
      loadBalancerCidr: opts.loadBalancerCidr ?? DEFAULT_SERVICE_RANGES.loadBalancerCidr,
    };
    this.allocators = new Map([['Service', new ServiceAllocator(ranges, this.random)]]);
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get(r: ResourceType, ns: string | undefined, name: string, opts: { resourceVersion?: string } = {}): Promise<KubeObject> {
    const key = storeKey(r, ns, name);
    const found = opts.resourceVersion === '0' && this.cached(r) ? this.cache.get(key) : await this.objects.get(key);
    if (!found) throw ApiError.notFound(r, name);
    return found.object as KubeObject;
  }

  /**
   * A list, from the watch cache. Without a resourceVersion the read is consistent: it waits until
   * the cache has caught up with the store's revision now. `0` takes the cache as it is.
   */
  async list(r: ResourceType, ns: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    const match = this.matcher(r, opts);
    if (checkVersionMatch(opts)) return this.listExact(r, ns, opts, match);
    if (opts.continue) return this.listContinue(r, ns, opts, match);
    if (!this.cached(r)) {
      // As kube-apiserver reads etcd for a resource it does not cache: the store as it is now (a
      // resourceVersion asks for at least that one; now is at least any the client was given).
      const rev = await this.objects.currentRevision();
      return this.listContinue(r, ns, { ...opts, continue: encodeContinue(rev, storePrefix(r, ns)) }, match);
    }
    if (opts.resourceVersion !== '0') {
      const rv = opts.resourceVersion ? parseRv(opts.resourceVersion) : await this.objects.currentRevision();
      await this.cache.waitFor(rv);
    }
    const rev = this.cache.revision;
    const all = this.cache.list(storePrefix(r, ns)).filter((o) => match(o.object));
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    if (all.length <= limit) return { items: all.map((o) => o.object as KubeObject), resourceVersion: String(rev) };
    const page = all.slice(0, limit);
    return {
      items: page.map((o) => o.object as KubeObject),
      resourceVersion: String(rev),
      continue: encodeContinue(rev, page[page.length - 1]!.key),
      remainingItemCount: all.length - limit,
    };
  }

  /** `resourceVersionMatch=Exact`: the list as the store held it at that revision (410 once compacted). */
  private async listExact(r: ResourceType, ns: string | undefined, opts: ListOptions, match: (o: KubeObject) => boolean): Promise<ListResult> {
    const rev = parseRv(opts.resourceVersion!);
    if (rev > this.cache.revision) await this.cache.waitFor(rev);
    const prefix = storePrefix(r, ns);
    const start = encodeContinue(rev, prefix);
    try {
      return await this.listContinue(r, ns, { ...opts, continue: start }, match);
    } catch (err) {
      if (err instanceof ApiError && err.code === 410) throw ApiError.gone(`The resourceVersion for the provided list is too old.`);
      throw err;
    }
  }

  /** Later pages read the store at the first page's revision, so the whole list is one snapshot. */
  private async listContinue(
    r: ResourceType,
    ns: string | undefined,
    opts: ListOptions,
    match: (o: KubeObject) => boolean,
  ): Promise<ListResult> {
    const token = decodeContinue(opts.continue!);
    const prefix = storePrefix(r, ns);
    if (!token.after.startsWith(prefix)) throw ApiError.badRequest('continue key is not valid: it belongs to another list');
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: KubeObject[] = [];
    let from = token.after + '\0';
    const end = prefix.slice(0, -1) + '0';
    for (;;) {
      const batch = await this.objects.rangeAt(from, end, token.rev, Math.min(500, limit === Infinity ? 500 : limit + 1));
      for (const o of batch.objects) {
        if (match(o.object)) items.push(o.object as KubeObject);
        if (items.length > limit) {
          items.pop();
          return {
            items,
            resourceVersion: String(token.rev),
            continue: encodeContinue(token.rev, lastKey(r, items)),
          };
        }
      }
      if (!batch.more) return { items, resourceVersion: String(token.rev) };
      from = batch.objects[batch.objects.length - 1]!.key + '\0';
    }
  }

  /**
   * A watch from `resourceVersion`: unset or `0` first sends every current object as ADDED; an
   * exact version sends only what changed after it (410 if that history is gone).
   */
  async watch(r: ResourceType, ns: string | undefined, opts: ListOptions, sink: WatchSink): Promise<() => void> {
    const match = this.matcher(r, opts);
    const prefix = storePrefix(r, ns);
    const watcher = {
      prefix,
      onEvent: (ev: CacheEvent) => {
        const now = ev.type !== 'DELETED' && match(ev.current.object);
        const before = ev.previous !== undefined && match(ev.previous.object);
        // A change that moves an object into or out of the selection is an add or a delete to this watcher.
        if (ev.type === 'DELETED') {
          if (before) sink.event('DELETED', ev.current);
        } else if (now && before) sink.event('MODIFIED', ev.current);
        else if (now) sink.event('ADDED', ev.current);
        else if (before) sink.event('DELETED', ev.current);
      },
      onClose: (reason: string) => sink.close(reason),
    };
    const rv = opts.resourceVersion;
    if (!this.cached(r)) return this.watchStore(r, ns, rv, watcher, match);
    if (rv === undefined || rv === '' || rv === '0') {
      if (rv === undefined || rv === '') await this.cache.waitFor(await this.objects.currentRevision());
      const { snapshot, stop } = this.cache.watchWithSnapshot(watcher);
      for (const o of snapshot) if (match(o.object)) sink.event('ADDED', o);
      return stop;
    }
    const from = parseRv(rv);
    await this.cache.waitFor(from);
    return this.cache.watchFrom(from, watcher);
  }

  /**
   * Every object of a resource by name and resourceVersion, from the store's keys alone (no values
   * read): for a sweep over many objects that only needs to tell which changed.
   */
  async versions(r: ResourceType): Promise<Array<{ namespace: string | undefined; name: string; resourceVersion: string }>> {
    const prefix = storePrefix(r);
    return (await this.objects.versions(prefix)).map(({ key, rev }) => {
      const rest = key.slice(prefix.length);
      const slash = r.namespaced ? rest.indexOf('/') : -1;
      return { namespace: slash < 0 ? undefined : rest.slice(0, slash), name: rest.slice(slash + 1), resourceVersion: String(rev) };
    });
  }

  /** Whether the watch cache holds a resource's objects; the store serves those it does not (Events). */
  cached(r: ResourceType): boolean {
    return this.cache.caches(r.resource);
  }

  /**
   * A watch of a resource the cache does not hold, on a store watch of its own: unset or `0` first
   * lists the store as it is now (every object ADDED) and follows from there; an exact version
   * follows from it, a 410 once the store has compacted it away.
   */
  private async watchStore(r: ResourceType, ns: string | undefined, rv: string | undefined, watcher: CacheWatcher, match: (o: KubeObject) => boolean): Promise<() => void> {
    const prefix = storePrefix(r, ns);
    let from: number;
    if (rv === undefined || rv === '' || rv === '0') {
      from = await this.objects.currentRevision();
      const end = prefix.slice(0, -1) + '0';
      for (let after = prefix; ; ) {
        const batch = await this.objects.rangeAt(after, end, from, 500);
        for (const o of batch.objects) if (match(o.object)) watcher.onEvent({ type: 'ADDED', key: o.key, rev: o.rev, current: o, previous: undefined });
        if (!batch.more) break;
        after = batch.objects[batch.objects.length - 1]!.key + '\0';
      }
    } else {
      from = parseRv(rv);
      const now = await this.objects.currentRevision();
      if (from > now) throw new ApiError(504, 'Timeout', `Too large resource version: ${from}, current: ${now}`, { retryAfterSeconds: 1 });
    }
    return this.objects.watch(prefix, from, (ev) => watcher.onEvent(ev), (reason) => watcher.onClose(reason));
  }

  // ---- writes --------------------------------------------------------------------------------

  async create(r: ResourceType, ns: string | undefined, body: unknown, opts: WriteOptions & { apply?: boolean } = {}): Promise<Written> {
    const s = this.strategy(r);
    const { object: obj, warnings } = decodeObject(r, r.schema, body, opts.fieldValidation ?? 'Warn');
    const meta = (obj.metadata ??= {}) as Record<string, unknown>;
    this.placeInNamespace(r, ns, meta);
    if (!meta.name) {
      if (typeof meta.generateName === 'string' && meta.generateName) meta.name = generateName(meta.generateName, this.random);
      else throw ApiError.invalid(r, '', [fieldError.required('metadata.name', 'name or generateName is required')]);
    }
    const name = String(meta.name);
    meta.uid = this.uid();
    meta.creationTimestamp = this.timestamp();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (s.hasSpec) meta.generation = 1;
    else delete meta.generation;
    if (!s.keepStatusOnCreate) delete obj.status;
    delete meta.managedFields;
    // What a server-side apply names is the configuration before defaults fill it in.
    const applied = opts.apply ? jsonCopy(obj) : undefined;
    s.prepareForCreate?.(obj);
    s.default(obj);
    this.allocators.get(r.kind)?.prepare(obj, undefined);
    this.check(r, s, obj, undefined);
    if (applied) meta.managedFields = planApply(r.kind, undefined, applied, [], this.writer(r, opts, {}), true).entries;
    else if (opts.fieldManager !== undefined) meta.managedFields = afterUpdate(r.kind, undefined, obj, [], this.writer(r, opts, {}));
    let guard = r.namespaced ? await this.admitNamespace(r, ns!, false) : undefined;
    for (let attempt = 1; ; attempt++) {
      const { object, claims } = await this.allocate(r, obj, undefined);
      if (opts.dryRun) return { object, warnings };
      const created = await this.objects.create(storeKey(r, ns, name), object, claimKeys(claims), guard);
      if (!created) throw ApiError.alreadyExists(r, name);
      if (!('taken' in created)) return { object: created.object as KubeObject, warnings };
      if (created.taken.length === 0 && guard) {
        // The namespace changed since it was checked: check it again, in the store this time.
        if (attempt > 10) throw ApiError.conflict(r, name, 'its namespace keeps changing; try again');
        guard = await this.admitNamespace(r, ns!, true);
        continue;
      }
      this.refuseTaken(r, name, claims, created.taken, attempt);
    }
  }

  /** PUT: replaces the object; a stale resourceVersion is a 409. The status stays as it was. */
  async update(r: ResourceType, ns: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): Promise<Written> {
    const { object: next, warnings } = decodeObject(r, r.schema, body, opts.fieldValidation ?? 'Warn');
    this.checkName(r, ns, name, next);
    const wanted = (next.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    const object = await this.readModifyWrite(r, ns, name, wanted, opts, (current) => this.mergeUpdate(r, current, next, 'main'), 'shared');
    return { object, warnings };
  }

  /** PUT on /status: only the status changes. */
  async updateStatus(r: ResourceType, ns: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): Promise<Written> {
    const { object: next, warnings } = decodeObject(r, r.schema, body, opts.fieldValidation ?? 'Warn');
    this.checkName(r, ns, name, next);
    const wanted = (next.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
    const object = await this.readModifyWrite(r, ns, name, wanted, { ...opts, subresource: 'status' }, (current) => this.mergeUpdate(r, current, next, 'status'), 'shared');
    return { object, warnings };
  }

  /**
   * Changes an object by a function of its current state (a patch, a scale, a binding, a
   * finalizer): retried on conflict unless the caller named the resourceVersion it expects.
   */
  async mutate(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    opts: WriteOptions & Through & { skipValidation?: boolean },
    fn: (current: KubeObject) => KubeObject | 'unchanged',
    wanted?: string,
  ): Promise<KubeObject> {
    return this.readModifyWrite(r, ns, name, wanted, opts, fn);
  }

  /**
   * The next object of an update of the main resource (spec, metadata) or of its status. `current`
   * is the caller's own copy (a read-modify-write hands out one), of which only the top level and
   * the metadata need be its own: the result shares its other parts, and changes none of them.
   */
  mergeUpdate(r: ResourceType, current: KubeObject, next: KubeObject, part: 'main' | 'status'): KubeObject {
    const s = this.strategy(r);
    const cur = current.metadata as Record<string, unknown>;
    let out: KubeObject;
    if (part === 'status') {
      out = { ...current, status: next.status };
    } else {
      const meta = { ...(next.metadata as Record<string, unknown>) };
      for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace', 'name']) {
        if (cur[k] === undefined) delete meta[k];
        else meta[k] = cur[k];
      }
      out = { ...next, metadata: meta };
      if (s.hasSpec || current.status !== undefined) {
        if (current.status === undefined) delete out.status;
        else out.status = current.status;
      }
    }
    s.default(out);
    if (s.hasSpec && part === 'main' && !jsonEqual(out.spec, current.spec)) {
      (out.metadata as Record<string, unknown>).generation = Number(cur.generation ?? 0) + 1;
    }
    return out;
  }

  /**
   * One read-modify-write. The first try starts from the watch cache's copy, as kube-apiserver's
   * GuaranteedUpdate starts from its cached object: the write's compare on the revision catches a
   * copy that is stale, and so does every answer that came from it without a write (unchanged, a
   * conflict with the caller's resourceVersion, not found, an error of the mutation), each of which
   * is tried again from the store before it counts. Most updates then cost one store round trip.
   */
  private async readModifyWrite(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    wanted: string | undefined,
    opts: WriteOptions & Through & { skipValidation?: boolean },
    fn: Mutation,
    base: Base = 'copy',
  ): Promise<KubeObject> {
    const key = storeKey(r, ns, name);
    const s = this.strategy(r);
    // A dry run writes nothing that would catch a stale copy.
    let cached = this.cache.synced && !opts.dryRun ? this.cache.get(key) : undefined;
    for (let conflicts = 0, clashes = 0; ; ) {
      const current = cached ?? (await this.objects.get(key));
      const fresh = cached === undefined;
      cached = undefined;
      let outcome: KubeObject | 'stale' | 'clash';
      try {
        outcome = await this.tryReadModifyWrite(r, s, key, name, current, wanted, opts, fn, base, fresh, () => ++clashes);
      } catch (err) {
        if (fresh) throw err;
        continue;
      }
      if (outcome === 'clash' || (outcome === 'stale' && !fresh)) continue;
      if (outcome !== 'stale') return outcome;
      if (wanted !== undefined && wanted !== '') throw ApiError.conflict(r, name);
      if (++conflicts > 10) throw ApiError.conflict(r, name, 'too many concurrent changes; try again');
    }
  }

  /** The next object from `base`, a copy of `old` the mutation may change: its field ownership recorded, prepared and validated. */
  private change(r: ResourceType, s: Strategy, old: KubeObject, fn: Mutation, opts: WriteOptions & Through & { skipValidation?: boolean }, base: KubeObject): KubeObject | 'unchanged' {
    const changed = fn(base);
    if (changed === 'unchanged') return changed;
    if (opts.ownership !== 'recorded') this.recordUpdate(r, old, changed, opts);
    this.allocators.get(r.kind)?.prepare(changed, old);
    // A status update that kept the stored spec (the cached object's own) changes nothing the
    // strategies' rules look at: they were checked when it was written. Upstream's status
    // strategies, too, validate only the metadata update and the status.
    if (opts.skipValidation) return changed;
    const status = opts.subresource === 'status';
    if (!status || changed.spec !== old.spec) this.check(r, s, changed, old);
    if (status && s.validateStatus) this.refuse(r, changed, s.validateStatus(changed, old));
    return changed;
  }

  /**
   * One try of a read-modify-write from `current`: the object written (or left as it was); 'stale'
   * if the store held another revision; 'clash' if values it picked were taken meanwhile.
   */
  private async tryReadModifyWrite(
    r: ResourceType,
    s: Strategy,
    key: string,
    name: string,
    current: CachedObject | undefined,
    wanted: string | undefined,
    opts: WriteOptions & Through & { skipValidation?: boolean },
    fn: Mutation,
    base: Base,
    fresh: boolean,
    clashed: () => number,
  ): Promise<KubeObject | 'stale' | 'clash'> {
    if (!current) throw ApiError.notFound(r, name);
    if (wanted !== undefined && wanted !== '' && wanted !== String(current.rev)) throw ApiError.conflict(r, name);
    const old = current.object as KubeObject;
    let changed: KubeObject | 'unchanged';
    try {
      changed = this.change(r, s, old, fn, opts, base === 'shared' ? sharing(old) : copyOfCached(old));
    } catch (err) {
      // Something wrote to a part still shared with the cached object (frozen): it gets a whole copy.
      if (base !== 'shared' || !(err instanceof TypeError)) throw err;
      changed = this.change(r, s, old, fn, opts, copyOfCached(old));
    }
    // Nothing to write is an answer only if `current` is surely the latest.
    if (changed === 'unchanged') return fresh ? old : 'stale';
    // The last finalizer of an object being deleted is gone: the object goes with it.
    const meta = changed.metadata as { deletionTimestamp?: string; finalizers?: string[] };
    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0 && !this.waitsForNode(r, changed) && !heldByNamespaceFinalizers(r, changed)) {
      if (opts.dryRun) return changed;
      const rev = await this.objects.delete(key, current.rev, this.heldBy(r, old));
      return rev === undefined ? 'stale' : { ...changed, metadata: { ...changed.metadata, resourceVersion: String(rev) } };
    }
    const { object: next, claims } = await this.allocate(r, changed, old);
    if (opts.dryRun) return next;
    if (jsonEqual(stripRv(next), stripRv(old))) return fresh ? old : 'stale';
    const written = await this.objects.update(key, current.rev, next, claimKeys(claims), old);
    if (!written) return 'stale';
    if (!('taken' in written)) return written.object as KubeObject;
    // Not a conflict on the object: values it picked went to another writer first, so pick again.
    this.refuseTaken(r, name, claims, written.taken, clashed());
    return 'clash';
  }

  /**
   * DELETE. Pods on a node are deleted gracefully: they get a deletionTimestamp and go once their
   * node has stopped them. Foreground and Orphan deletion, and finalizers, keep the object (with a
   * deletionTimestamp) until the garbage collector is done with it.
   */
  async delete(r: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    const key = storeKey(r, ns, name);
    if (r.kind === 'Namespace' && IMMORTAL_NAMESPACES.includes(name)) throw ApiError.forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, r, name);
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await this.objects.get(key);
      if (!current) throw ApiError.notFound(r, name);
      const obj = copyOfCached(current.object) as KubeObject;
      const meta = obj.metadata as Record<string, unknown> & { finalizers?: string[] };
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw ApiError.conflict(r, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(meta.uid)}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== String(current.rev)) {
        throw ApiError.conflict(r, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rev}`);
      }
      const finalizers = new Set(meta.finalizers ?? []);
      if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion');
      if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan');
      const grace = this.graceSeconds(r, obj, opts);
      const graceful = grace > 0;
      const already = typeof meta.deletionTimestamp === 'string';
      // A namespace's first DELETE only marks it Terminating; it goes once the namespace controller has emptied it.
      const namespaceStays = r.kind === 'Namespace' && (!already || heldByNamespaceFinalizers(r, obj));
      if (finalizers.size === 0 && !graceful && !namespaceStays) {
        if (opts.dryRun) return obj;
        const rev = await this.objects.delete(key, current.rev, this.heldBy(r, current.object as KubeObject));
        if (rev !== undefined) return { ...obj, metadata: { ...meta, resourceVersion: String(rev) } };
        continue;
      }
      // Already going, and nothing new asked: the answer is the object as it is.
      const now = this.clock.now();
      const deadline = secondsTimestamp(now + grace * 1000);
      if (!already || (graceful && Date.parse(deadline) < Date.parse(String(meta.deletionTimestamp)))) {
        meta.deletionTimestamp = graceful ? deadline : this.timestamp();
        if (graceful) meta.deletionGracePeriodSeconds = grace;
      }
      if (finalizers.size > 0) meta.finalizers = [...finalizers];
      if (r.kind === 'Namespace') markNamespaceTerminating(obj);
      if (opts.dryRun) return obj;
      if (jsonEqual(obj, current.object)) return current.object as KubeObject;
      // Marking an object for deletion changes only its metadata: no claims change.
      const written = await this.objects.update(key, current.rev, obj, undefined, current.object);
      if (written && !('taken' in written)) return written.object as KubeObject;
    }
    throw ApiError.conflict(r, name, 'too many concurrent changes; try again');
  }

  /**
   * PATCH, of the main resource or its status. The patched object is decoded and validated as a
   * whole, as if it had been PUT. A server-side apply of a missing object creates it.
   */
  async patch(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions = {},
    part: 'main' | 'status' = 'main',
  ): Promise<Written & { created?: boolean }> {
    if (type === 'apply') {
      checkApplyConfiguration(r, patch);
      const exists = await this.objects.get(storeKey(r, ns, name));
      if (!exists) {
        const body = { ...(patch as KubeObject), metadata: { ...((patch as KubeObject).metadata ?? {}), name } };
        return { ...(await this.create(r, ns, body, { ...opts, apply: true })), created: true };
      }
    }
    const warnings: string[] = [];
    // A patch that names a resourceVersion is conditional on it; null or absent means unconditional.
    let wanted: string | undefined;
    if (patch && typeof patch === 'object' && !Array.isArray(patch)) {
      const rv = ((patch as KubeObject).metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
      if (typeof rv === 'string' && rv !== '') wanted = rv;
    }
    const through: Through = part === 'status' ? { subresource: 'status' } : {};
    const object = await this.mutate(r, ns, name, { ...opts, ...through, ...(type === 'apply' ? { ownership: 'recorded' } : {}) }, (current) => {
      const apply = type === 'apply' ? this.planApply(r, current, patch as KubeObject, opts, through) : undefined;
      const patched = patchObject(type, current, apply ? apply.config : patch, r.kind);
      const decoded = decodeObject(r, r.schema, patched, opts.fieldValidation ?? 'Warn');
      warnings.splice(0, warnings.length, ...decoded.warnings);
      this.checkName(r, ns, name, decoded.object);
      const next = this.mergeUpdate(r, current, decoded.object, part);
      if (apply) (next.metadata as Record<string, unknown>).managedFields = apply.entries;
      return next;
    }, wanted);
    return { object, warnings };
  }

  /** DELETE on a collection: every object the selectors match, each as a single delete would. */
  async deleteCollection(r: ResourceType, ns: string | undefined, list: ListOptions, opts: DeleteOptions): Promise<ListResult> {
    const found = await this.list(r, ns, { ...list, limit: 0 });
    const items: KubeObject[] = [];
    for (const o of found.items) {
      const m = o.metadata as { name: string; namespace?: string };
      try {
        items.push(await this.delete(r, m.namespace, m.name, opts));
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return { items, resourceVersion: found.resourceVersion };
  }

  /** The autoscaling/v1 Scale of a Deployment or ReplicaSet. */
  async getScale(r: ResourceType, ns: string | undefined, name: string): Promise<KubeObject> {
    return toScale(await this.get(r, ns, name));
  }

  /** Changes replicas through the scale subresource: a Scale PUT, or a patch of the Scale. */
  async updateScale(
    r: ResourceType,
    ns: string | undefined,
    name: string,
    change: { put: unknown } | { patch: unknown; type: PatchType },
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const scaleType = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    const object = await this.mutate(r, ns, name, { ...opts, subresource: 'scale' }, (current) => {
      const scale = toScale(current);
      const next = 'put' in change ? change.put : patchObject(change.type, scale, change.patch, 'Scale');
      const decoded = decodeObject(scaleType, SUBRESOURCE_SCHEMAS.Scale!, next, opts.fieldValidation ?? 'Warn').object;
      const replicas = (decoded.spec as { replicas?: number } | undefined)?.replicas;
      if (replicas === undefined) return 'unchanged';
      if (replicas < 0) throw ApiError.invalid(scaleType, name, [fieldError.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
      return this.mergeUpdate(r, current, { ...current, spec: { ...(current.spec as object), replicas } }, 'main');
    }, 'put' in change ? ((change.put as KubeObject | undefined)?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion : undefined);
    return toScale(object);
  }

  /** pods/binding: the scheduler's decision. A pod is bound once; a second binding is a 409. */
  async bind(ns: string, name: string, body: unknown, opts: WriteOptions = {}): Promise<void> {
    const pods = RESOURCES.find((x) => x.kind === 'Pod')!;
    const bindingType = { group: '', version: 'v1', kind: 'Binding' };
    const binding = decodeObject(bindingType, SUBRESOURCE_SCHEMAS.Binding!, body, opts.fieldValidation ?? 'Warn').object as {
      target: { kind?: string; name?: string };
    };
    const node = binding.target.name;
    if (!node) throw ApiError.invalid(bindingType, name, [fieldError.required('target.name')]);
    if (binding.target.kind && binding.target.kind !== 'Node') {
      throw ApiError.invalid(bindingType, name, [fieldError.notSupported('target.kind', binding.target.kind, ['Node'])]);
    }
    // Binding writes the pod directly, past the pod update rules that forbid changing spec.nodeName.
    await this.mutate(pods, ns, name, { ...opts, skipValidation: true }, (pod) => {
      const spec = (pod.spec ??= {}) as { nodeName?: string };
      const meta = pod.metadata as { deletionTimestamp?: string };
      if (meta.deletionTimestamp) throw ApiError.conflict(pods, name, 'pod is being deleted, cannot be assigned to a host');
      if (spec.nodeName) throw ApiError.conflict(pods, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
      spec.nodeName = node;
      const status = (pod.status ??= {}) as { conditions?: Array<Record<string, unknown>> };
      const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: this.timestamp() });
      status.conditions = conditions;
      return pod;
    });
  }

  /** pods/eviction: a graceful delete (no disruption budgets are enforced). */
  async evict(ns: string, name: string, body: unknown, opts: WriteOptions = {}): Promise<void> {
    const pods = RESOURCES.find((x) => x.kind === 'Pod')!;
    const eviction = decodeObject({ group: 'policy', version: 'v1', kind: 'Eviction' }, SUBRESOURCE_SCHEMAS.Eviction!, body ?? {}, 'Ignore')
      .object as { deleteOptions?: DeleteOptions };
    await this.delete(pods, ns, name, { ...(eviction.deleteOptions ?? {}), ...(opts.dryRun ? { dryRun: true } : {}) });
  }

  // ---- helpers -------------------------------------------------------------------------------

  strategy(r: ResourceType): Strategy {
    const s = this.strategies.get(r);
    if (!s) throw ApiError.internal(`no strategy for ${r.resource}`);
    return s;
  }

  /**
   * The object as it will be written, with what its kind allocates filled in (on a copy: a retry
   * picks afresh), and the claims that write takes and gives back.
   */
  private async allocate(r: ResourceType, obj: KubeObject, old: KubeObject | undefined): Promise<{ object: KubeObject; claims: ClaimChanges }> {
    const a = this.allocators.get(r.kind);
    if (!a) return { object: obj, claims: NO_CLAIM_CHANGES };
    const object = structuredClone(obj);
    const { picked, errors } = await a.fill(object, old, (pool) => this.objects.held(pool));
    if (errors.length > 0) throw ApiError.invalid(r, String((obj.metadata as { name?: string } | undefined)?.name ?? ''), errors);
    return { object, claims: claimChanges(a, old, object, picked) };
  }

  /** The claim keys an object holds: a deletion releases them. */
  private heldBy(r: ResourceType, obj: KubeObject): string[] {
    return this.allocators.get(r.kind)?.claims(obj).map((c) => c.key) ?? [];
  }

  /** After a write lost claim keys to other writers: a 422 for values the user chose; for picked ones, a retry unless there were too many. */
  private refuseTaken(r: ResourceType, name: string, claims: ClaimChanges, taken: string[], attempt: number): void {
    const refused = refusedClaims(claims, taken);
    if (refused.length > 0) throw ApiError.invalid(r, name, refused);
    if (attempt >= CLAIM_ATTEMPTS) throw ApiError.conflict(r, name, 'too many concurrent allocations; try again');
  }

  /** Seconds a deletion waits: only pods bound to a node wait, for their node to stop them. */
  private graceSeconds(r: ResourceType, obj: KubeObject, opts: DeleteOptions): number {
    if (r.kind !== 'Pod' || !this.waitsForNode(r, obj)) return 0;
    const spec = obj.spec as { terminationGracePeriodSeconds?: number } | undefined;
    const grace = opts.gracePeriodSeconds ?? spec?.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, grace);
  }

  private waitsForNode(r: ResourceType, obj: KubeObject): boolean {
    if (r.kind !== 'Pod') return false;
    const spec = obj.spec as { nodeName?: string } | undefined;
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    return Boolean(spec?.nodeName) && phase !== 'Succeeded' && phase !== 'Failed';
  }

  private check(r: ResourceType, s: Strategy, obj: KubeObject, old: KubeObject | undefined): void {
    const meta = (obj.metadata ?? {}) as { name?: string; generateName?: string; labels?: Record<string, string> };
    const errors: FieldError[] = [];
    if (!old) {
      for (const msg of validateObjectName(r.kind, meta.name ?? '')) errors.push(fieldError.invalid('metadata.name', meta.name ?? '', msg));
    }
    errors.push(...s.validate(obj, old));
    this.refuse(r, obj, errors);
  }

  private refuse(r: ResourceType, obj: KubeObject, errors: FieldError[]): void {
    if (errors.length > 0) throw ApiError.invalid(r, String((obj.metadata as { name?: string } | undefined)?.name ?? ''), errors);
  }

  private checkName(r: ResourceType, ns: string | undefined, name: string, obj: KubeObject): void {
    const meta = (obj.metadata ??= {}) as Record<string, unknown>;
    if (meta.name !== undefined && meta.name !== name) {
      throw ApiError.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    this.placeInNamespace(r, ns, meta);
  }

  private placeInNamespace(r: ResourceType, ns: string | undefined, meta: Record<string, unknown>): void {
    if (!r.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== ns) {
      throw ApiError.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = ns;
  }

  /**
   * Namespace lifecycle: no new objects in a namespace that does not exist or is going away. The
   * namespace is read from the watch cache when it is there and active, and the create's txn then
   * requires it to be unchanged in the store, so a namespace deleted a moment ago still refuses;
   * otherwise (or when `live`) it is read from the store.
   */
  private async admitNamespace(r: ResourceType, ns: string, live: boolean): Promise<Guard> {
    const nsType = RESOURCES.find((x) => x.kind === 'Namespace')!;
    const key = storeKey(nsType, undefined, ns);
    const terminating = (o: CachedObject) => Boolean((o.object.metadata as { deletionTimestamp?: string }).deletionTimestamp);
    const cached = live ? undefined : this.cache.get(key);
    const found = cached && !terminating(cached) ? cached : await this.objects.get(key);
    if (!found) throw ApiError.notFound(nsType, ns);
    if (terminating(found)) {
      throw ApiError.forbidden(
        `${r.resource}${r.group ? `.${r.group}` : ''} is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        r,
      );
    }
    return { key, rev: found.rev };
  }

  private matcher(r: ResourceType, opts: ListOptions): (o: KubeObject) => boolean {
    let labels: ReturnType<typeof parseSelector> | undefined;
    let fields: ReturnType<typeof parseFieldSelector> | undefined;
    try {
      if (opts.labelSelector) labels = parseSelector(opts.labelSelector);
      if (opts.fieldSelector) fields = parseFieldSelector(opts.fieldSelector);
    } catch (err) {
      throw ApiError.badRequest((err as Error).message);
    }
    const s = this.strategy(r);
    if (fields) {
      const sample = { ...metadataFields({}), ...(s.fields?.({}) ?? {}) };
      for (const req of fields.requirements()) {
        if (!(req.field in sample)) throw ApiError.badRequest(`field label not supported: ${req.field}`);
      }
    }
    return (o) => {
      if (labels && !labels.matches((o.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {})) return false;
      if (fields) {
        const values = { ...metadataFields(o), ...(s.fields?.(o) ?? {}) };
        if (!fields.matches((f) => values[f])) return false;
      }
      return true;
    };
  }

  private writer(r: ResourceType, opts: WriteOptions, through: Through): Writer {
    return {
      manager: opts.fieldManager ?? opts.defaultManager ?? 'unknown',
      apiVersion: this.apiVersion(r),
      time: this.timestamp(),
      ...(through.subresource ? { subresource: through.subresource } : {}),
    };
  }

  /**
   * Field ownership after an update, for an object whose writers are tracked: one created or
   * written by a client that named its fieldManager (kubectl always does), or applied. Objects
   * only minik's own components write stay untracked, and cost nothing for it.
   */
  private recordUpdate(r: ResourceType, old: KubeObject, changed: KubeObject, opts: WriteOptions & Through): void {
    const entries = (opts.subresource ? undefined : requestedManagedFields(changed)) ?? managedFieldsOf(old);
    const meta = changed.metadata as Record<string, unknown>;
    if (opts.fieldManager === undefined && entries.length === 0) {
      delete meta.managedFields;
      return;
    }
    const next = afterUpdate(r.kind, old, changed, entries, this.writer(r, opts, opts));
    if (next.length > 0) meta.managedFields = next;
    else delete meta.managedFields;
  }

  /** A server-side apply's configuration, what it removes first, and who owns what after it; a 409 on conflicts. */
  private planApply(r: ResourceType, current: KubeObject, patch: KubeObject, opts: WriteOptions, through: Through): { config: KubeObject; entries: unknown[] } {
    const config = { ...patch, metadata: { ...((patch.metadata as Record<string, unknown> | undefined) ?? {}) } };
    delete (config.metadata as Record<string, unknown>).managedFields;
    const writer = this.writer(r, opts, through);
    let plan = planApply(r.kind, current, config, managedFieldsOf(current), writer, opts.force === true);
    if (plan.conflicts.length > 0 && writer.manager === 'kubectl') {
      // kubectl's first server-side apply of an object it client-side applied takes those fields over.
      const taken = clientSideApplied(r.kind, current, through.subresource === 'status' ? 'status' : 'main');
      if (taken && plan.conflicts.every((c) => taken.has(c.path))) plan = planApply(r.kind, current, config, managedFieldsOf(current), writer, true);
    }
    if (plan.conflicts.length > 0) {
      throw ApiError.applyConflict(
        conflictMessage(plan.conflicts),
        plan.conflicts.map((c) => ({ field: formatPath(c.path), message: `conflict with ${describeManager(c.entry)}` })),
      );
    }
    removeFields(current, plan.remove, plan.owned);
    return { config, entries: plan.entries };
  }

  /** Whether the store answers: a read of its revision (the API server's `etcd` health check). */
  async ping(): Promise<void> {
    await this.objects.currentRevision();
  }

  /** Now, to the second, as Kubernetes writes times. */
  timestamp(): string {
    return secondsTimestamp(this.clock.now());
  }

  /** The group/version a resource's objects carry. */
  apiVersion(r: ResourceType): string {
    return apiVersionOf(r);
  }
}

/** The Scale a Deployment or ReplicaSet shows through its scale subresource. */
function toScale(obj: KubeObject): KubeObject {
  const meta = obj.metadata as Record<string, unknown>;
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (obj.status ?? {}) as { replicas?: number };
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

function parseRv(rv: string): number {
  const n = Number(rv);
  if (!Number.isInteger(n) || n < 0) throw ApiError.badRequest(`invalid resource version: ${rv}`);
  return n;
}

function stripRv(o: KubeObject): KubeObject {
  const { resourceVersion: _, ...meta } = (o.metadata ?? {}) as Record<string, unknown>;
  return { ...o, metadata: meta };
}

/**
 * Refuses what upstream's ListOptions validation refuses; true when the match is `Exact`
 * (`NotOlderThan` is how every list with a resourceVersion is read anyway).
 */
function checkVersionMatch(opts: ListOptions): boolean {
  const m = opts.resourceVersionMatch;
  if (m === undefined || m === '') return false;
  const bad = (e: FieldError) => ApiError.invalid({ kind: 'ListOptions', group: 'meta.k8s.io' }, '', [e]);
  if (m !== 'Exact' && m !== 'NotOlderThan') throw bad(fieldError.notSupported('resourceVersionMatch', m, ['Exact', 'NotOlderThan']));
  if (!opts.resourceVersion) throw bad(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
  if (opts.continue) throw bad(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  if (m === 'Exact' && opts.resourceVersion === '0') throw bad(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  return m === 'Exact';
}

function encodeContinue(rev: number, after: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: rev, start: after })).toString('base64');
}

function decodeContinue(token: string): { rev: number; after: string } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString()) as { rv?: unknown; start?: unknown };
    if (typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad token');
    return { rev: t.rv, after: t.start };
  } catch {
    throw ApiError.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

function lastKey(r: ResourceType, items: KubeObject[]): string {
  const m = items[items.length - 1]!.metadata as { name: string; namespace?: string };
  return storeKey(r, m.namespace, m.name);
}
