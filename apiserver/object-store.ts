import { StoreError } from '../store/errors.js';
import type { KV } from '../store/kv.js';
import type { Compare, KeyValue, RequestOp } from '../store/types.js';
import { ApiError } from './errors.js';
import { revisionPairs, type RevisionPairs } from './revision-pairs.js';
import { decode, encodeObject, settled, withRevision, type CacheEvent, type CachedObject, type KubeObject } from './watch-cache.js';

/**
 * Objects in the store: JSON at their key, with resourceVersion left out (the store's revision is
 * the resourceVersion). Every write is one txn, so optimistic concurrency is the store's own
 * compare-and-swap on the key's mod revision.
 */
export class ObjectStore {
  private readonly pairs: RevisionPairs;

  /**
   * `paired`: whether the watch cache decodes a key's watch events, and so pairs them with the
   * writes' answers. A key it does not hold (an Event) would leave its answer waiting for a partner
   * that never comes, crowding out the ones that do.
   */
  constructor(
    private readonly kv: KV,
    private readonly paired: (key: string) => boolean = () => true,
  ) {
    this.pairs = revisionPairs(kv);
  }

  async get(key: string): Promise<CachedObject | undefined> {
    const kv = (await this.kv.range({ key: Buffer.from(key) })).kvs[0];
    return kv && decode(key, kv.value, kv.modRevision);
  }

  /** The store's revision now: what a consistent read must wait for. */
  async currentRevision(): Promise<number> {
    return (await this.kv.range({ key: Buffer.from('/registry/'), countOnly: true, limit: 1 })).header.revision;
  }

  /**
   * Objects in [from, end) as of a past revision, for the later pages of a paginated list. A 410
   * when that revision has been compacted away, as Kubernetes answers a stale continue token.
   */
  async rangeAt(from: string, end: string, rev: number, limit: number): Promise<{ objects: CachedObject[]; more: boolean }> {
    try {
      const res = await this.kv.range({ key: Buffer.from(from), rangeEnd: Buffer.from(end), revision: rev, limit });
      return { objects: res.kvs.map((kv) => decode(kv.key.toString(), kv.value, kv.modRevision)), more: res.more };
    } catch (err) {
      if (err instanceof StoreError && /compacted/.test(err.message)) {
        throw ApiError.gone(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
        );
      }
      throw err;
    }
  }

  /**
   * The keys under `prefix` and the revision each was last written at, values left out: what a
   * sweep over many objects needs to tell which changed.
   */
  async versions(prefix: string): Promise<Array<{ key: string; rev: number }>> {
    const res = await this.kv.range({ key: Buffer.from(prefix), rangeEnd: prefixEnd(prefix), keysOnly: true });
    return res.kvs.map((kv) => ({ key: kv.key.toString(), rev: kv.modRevision }));
  }

  /**
   * Changes under `prefix` after revision `after`, straight from the store, as the watch cache
   * would give them (each with the object before it): how a resource the cache keeps no copy of is
   * watched, one store watch per client watch, as kube-apiserver watches etcd for such a resource.
   * `onGone` once the store no longer holds that history (compacted); nothing more follows.
   */
  watch(prefix: string, after: number, onEvent: (ev: CacheEvent) => void, onGone: (reason: string) => void): () => void {
    let ended = false;
    const w = this.kv.watch({ key: Buffer.from(prefix), rangeEnd: prefixEnd(prefix), startRevision: after + 1, prevKv: true }, (r) => {
      if (ended) return;
      if (r.canceled) {
        ended = true;
        onGone(`too old resource version: ${after} (${r.compactRevision ?? 0})`);
        return;
      }
      for (const e of r.events) {
        const key = e.kv.key.toString();
        const rev = e.kv.modRevision;
        const previous = e.prevKv && e.prevKv.value.length > 0 ? decode(key, e.prevKv.value, e.prevKv.modRevision) : undefined;
        if (e.type === 'DELETE') {
          // A delete carries no value; what a watcher gets is the object as it was, at the deletion's revision.
          if (!previous) continue;
          onEvent({ type: 'DELETED', key, rev, current: withRevision(previous, rev), previous });
        } else {
          onEvent({ type: previous ? 'MODIFIED' : 'ADDED', key, rev, current: decode(key, e.kv.value, rev), previous });
        }
      }
    });
    return () => {
      ended = true;
      w.cancel();
    };
  }

  /**
   * The values held in a claim pool: the part of each key after `pool`. Keys only: a claim's value
   * (its holder) does not matter to whoever is choosing a free one.
   */
  async held(pool: string): Promise<Set<string>> {
    const res = await this.kv.range({ key: Buffer.from(pool), rangeEnd: prefixEnd(pool), keysOnly: true });
    return new Set(res.kvs.map((kv) => kv.key.toString().slice(pool.length)));
  }

  /**
   * Writes a new object, and claims its keys, in one txn. Undefined if the object already exists;
   * `{taken}` if it does not but some of the claim keys were held.
   */
  async create(key: string, object: KubeObject, claims: ClaimKeys = NO_CLAIMS, guard?: Guard): Promise<CachedObject | Taken | undefined> {
    return this.put(key, object, undefined, claims, { target: 'CREATE', result: 'EQUAL', createRevision: 0 }, (kv) => kv === undefined, guard);
  }

  /**
   * Replaces the object if it is still at `rev`, claiming and releasing keys with it. Undefined if
   * someone changed or deleted it meanwhile; `{taken}` if it is as expected but claim keys were held.
   * `previous`, the object as it is at `rev`, shares its unchanged parts with the new revision.
   */
  async update(key: string, rev: number, object: KubeObject, claims: ClaimKeys = NO_CLAIMS, previous?: Readonly<KubeObject>): Promise<CachedObject | Taken | undefined> {
    return this.put(key, object, previous, claims, { target: 'MOD', result: 'EQUAL', modRevision: rev }, (kv) => kv?.modRevision === rev);
  }

  /** A create or an update: the object's put under its own compare, decoded once it is written. */
  private async put(
    key: string,
    object: KubeObject,
    previous: Readonly<KubeObject> | undefined,
    claims: ClaimKeys,
    own: Omit<Compare, 'key'>,
    asExpected: (kv: KeyValue | undefined) => boolean,
    guard?: Guard,
  ): Promise<CachedObject | Taken | undefined> {
    const value = encodeObject(object, previous, key);
    try {
      const written = await this.write(key, claims, own, [{ requestPut: { key: Buffer.from(key), value } }], asExpected, guard);
      if (typeof written !== 'number') return written;
      return this.paired(key) ? this.pairs.decode(key, value, written, decode) : decode(key, value, written);
    } finally {
      settled(key, value);
    }
  }

  /** Deletes the object if it is still at `rev`, releasing its claims with it; the revision of the deletion, or undefined. */
  async delete(key: string, rev: number, release: readonly string[] = []): Promise<number | undefined> {
    const written = await this.write(key, { claim: [], release }, { target: 'MOD', result: 'EQUAL', modRevision: rev }, [{ requestDeleteRange: { key: Buffer.from(key) } }], () => true);
    return typeof written === 'number' ? written : undefined;
  }

  /**
   * One txn: the object's own compare plus "absent" for each claim key; on success the object's
   * op, a put of each claim naming the object, and the release of each released claim. When it
   * fails, the failure branch reads the same keys at the same revision, to tell why. A guard is
   * one more compare: another object that must still be at the revision the writer checked it at.
   * A refusal with no claim taken means the guard moved.
   */
  private async write(
    key: string,
    claims: ClaimKeys,
    own: Omit<Compare, 'key'>,
    op: RequestOp[],
    asExpected: (kv: KeyValue | undefined) => boolean,
    guard?: Guard,
  ): Promise<number | Taken | undefined> {
    const k = Buffer.from(key);
    const claimKeys = claims.claim.map((c) => Buffer.from(c));
    const guards: Compare[] = guard ? [{ key: Buffer.from(guard.key), target: 'MOD', result: 'EQUAL', modRevision: guard.rev }] : [];
    const explain = claimKeys.length > 0 || guard !== undefined;
    const t = await this.kv.txn({
      compare: [{ key: k, ...own }, ...guards, ...claimKeys.map((c): Compare => ({ key: c, target: 'CREATE', result: 'EQUAL', createRevision: 0 }))],
      success: [...op, ...claimKeys.map((c): RequestOp => ({ requestPut: { key: c, value: k } })), ...claims.release.map((r) => release(r, k))],
      failure: explain ? [k, ...claimKeys].map((c): RequestOp => ({ requestRange: { key: c, keysOnly: true } })) : [],
    });
    if (t.succeeded) return t.header.revision;
    if (!explain) return undefined;
    const found = t.responses.map((r) => ('responseRange' in r ? r.responseRange.kvs[0] : undefined));
    if (!asExpected(found[0])) return undefined;
    return { taken: claims.claim.filter((_, i) => found[i + 1] !== undefined) };
  }
}

/** An object a write depends on, and the revision the writer saw it at: a create's namespace. */
export interface Guard {
  key: string;
  rev: number;
}

/** Claim keys a write takes (each must be absent) and gives back. */
export interface ClaimKeys {
  claim: readonly string[];
  release: readonly string[];
}

const NO_CLAIMS: ClaimKeys = { claim: [], release: [] };

/** A write refused because these claim keys were already held. */
export interface Taken {
  taken: string[];
}

/** Deletes a claim only while it still names this holder: a release never frees another object's value. */
function release(claim: string, holder: Buffer): RequestOp {
  const key = Buffer.from(claim);
  return { requestTxn: { compare: [{ key, target: 'VALUE', result: 'EQUAL', value: holder }], success: [{ requestDeleteRange: { key } }] } };
}

/** The end of the range of every key that starts with `prefix`. */
function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  end[end.length - 1]! += 1;
  return end;
}
