import { StoreError } from '../store/errors.js';
import type { KV } from '../store/kv.js';
import { ApiError } from './errors.js';
import { decode, type CachedObject, type KubeObject } from './watch-cache.js';

/**
 * Objects in the store: JSON at their key, with resourceVersion left out (the store's revision is
 * the resourceVersion). Every write is one txn, so optimistic concurrency is the store's own
 * compare-and-swap on the key's mod revision.
 */
export class ObjectStore {
  constructor(private readonly kv: KV) {}

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

  /** Writes a new object; undefined if the key already exists. */
  async create(key: string, object: KubeObject): Promise<CachedObject | undefined> {
    const k = Buffer.from(key);
    const t = await this.kv.txn({
      compare: [{ key: k, target: 'CREATE', result: 'EQUAL', createRevision: 0 }],
      success: [{ requestPut: { key: k, value: encode(object) } }],
    });
    return t.succeeded ? decode(key, Buffer.from(encode(object)), t.header.revision) : undefined;
  }

  /** Replaces the object if it is still at `rev`; undefined if someone changed or deleted it meanwhile. */
  async update(key: string, rev: number, object: KubeObject): Promise<CachedObject | undefined> {
    const k = Buffer.from(key);
    const value = encode(object);
    const t = await this.kv.txn({
      compare: [{ key: k, target: 'MOD', result: 'EQUAL', modRevision: rev }],
      success: [{ requestPut: { key: k, value } }],
    });
    return t.succeeded ? decode(key, value, t.header.revision) : undefined;
  }

  /** Deletes the object if it is still at `rev`; the revision of the deletion, or undefined. */
  async delete(key: string, rev: number): Promise<number | undefined> {
    const k = Buffer.from(key);
    const t = await this.kv.txn({
      compare: [{ key: k, target: 'MOD', result: 'EQUAL', modRevision: rev }],
      success: [{ requestDeleteRange: { key: k } }],
    });
    return t.succeeded ? t.header.revision : undefined;
  }
}

function encode(object: KubeObject): Buffer {
  const { resourceVersion: _, ...metadata } = (object.metadata ?? {}) as Record<string, unknown>;
  return Buffer.from(JSON.stringify({ ...object, metadata }));
}
