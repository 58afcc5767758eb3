import { randomBytes } from 'node:crypto';
import type { Logger } from '../api/log.js';
import { silentLogger } from '../api/log.js';
import { Backend, META, type BackendOp } from './backend.js';
import { Errors } from './errors.js';
import type { KV, Watch } from './kv.js';
import { decodeKeyValue, encodeKeyValue } from './kv-codec.js';
import { checkDeleteRange, checkPut, checkRange, checkTxn, DEFAULT_MAX_TXN_OPS } from './request-checks.js';
import { decodeRevision, encodeRevision, isTombstone, revisionId, type Revision } from './revision.js';
import { TreeIndex, type IndexEntry } from './tree-index.js';
import type {
  Compare,
  CompactionRequest,
  CompactionResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseOp,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchEvent,
  WatchResponse,
} from './types.js';
import { WatchHub } from './watch-hub.js';

export interface MvccOptions {
  backend: Backend;
  logger?: Logger;
  maxTxnOps?: number;
  /** Called when the disk refuses a write: the store cannot go on (etcd panics here). */
  onFatal?: (err: unknown) => void;
}

/**
 * A change of one write transaction, kept with what it replaced for the watchers' prev_kv. The
 * replaced value is read from disk only when a watcher asks for it; otherwise `prev` carries the
 * replaced key's revisions with an `UNREAD` value.
 */
interface Change {
  kv: KeyValue;
  rev: Revision;
  deleted: boolean;
  prev: KeyValue | undefined;
}

/** Writes applied in memory and waiting for one shared fsync (group commit). */
class Batch {
  ops: BackendOp[] = [];
  changes: Change[] = [];
  waiters: Array<() => void> = [];
  lastRev = 0;
}

/** Which branch each txn took, evaluated up front against the state before the txn, as etcd does. */
interface TxnPath {
  succeeded: boolean;
  nested: TxnPath[];
}

/** Where a range reads: the committed state (readers) or the state a write txn is building. */
type View = 'committed' | 'pending';

/**
 * The multi-version store: etcd's MVCC over a Backend.
 *
 * Writes are applied one at a time, in memory (key index and values), then wait for their batch
 * to reach disk; batches are written one after another, so writers arriving during an fsync share
 * the next one. A write becomes visible to readers and watchers only once it is on disk: readers
 * read at `committedRevision`, which is never ahead of what an fsync has acknowledged, so nobody
 * ever sees a revision that a crash could take back.
 *
 * Values live on disk, as etcd's live in its backend: memory holds the key index and the values of
 * writes not yet on disk. A write that needs a value it replaces (prev_kv, a comparison of values, a
 * watcher that asked for prev_kv) reads it from disk before it changes anything.
 */
export class Mvcc implements KV {
  readonly hub: WatchHub;
  private readonly backend: Backend;
  private readonly log: Logger;
  private readonly maxTxnOps: number;
  private readonly onFatal: (err: unknown) => void;

  private readonly index = new TreeIndex();
  private liveKeys = 0;
  /** Applied but not yet on disk, by revisionId. */
  private readonly uncommitted = new Map<string, KeyValue>();
  /** Values the write being applied read from disk, by revisionId; emptied after each write. */
  private readonly loaded = new Map<string, KeyValue>();
  private currentRev = 1;
  private committedRev = 1;
  /** -1 until the first compaction: etcd then accepts a compaction at revision 0. */
  private compactRev = -1;
  private open = new Batch();
  private flushing = false;
  private applying: Promise<unknown> = Promise.resolve();
  private physicalCompaction: Promise<void> = Promise.resolve();
  private failed: unknown;
  private closed = false;

  readonly clusterId: string;
  readonly memberId: string;

  private constructor(opts: MvccOptions, ids: { clusterId: string; memberId: string }) {
    this.backend = opts.backend;
    this.log = opts.logger ?? silentLogger();
    this.maxTxnOps = opts.maxTxnOps ?? DEFAULT_MAX_TXN_OPS;
    this.onFatal = opts.onFatal ?? (() => {});
    this.clusterId = ids.clusterId;
    this.memberId = ids.memberId;
    this.hub = new WatchHub({
      committedRevision: () => this.committedRev,
      compactedRevision: () => this.compactRev,
      history: (from, to, match) => this.history(from, to, match),
      valueAt: (key, rev) => this.readOne(key, rev),
    });
  }

  /** Opens the store on a backend, rebuilding the key index from what is on disk. */
  static async open(opts: MvccOptions): Promise<Mvcc> {
    const b = opts.backend;
    const ids = {
      clusterId: (await b.getMeta(META.clusterId)) ?? randomId(),
      memberId: (await b.getMeta(META.memberId)) ?? randomId(),
    };
    await b.write([b.metaOp(META.clusterId, ids.clusterId), b.metaOp(META.memberId, ids.memberId)]);
    const store = new Mvcc(opts, ids);
    await store.restore();
    return store;
  }

  get revision(): number {
    return this.committedRev;
  }

  /** The revision history was compacted at; 0 if never. */
  get compactedRevision(): number {
    return Math.max(0, this.compactRev);
  }

  get keyCount(): number {
    return this.liveKeys;
  }

  // ---- reads -------------------------------------------------------------------------------

  async range(req: RangeRequest): Promise<RangeResponse> {
    checkRange(req);
    this.assertUsable();
    const rev = req.revision ?? 0;
    if (rev > this.committedRev) throw Errors.futureRev();
    return this.rangeAt(req, rev > 0 ? rev : this.committedRev, this.committedRev, 'committed');
  }

  /**
   * etcd's Range (etcdserver/apply.go): sorting or revision filters read everything and cut
   * afterwards; without them, one extra key is read to know whether there is `more`.
   */
  private async rangeAt(req: RangeRequest, atRev: number, headerRev: number, view: View): Promise<RangeResponse> {
    if (atRev < this.compactRev) throw Errors.compacted();
    const entries = this.index.range(req.key.toString('latin1'), rangeEnd(req.rangeEnd), atRev);
    const count = entries.length;
    const limit = req.limit ?? 0;
    const filtered =
      (req.sortOrder ?? 'NONE') !== 'NONE' ||
      !!req.minModRevision ||
      !!req.maxModRevision ||
      !!req.minCreateRevision ||
      !!req.maxCreateRevision;
    let kvs: KeyValue[] = [];
    if (!req.countOnly) {
      const take = !filtered && limit > 0 ? entries.slice(0, limit + 1) : entries;
      kvs = await this.values(take, view);
      kvs = kvs.filter(
        (kv) =>
          !(req.maxModRevision && kv.modRevision > req.maxModRevision) &&
          !(req.minModRevision && kv.modRevision < req.minModRevision) &&
          !(req.maxCreateRevision && kv.createRevision > req.maxCreateRevision) &&
          !(req.minCreateRevision && kv.createRevision < req.minCreateRevision),
      );
      let order = req.sortOrder ?? 'NONE';
      const target = req.sortTarget ?? 'KEY';
      if (order === 'NONE' && target !== 'KEY') order = 'ASCEND';
      if (order !== 'NONE') kvs = sortKvs(kvs, target, order);
    }
    let more = false;
    if (limit > 0 && kvs.length > limit) {
      kvs = kvs.slice(0, limit);
      more = true;
    }
    if (req.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: EMPTY }));
    return { header: { revision: headerRev }, kvs, more, count };
  }

  /** The values of index entries; from memory when a write in progress holds them, else from disk. */
  private async values(entries: IndexEntry[], view: View): Promise<KeyValue[]> {
    const out: Array<KeyValue | undefined> = new Array(entries.length);
    const missing: number[] = [];
    entries.forEach((e, i) => {
      const kv = view === 'pending' ? this.inMemory(e.modified) : undefined;
      if (kv) out[i] = kv;
      else missing.push(i);
    });
    if (missing.length > 0) {
      const stored = await this.backend.getMany(
        'kv',
        missing.map((i) => encodeRevision(entries[i]!.modified)),
      );
      missing.forEach((i, j) => {
        const b = stored[j];
        // Gone from disk: a compaction overtook this read, which then counts as after it.
        if (!b) throw Errors.compacted();
        out[i] = decodeKeyValue(b);
      });
    }
    return out as KeyValue[];
  }

  private inMemory(rev: Revision): KeyValue | undefined {
    const id = revisionId(rev);
    return this.uncommitted.get(id) ?? this.loaded.get(id);
  }

  /** A key as a write txn sees it: its value if in memory, else its revisions with an `UNREAD` value. */
  private pendingKv(e: IndexEntry): KeyValue {
    return (
      this.inMemory(e.modified) ?? {
        key: Buffer.from(e.key, 'latin1'),
        createRevision: e.created.main,
        modRevision: e.modified.main,
        version: e.version,
        value: UNREAD,
        lease: 0,
      }
    );
  }

  /** A single key's value at a revision, for prev_kv of replayed watch events. */
  private async readOne(key: Buffer, rev: number): Promise<KeyValue | undefined> {
    if (rev < this.compactRev || rev > this.committedRev) return undefined;
    const entry = this.index.get(key.toString('latin1'), rev);
    if (!entry) return undefined;
    try {
      return (await this.values([entry], 'committed'))[0];
    } catch {
      return undefined;
    }
  }

  /** A key as of `atRev` in a write txn's view; its value may be `UNREAD`. */
  private currentValue(key: string, atRev: number): KeyValue | undefined {
    const entry = this.index.get(key, atRev);
    return entry && this.pendingKv(entry);
  }

  /**
   * Reads from disk, before a write changes anything, the values it will need of the keys it
   * replaces: those it must answer or compare with, and those a prev_kv watcher will be sent.
   * Undefined when memory holds them all: most writes need none, and wait for nothing.
   */
  private load(keys: Iterable<string>, atRev: number): Promise<void> | undefined {
    const entries: IndexEntry[] = [];
    for (const key of new Set(keys)) {
      const e = this.index.get(key, atRev);
      if (!e) continue;
      // Held too if a write not yet on disk has it: that write may commit, and let go of it, first.
      const kv = this.inMemory(e.modified);
      if (kv) this.loaded.set(revisionId(e.modified), kv);
      else entries.push(e);
    }
    if (entries.length === 0) return undefined;
    return this.backend.getMany('kv', entries.map((e) => encodeRevision(e.modified))).then((stored) => {
      entries.forEach((e, i) => {
        const b = stored[i];
        // The newest revision of a live key is never compacted.
        if (!b) throw new Error(`store: the value of ${JSON.stringify(e.key)} at revision ${e.modified.main} is missing from disk`);
        this.loaded.set(revisionId(e.modified), decodeKeyValue(b));
      });
    });
  }

  /** The keys of `keys` a watcher that asked for prev_kv watches: a write to them must read what it replaces. */
  private watchedForPrev(keys: string[]): string[] {
    return this.hub.wantsPrevKv ? keys.filter((k) => this.hub.wantsPrev(Buffer.from(k, 'latin1'))) : [];
  }

  // ---- writes ------------------------------------------------------------------------------

  async put(req: PutRequest): Promise<PutResponse> {
    checkPut(req);
    return this.apply(async () => {
      if (req.lease) throw Errors.leaseNotFound();
      const key = req.key.toString('latin1');
      const reading = this.load(req.prevKv || req.ignoreValue ? [key] : this.watchedForPrev([key]), this.currentRev);
      if (reading) await reading;
      const tw = this.begin();
      const r = this.applyPut(tw, req);
      this.finish(tw);
      return r;
    });
  }

  async deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    checkDeleteRange(req);
    return this.apply(async () => {
      const keys = this.index.range(req.key.toString('latin1'), rangeEnd(req.rangeEnd), this.currentRev).map((e) => e.key);
      const reading = this.load(req.prevKv ? keys : this.watchedForPrev(keys), this.currentRev);
      if (reading) await reading;
      const tw = this.begin();
      const r = this.applyDelete(tw, req);
      this.finish(tw);
      return r;
    });
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    checkTxn(req, this.maxTxnOps);
    return this.apply(async () => {
      const before = this.currentRev;
      const comparing = this.load(this.comparedValues(req, before), before);
      if (comparing) await comparing;
      const path = this.compareToPath(req, before);
      this.checkPaths(req, path, before);
      const replacing = this.load(this.replacedValues(req, path, before), before);
      if (replacing) await replacing;
      const tw = this.begin();
      const resp = await this.applyTxn(tw, req, path);
      resp.header.revision = tw.changes.length > 0 ? tw.beginRev + 1 : tw.beginRev;
      this.finish(tw);
      return resp;
    });
  }

  async compact(req: CompactionRequest): Promise<CompactionResponse> {
    let physical: Promise<void> = Promise.resolve();
    const resp = await this.apply(async () => {
      // Compaction drops history readers may still need; wait until they all read committed data.
      if (this.currentRev > this.committedRev) await this.flushed();
      const rev = req.revision;
      if (rev <= this.compactRev) throw Errors.compacted();
      if (rev > this.currentRev) throw Errors.futureRev();
      const keep = this.index.compact(rev);
      this.compactRev = rev;
      this.open.ops.push(this.backend.metaOp(META.scheduledCompactRev, String(rev)));
      physical = this.physicalCompaction = this.physicalCompaction.then(() => this.removeCompacted(rev, keep));
      this.log.info({ revision: rev, keys: this.index.size }, 'compaction scheduled');
      return { header: { revision: this.currentRev } };
    });
    if (req.physical) await physical;
    return resp;
  }

  watch(req: WatchCreateRequest, onResponse: (resp: WatchResponse) => void): Watch {
    this.assertUsable();
    return this.hub.watch(req, onResponse);
  }

  /** Waits for in-flight writes, stops the watchers and closes the backend. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.applying.catch(() => {});
    if (!this.failed) await this.flushed();
    await this.physicalCompaction.catch(() => {});
    this.hub.close();
    await this.backend.close();
  }

  /**
   * Runs `fn` alone (write txns are serial) and answers once its batch is on disk. `fn` changes
   * the in-memory state synchronously after its last await, so a failed write changes nothing.
   */
  private async apply<T>(fn: () => Promise<T>): Promise<T> {
    this.assertUsable();
    const run = this.applying.then(async () => {
      try {
        return await fn();
      } finally {
        this.loaded.clear();
      }
    });
    this.applying = run.catch(() => {});
    const result = await run;
    await this.flushed();
    return result;
  }

  /** Resolves once everything applied so far is durable. */
  private flushed(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.open.waiters.push(() => (this.failed ? reject(Errors.stopped()) : resolve()));
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushing || (this.open.ops.length === 0 && this.open.waiters.length === 0)) return;
    const batch = this.open;
    this.open = new Batch();
    this.flushing = true;
    this.backend.write(batch.ops).then(
      () => this.commit(batch),
      (err) => this.fail(err, batch),
    );
  }

  /** The one place where writes become visible: readers, then watchers, then the writers' answers. */
  private commit(batch: Batch): void {
    for (const c of batch.changes) this.uncommitted.delete(revisionId(c.rev));
    if (batch.lastRev > this.committedRev) this.committedRev = batch.lastRev;
    if (batch.changes.length > 0) {
      let unread: Set<WatchEvent> | undefined;
      const events = batch.changes.map((c) => {
        const ev: WatchEvent = { type: c.deleted ? 'DELETE' : 'PUT', kv: c.kv };
        if (c.prev?.value === UNREAD) (unread ??= new Set()).add(ev);
        else if (c.prev) ev.prevKv = c.prev;
        return ev;
      });
      this.hub.notify(events, this.committedRev, unread);
    }
    for (const w of batch.waiters) w();
    this.flushing = false;
    this.scheduleFlush();
  }

  private fail(err: unknown, batch: Batch): void {
    this.failed = err;
    this.log.error({ err }, 'the backend refused a write; the store stops');
    for (const w of batch.waiters) w();
    for (const w of this.open.waiters) w();
    this.open = new Batch();
    this.flushing = false;
    this.onFatal(err);
  }

  private assertUsable(): void {
    if (this.failed || this.closed) throw Errors.stopped();
  }

  // ---- one write transaction (etcd's storeTxnWrite) ----------------------------------------

  private begin(): WriteTxn {
    return { beginRev: this.currentRev, changes: [], ops: [] };
  }

  /** Reads inside a write txn see the txn's own earlier changes. */
  private readRev(tw: WriteTxn): number {
    return tw.changes.length > 0 ? tw.beginRev + 1 : tw.beginRev;
  }

  private applyPut(tw: WriteTxn, req: PutRequest): PutResponse {
    const key = req.key.toString('latin1');
    const prev = this.currentValue(key, this.readRev(tw));
    if ((req.ignoreValue || req.ignoreLease) && !prev) throw Errors.keyNotFound();
    if (!prev) this.liveKeys++;
    const rev = { main: tw.beginRev + 1, sub: tw.changes.length };
    const kv: KeyValue = {
      key: req.key,
      createRevision: prev ? prev.createRevision : rev.main,
      modRevision: rev.main,
      version: (prev?.version ?? 0) + 1,
      value: req.ignoreValue && prev ? read(prev).value : (req.value ?? EMPTY),
      lease: 0,
    };
    this.index.put(key, rev);
    this.uncommitted.set(revisionId(rev), kv);
    tw.ops.push({ type: 'put', table: 'kv', key: encodeRevision(rev), value: encodeKeyValue(kv) });
    tw.changes.push({ kv, rev, deleted: false, prev: prev && this.beforeTxn(tw, key, prev) });
    const resp: PutResponse = { header: { revision: rev.main } };
    if (req.prevKv && prev) resp.prevKv = read(prev);
    return resp;
  }

  /**
   * A watch event's prev_kv is the key as it was before the whole txn (etcd reads it at
   * mod_revision - 1), even when the txn touched the key more than once. A put that creates the
   * key has none, even when the same txn deleted an older one (applyPut asks only for updates).
   */
  private beforeTxn(tw: WriteTxn, key: string, inTxn: KeyValue | undefined): KeyValue | undefined {
    return tw.changes.length === 0 ? inTxn : this.currentValue(key, tw.beginRev);
  }

  private applyDelete(tw: WriteTxn, req: DeleteRangeRequest): DeleteRangeResponse {
    const at = this.readRev(tw);
    const entries = this.index.range(req.key.toString('latin1'), rangeEnd(req.rangeEnd), at);
    const prevKvs: KeyValue[] = [];
    for (const e of entries) {
      const prev = this.pendingKv(e);
      if (req.prevKv) prevKvs.push(read(prev));
      this.liveKeys--;
      const rev = { main: tw.beginRev + 1, sub: tw.changes.length };
      const tomb: KeyValue = { key: prev.key, createRevision: 0, modRevision: 0, version: 0, value: EMPTY, lease: 0 };
      this.index.tombstone(e.key, rev);
      tw.ops.push({ type: 'put', table: 'kv', key: encodeRevision(rev, true), value: encodeKeyValue(tomb) });
      tw.changes.push({ kv: { ...tomb, modRevision: rev.main }, rev, deleted: true, prev: this.beforeTxn(tw, e.key, prev) });
    }
    const revision = entries.length > 0 || tw.changes.length > 0 ? tw.beginRev + 1 : tw.beginRev;
    return { header: { revision }, deleted: entries.length, prevKvs };
  }

  private async applyTxn(tw: WriteTxn, req: TxnRequest, path: TxnPath): Promise<TxnResponse> {
    const ops = (path.succeeded ? req.success : req.failure) ?? [];
    const responses: ResponseOp[] = [];
    let nested = 0;
    for (const op of ops) {
      if ('requestRange' in op) {
        const at = op.requestRange.revision || this.readRev(tw);
        responses.push({ responseRange: await this.rangeAt(op.requestRange, at, this.readRev(tw), 'pending') });
      } else if ('requestPut' in op) {
        responses.push({ responsePut: this.applyPut(tw, op.requestPut) });
      } else if ('requestDeleteRange' in op) {
        responses.push({ responseDeleteRange: this.applyDelete(tw, op.requestDeleteRange) });
      } else {
        const inner = await this.applyTxn(tw, op.requestTxn, path.nested[nested++]!);
        inner.header = { revision: 0 };
        responses.push({ responseTxn: inner });
      }
    }
    return { header: { revision: 0 }, succeeded: path.succeeded, responses };
  }

  /** Moves a finished write txn into the open batch: from here on it only waits for the disk. */
  private finish(tw: WriteTxn): void {
    if (tw.changes.length === 0) return;
    this.currentRev = tw.beginRev + 1;
    this.open.ops.push(...tw.ops);
    this.open.changes.push(...tw.changes);
    this.open.lastRev = this.currentRev;
  }

  private compareToPath(req: TxnRequest, atRev: number): TxnPath {
    const succeeded = (req.compare ?? []).every((c) => this.compare(c, atRev));
    const ops = (succeeded ? req.success : req.failure) ?? [];
    const nested = ops.filter(isTxnOp).map((op) => this.compareToPath(op.requestTxn, atRev));
    return { succeeded, nested };
  }

  /** etcd's applyCompare: every key in range must satisfy it; a missing key counts as zeros. */
  private compare(c: Compare, atRev: number): boolean {
    const entries = this.index.range(c.key.toString('latin1'), rangeEnd(c.rangeEnd), atRev);
    const target = c.target ?? 'VERSION';
    if (entries.length === 0) {
      return target === 'VALUE' ? false : compareKv(c, ZERO_KV);
    }
    return entries.every((e) => compareKv(c, target === 'VALUE' ? read(this.pendingKv(e)) : this.pendingKv(e)));
  }

  /** The keys whose values the comparisons of a txn (nested ones too) look at. */
  private comparedValues(req: TxnRequest, atRev: number): string[] {
    const keys: string[] = [];
    const walk = (t: TxnRequest): void => {
      for (const c of t.compare ?? []) {
        if (c.target === 'VALUE') keys.push(...this.index.range(c.key.toString('latin1'), rangeEnd(c.rangeEnd), atRev).map((e) => e.key));
      }
      for (const op of [...(t.success ?? []), ...(t.failure ?? [])]) if (isTxnOp(op)) walk(op.requestTxn);
    };
    walk(req);
    return keys;
  }

  /** The keys whose values the writes of a txn's chosen branches will answer with or show watchers. */
  private replacedValues(req: TxnRequest, path: TxnPath, atRev: number): string[] {
    const answer: string[] = [];
    const touched: string[] = [];
    const walk = (list: RequestOp[], p: TxnPath): void => {
      let n = 0;
      for (const op of list) {
        if ('requestPut' in op) {
          const key = op.requestPut.key.toString('latin1');
          (op.requestPut.prevKv || op.requestPut.ignoreValue ? answer : touched).push(key);
        } else if ('requestDeleteRange' in op) {
          const d = op.requestDeleteRange;
          const keys = this.index.range(d.key.toString('latin1'), rangeEnd(d.rangeEnd), atRev).map((e) => e.key);
          (d.prevKv ? answer : touched).push(...keys);
        } else if ('requestTxn' in op) {
          const np = p.nested[n++]!;
          walk((np.succeeded ? op.requestTxn.success : op.requestTxn.failure) ?? [], np);
        }
      }
    };
    walk((path.succeeded ? req.success : req.failure) ?? [], path);
    return [...answer, ...this.watchedForPrev(touched)];
  }

  /** Checks before a txn applies anything, on the chosen branches (etcd's checkRequests). */
  private checkPaths(req: TxnRequest, path: TxnPath, atRev: number): void {
    const puts: PutRequest[] = [];
    const ranges: RangeRequest[] = [];
    const walk = (list: RequestOp[], p: TxnPath): void => {
      let n = 0;
      for (const op of list) {
        if ('requestPut' in op) puts.push(op.requestPut);
        else if ('requestRange' in op) ranges.push(op.requestRange);
        else if ('requestTxn' in op) {
          const np = p.nested[n++]!;
          walk((np.succeeded ? op.requestTxn.success : op.requestTxn.failure) ?? [], np);
        }
      }
    };
    walk((path.succeeded ? req.success : req.failure) ?? [], path);
    for (const p of puts) {
      if ((p.ignoreValue || p.ignoreLease) && !this.currentValue(p.key.toString('latin1'), atRev)) {
        throw Errors.keyNotFound();
      }
      if (p.lease) throw Errors.leaseNotFound();
    }
    for (const r of ranges) {
      const rev = r.revision ?? 0;
      if (rev === 0) continue;
      if (rev > atRev) throw Errors.futureRev();
      if (rev < this.compactRev) throw Errors.compacted();
    }
  }

  // ---- history, restore and compaction -------------------------------------------------------

  /** Events in (from..to) revisions whose key `match` accepts, read from disk, in revision order. */
  private async *history(from: number, to: number, match: (key: Buffer) => boolean): AsyncGenerator<WatchEvent> {
    const range = { gte: encodeRevision({ main: from, sub: 0 }), lt: encodeRevision({ main: to + 1, sub: 0 }) };
    for await (const [k, v] of this.backend.entries('kv', range)) {
      const kv = decodeKeyValue(v);
      if (!match(kv.key)) continue;
      if (isTombstone(k)) {
        yield { type: 'DELETE', kv: { ...kv, modRevision: decodeRevision(k).main } };
      } else {
        yield { type: 'PUT', kv };
      }
    }
  }

  private async restore(): Promise<void> {
    const scheduled = Number((await this.backend.getMeta(META.scheduledCompactRev)) ?? -1);
    const finished = Number((await this.backend.getMeta(META.finishedCompactRev)) ?? -1);
    let last = 0;
    let records = 0;
    for await (const [k, v] of this.backend.entries('kv')) {
      records++;
      const rev = decodeRevision(k);
      last = rev.main;
      const kv = decodeKeyValue(v);
      const key = kv.key.toString('latin1');
      if (isTombstone(k)) {
        if (this.index.has(key) && this.index.tombstone(key, rev)) this.liveKeys--;
      } else {
        if (!this.index.get(key, rev.main)) this.liveKeys++;
        if (this.index.has(key)) this.index.put(key, rev);
        else this.index.restore(key, { main: kv.createRevision, sub: 0 }, rev, kv.version);
      }
    }
    this.compactRev = scheduled;
    this.currentRev = this.committedRev = Math.max(1, last, scheduled);
    if (scheduled >= 0) {
      const keep = this.index.compact(scheduled);
      // A compaction interrupted by a crash finishes now.
      if (scheduled > finished) this.physicalCompaction = this.removeCompacted(scheduled, keep);
    }
    this.log.info({ revision: this.currentRev, compacted: this.compactRev, keys: this.liveKeys, records }, 'store restored');
  }

  private async removeCompacted(rev: number, keep: Set<string>): Promise<void> {
    let ops: BackendOp[] = [];
    let removed = 0;
    const range = { lt: encodeRevision({ main: rev + 1, sub: 0 }) };
    for await (const [k] of this.backend.entries('kv', range)) {
      if (keep.has(revisionId(decodeRevision(k)))) continue;
      ops.push({ type: 'del', table: 'kv', key: k });
      if (ops.length >= 10_000) {
        removed += ops.length;
        await this.backend.write(ops);
        ops = [];
      }
    }
    removed += ops.length;
    ops.push(this.backend.metaOp(META.finishedCompactRev, String(rev)));
    await this.backend.write(ops);
    this.log.info({ revision: rev, removed }, 'compaction finished');
  }
}

interface WriteTxn {
  beginRev: number;
  changes: Change[];
  ops: BackendOp[];
}

const EMPTY = Buffer.alloc(0);
/** The value of a key a write replaces when nobody needed it read from disk. */
const UNREAD = Buffer.alloc(0);

/** A replaced key whose value a write answers or compares with: `load` has read it. */
function read(kv: KeyValue): KeyValue {
  if (kv.value === UNREAD) throw new Error(`store: the value of ${JSON.stringify(kv.key.toString('latin1'))} was not read before the write needed it`);
  return kv;
}
const ZERO_KV: KeyValue = { key: EMPTY, createRevision: 0, modRevision: 0, version: 0, value: EMPTY, lease: 0 };

function randomId(): string {
  return randomBytes(8).readBigUInt64BE().toString();
}

/** etcd's range end: none for one key, `\0` for "every key from here on", else an exclusive end. */
export function rangeEnd(end: Buffer | undefined): string | undefined {
  if (!end || end.length === 0) return undefined;
  if (end.length === 1 && end[0] === 0) return '';
  return end.toString('latin1');
}

function isTxnOp(op: RequestOp): op is { requestTxn: TxnRequest } {
  return 'requestTxn' in op;
}

function compareKv(c: Compare, kv: KeyValue): boolean {
  let result: number;
  switch (c.target ?? 'VERSION') {
    case 'VALUE':
      result = Buffer.compare(kv.value, c.value ?? EMPTY);
      break;
    case 'CREATE':
      result = Math.sign(kv.createRevision - (c.createRevision ?? 0));
      break;
    case 'MOD':
      result = Math.sign(kv.modRevision - (c.modRevision ?? 0));
      break;
    case 'LEASE':
      result = Math.sign(kv.lease - (c.lease ?? 0));
      break;
    default:
      result = Math.sign(kv.version - (c.version ?? 0));
  }
  switch (c.result ?? 'EQUAL') {
    case 'EQUAL':
      return result === 0;
    case 'NOT_EQUAL':
      return result !== 0;
    case 'GREATER':
      return result > 0;
    case 'LESS':
      return result < 0;
  }
}

/** A stable sort, so that ties keep key order, as etcd's insertion sort does on small results. */
function sortKvs(kvs: KeyValue[], target: string, order: string): KeyValue[] {
  const field = (kv: KeyValue): number | Buffer =>
    target === 'VERSION'
      ? kv.version
      : target === 'CREATE'
        ? kv.createRevision
        : target === 'MOD'
          ? kv.modRevision
          : target === 'VALUE'
            ? kv.value
            : kv.key;
  const cmp = (a: KeyValue, b: KeyValue): number => {
    const x = field(a);
    const y = field(b);
    return typeof x === 'number' ? x - (y as number) : Buffer.compare(x, y as Buffer);
  };
  const sign = order === 'DESCEND' ? -1 : 1;
  return [...kvs].sort((a, b) => sign * cmp(a, b));
}
