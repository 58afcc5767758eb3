import type { Watch } from './kv.js';
import type { KeyValue, WatchCreateRequest, WatchEvent, WatchResponse } from './types.js';

/** What the hub needs from the store: revisions, history on disk, and single past values. */
export interface WatchSource {
  committedRevision(): number;
  compactedRevision(): number;
  /** Events of revisions from..to (inclusive) whose key `match` accepts, oldest first. */
  history(from: number, to: number, match: (key: Buffer) => boolean): AsyncGenerator<WatchEvent>;
  /** A key's value as of a revision; undefined if it did not exist or the revision is compacted. */
  valueAt(key: Buffer, rev: number): Promise<KeyValue | undefined>;
}

/** A range whose end is not after its key watches nothing; etcd refuses it. */
export function isEmptyWatchRange(req: WatchCreateRequest): boolean {
  const end = req.rangeEnd;
  if (!end || end.length === 0 || (end.length === 1 && end[0] === 0)) return false;
  return Buffer.compare(req.key, end) >= 0;
}

/** Events of one replayed response at most (split only between revisions). */
const REPLAY_CHUNK = 1000;

class Watcher {
  synced = false;
  canceled = false;
  /** True while no events went out since the last progress tick (etcd's `progress[id]`). */
  quiet = true;
  nextRev: number;
  readonly id: number;
  readonly key: Buffer;
  /** undefined: the single key; empty: no upper bound. */
  readonly end: Buffer | undefined;
  readonly prevKv: boolean;
  readonly noPut: boolean;
  readonly noDelete: boolean;
  readonly progressNotify: boolean;

  constructor(
    req: WatchCreateRequest,
    current: number,
    readonly send: (resp: WatchResponse) => void,
  ) {
    this.id = req.watchId ?? 0;
    this.key = req.key;
    const end = req.rangeEnd;
    this.end = !end || end.length === 0 ? undefined : end.length === 1 && end[0] === 0 ? Buffer.alloc(0) : end;
    this.prevKv = !!req.prevKv;
    this.noPut = !!req.filters?.includes('NOPUT');
    this.noDelete = !!req.filters?.includes('NODELETE');
    this.progressNotify = !!req.progressNotify;
    this.nextRev = req.startRevision && req.startRevision > 0 ? req.startRevision : current + 1;
  }

  matchesKey(k: Buffer): boolean {
    if (this.end === undefined) return k.equals(this.key);
    return Buffer.compare(k, this.key) >= 0 && (this.end.length === 0 || Buffer.compare(k, this.end) < 0);
  }

  accepts(ev: WatchEvent): boolean {
    if (ev.type === 'PUT' ? this.noPut : this.noDelete) return false;
    return this.matchesKey(ev.kv.key);
  }
}

/**
 * etcd's watchable store. A watcher is either synced (it has every event up to the committed
 * revision and gets new ones as they commit) or catching up from history on disk. The switch from
 * one to the other happens synchronously, between two commits, so no event is lost or doubled.
 * New events enter in one place: `notify`, called at the end of each committed write batch.
 */
export class WatchHub {
  private readonly synced = new Set<Watcher>();
  private readonly all = new Set<Watcher>();
  private readonly withPrevKv = new Set<Watcher>();

  constructor(private readonly src: WatchSource) {}

  get watcherCount(): number {
    return this.all.size;
  }

  /** Whether any watcher asked for prev_kv: only then must a write read what it replaces. */
  get wantsPrevKv(): boolean {
    return this.withPrevKv.size > 0;
  }

  /** Whether a watcher that asked for prev_kv watches `key`. */
  wantsPrev(key: Buffer): boolean {
    for (const w of this.withPrevKv) if (w.matchesKey(key)) return true;
    return false;
  }

  watch(req: WatchCreateRequest, onResponse: (resp: WatchResponse) => void): Watch {
    const current = this.src.committedRevision();
    if (isEmptyWatchRange(req)) {
      const cancelReason = 'mvcc: watcher range is empty';
      onResponse({ header: { revision: current }, watchId: -1, created: true, canceled: true, cancelReason, events: [] });
      return { cancel: () => {} };
    }
    const w = new Watcher(req, current, onResponse);
    this.all.add(w);
    if (w.prevKv) this.withPrevKv.add(w);
    w.send({ header: { revision: current }, watchId: w.id, created: true, events: [] });
    if (w.nextRev > current) {
      w.synced = true;
      this.synced.add(w);
    } else {
      void this.catchUp(w);
    }
    return { cancel: () => this.remove(w) };
  }

  /**
   * New events of one committed batch, all at revisions up to `rev`. `unread`: events that replaced
   * a value the write did not read, as no watcher had asked for it when it was applied; a prev_kv
   * watcher that came since and wants one of them catches up from disk instead.
   */
  notify(events: WatchEvent[], rev: number, unread?: ReadonlySet<WatchEvent>): void {
    for (const w of this.synced) {
      let out: WatchEvent[] | undefined;
      let behind = false;
      for (const ev of events) {
        if (ev.kv.modRevision < w.nextRev || !w.accepts(ev)) continue;
        if (w.prevKv && unread?.has(ev)) {
          behind = true;
          break;
        }
        (out ??= []).push(w.prevKv || !ev.prevKv ? ev : { type: ev.type, kv: ev.kv });
      }
      if (behind) {
        this.synced.delete(w);
        w.synced = false;
        void this.catchUp(w);
        continue;
      }
      w.nextRev = rev + 1;
      if (out) this.deliver(w, out, rev);
    }
  }

  /** A periodic progress tick: watchers that asked for it and heard nothing since get the revision. */
  progress(): void {
    const rev = this.src.committedRevision();
    for (const w of this.synced) {
      if (!w.progressNotify) continue;
      if (w.quiet) w.send({ header: { revision: rev }, watchId: w.id, events: [] });
      w.quiet = true;
    }
  }

  close(): void {
    for (const w of [...this.all]) this.remove(w);
  }

  private remove(w: Watcher): void {
    w.canceled = true;
    this.synced.delete(w);
    this.all.delete(w);
    this.withPrevKv.delete(w);
  }

  private deliver(w: Watcher, events: WatchEvent[], rev: number): void {
    if (w.canceled) return;
    w.quiet = false;
    w.send({ header: { revision: rev }, watchId: w.id, events });
  }

  private async catchUp(w: Watcher): Promise<void> {
    while (!w.canceled) {
      const compacted = this.src.compactedRevision();
      if (w.nextRev < compacted) return this.cancelCompacted(w, compacted);
      const to = this.src.committedRevision();
      if (w.nextRev > to) {
        w.synced = true;
        this.synced.add(w);
        return;
      }
      let chunk: WatchEvent[] = [];
      for await (const ev of this.src.history(w.nextRev, to, (k) => w.matchesKey(k))) {
        if (w.canceled) return;
        if (!w.accepts(ev)) continue;
        const last = chunk[chunk.length - 1];
        if (last && chunk.length >= REPLAY_CHUNK && last.kv.modRevision !== ev.kv.modRevision) {
          if (!(await this.sendReplay(w, chunk, last.kv.modRevision))) return;
          chunk = [];
        }
        chunk.push(ev);
      }
      if (!(await this.sendReplay(w, chunk, to))) return;
      w.nextRev = to + 1;
    }
  }

  /** Sends replayed events, unless a compaction overtook the read (then the watch is canceled). */
  private async sendReplay(w: Watcher, events: WatchEvent[], rev: number): Promise<boolean> {
    if (w.prevKv) {
      for (const ev of events) {
        // As etcd: a create event has no prev_kv, even if the key lived until the same txn.
        if (ev.type === 'PUT' && ev.kv.createRevision === ev.kv.modRevision) continue;
        const prev = await this.src.valueAt(ev.kv.key, ev.kv.modRevision - 1);
        if (prev) ev.prevKv = prev;
      }
    }
    const compacted = this.src.compactedRevision();
    if (w.nextRev < compacted) {
      this.cancelCompacted(w, compacted);
      return false;
    }
    if (events.length > 0) this.deliver(w, events, rev);
    return !w.canceled;
  }

  private cancelCompacted(w: Watcher, compactRevision: number): void {
    if (w.canceled) return;
    // etcd leaves the header's revision out of this response.
    w.send({ header: { revision: 0 }, watchId: w.id, canceled: true, compactRevision, events: [] });
    this.remove(w);
  }
}
