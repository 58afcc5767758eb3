import type {
  CompactionRequest,
  CompactionResponse,
  DeleteRangeRequest,
  DeleteRangeResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  TxnRequest,
  TxnResponse,
  WatchCreateRequest,
  WatchResponse,
} from './types.js';

/**
 * The contract of the store, what each call does to the revision. The MVCC implements it in
 * process; the HTTP client implements it over etcd's JSON API, against minik's store or a real
 * etcd. The shared conformance suite (store/conformance.ts) holds all three to it.
 *
 * The revision starts at 1 and every write transaction that changes something adds exactly one.
 * Every response's header carries the revision as of that response.
 */
export interface KV {
  /** Reads keys as of `revision` (0: now). Adds no revision. Fails below the compacted revision or above now. */
  range(req: RangeRequest): Promise<RangeResponse>;

  /** Writes one key: one new revision; the key's version goes up by one (to 1 if it is new). */
  put(req: PutRequest): Promise<PutResponse>;

  /** Deletes the keys in range: one new revision if any key was live, none otherwise. */
  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse>;

  /**
   * Compares against the state before it, then runs the success or failure ops in order, each
   * seeing the ones before. One new revision shared by all its changes if there are any, none otherwise.
   */
  txn(req: TxnRequest): Promise<TxnResponse>;

  /** Forgets history before `revision`. Adds no revision. Fails at or below the last compaction, or above now. */
  compact(req: CompactionRequest): Promise<CompactionResponse>;

  /**
   * Streams changes in revision order, none lost or doubled: history from `startRevision` first,
   * then every new change. A start below the compacted revision gets one response with
   * `compactRevision` set and `canceled`, and nothing more.
   */
  watch(req: WatchCreateRequest, onResponse: (resp: WatchResponse) => void): Watch;
}

export interface Watch {
  /** Stops delivery; no response arrives after it returns. */
  cancel(): void;
}
