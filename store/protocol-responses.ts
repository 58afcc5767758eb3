import type {
  CompactionResponse,
  DeleteRangeResponse,
  KeyValue,
  PutResponse,
  RangeResponse,
  ResponseHeader,
  ResponseOp,
  TxnResponse,
  WatchEvent,
  WatchResponse,
} from './types.js';

/**
 * Responses on etcd's JSON API, as its gateway writes them: fields in protobuf order, zero values
 * left out, 64-bit numbers as strings, bytes in base64. Only the outermost header names the cluster.
 */

export interface ClusterIdentity {
  clusterId: string;
  memberId: string;
  raftTerm: string;
}

type Json = Record<string, unknown>;

const str = (n: number) => (n ? String(n) : undefined);

function header(h: ResponseHeader, id?: ClusterIdentity): Json {
  const out: Json = {};
  if (id) {
    out.cluster_id = id.clusterId;
    out.member_id = id.memberId;
  }
  if (h.revision) out.revision = String(h.revision);
  if (id) out.raft_term = id.raftTerm;
  return out;
}

export function encodeKv(kv: KeyValue): Json {
  const out: Json = { key: kv.key.toString('base64') };
  if (kv.createRevision) out.create_revision = String(kv.createRevision);
  if (kv.modRevision) out.mod_revision = String(kv.modRevision);
  if (kv.version) out.version = String(kv.version);
  if (kv.value.length > 0) out.value = kv.value.toString('base64');
  if (kv.lease) out.lease = String(kv.lease);
  return out;
}

export function encodeRangeResponse(r: RangeResponse, id?: ClusterIdentity): Json {
  const out: Json = { header: header(r.header, id) };
  if (r.kvs.length > 0) out.kvs = r.kvs.map(encodeKv);
  if (r.more) out.more = true;
  if (r.count) out.count = String(r.count);
  return out;
}

export function encodePutResponse(r: PutResponse, id?: ClusterIdentity): Json {
  const out: Json = { header: header(r.header, id) };
  if (r.prevKv) out.prev_kv = encodeKv(r.prevKv);
  return out;
}

export function encodeDeleteRangeResponse(r: DeleteRangeResponse, id?: ClusterIdentity): Json {
  const out: Json = { header: header(r.header, id) };
  if (r.deleted) out.deleted = String(r.deleted);
  if (r.prevKvs.length > 0) out.prev_kvs = r.prevKvs.map(encodeKv);
  return out;
}

export function encodeTxnResponse(r: TxnResponse, id?: ClusterIdentity): Json {
  const out: Json = { header: header(r.header, id) };
  if (r.succeeded) out.succeeded = true;
  if (r.responses.length > 0) out.responses = r.responses.map(encodeResponseOp);
  return out;
}

function encodeResponseOp(op: ResponseOp): Json {
  if ('responseRange' in op) return { response_range: encodeRangeResponse(op.responseRange) };
  if ('responsePut' in op) return { response_put: encodePutResponse(op.responsePut) };
  if ('responseDeleteRange' in op) return { response_delete_range: encodeDeleteRangeResponse(op.responseDeleteRange) };
  return { response_txn: encodeTxnResponse(op.responseTxn) };
}

export function encodeCompactionResponse(r: CompactionResponse, id?: ClusterIdentity): Json {
  return { header: header(r.header, id) };
}

function encodeEvent(e: WatchEvent): Json {
  const out: Json = {};
  if (e.type === 'DELETE') out.type = 'DELETE';
  out.kv = encodeKv(e.kv);
  if (e.prevKv) out.prev_kv = encodeKv(e.prevKv);
  return out;
}

/** One line of a watch stream: `{"result": WatchResponse}`. */
export function encodeWatchResponse(r: WatchResponse, id?: ClusterIdentity): Json {
  const out: Json = { header: header(r.header, id) };
  if (r.watchId) out.watch_id = String(r.watchId);
  if (r.created) out.created = true;
  if (r.canceled) out.canceled = true;
  if (r.compactRevision) out.compact_revision = String(r.compactRevision);
  if (r.cancelReason) out.cancel_reason = r.cancelReason;
  if (r.events.length > 0) out.events = r.events.map(encodeEvent);
  return { result: out };
}

// ---- the client side -------------------------------------------------------------------------

type Wire = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const n = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));
const buf = (v: unknown): Buffer => (typeof v === 'string' ? Buffer.from(v, 'base64') : EMPTY);
const EMPTY = Buffer.alloc(0);

export function decodeHeader(h: Wire | undefined): ResponseHeader {
  return { revision: n(h?.revision) };
}

export function decodeKv(kv: Wire): KeyValue {
  return {
    key: buf(kv.key),
    createRevision: n(kv.create_revision),
    modRevision: n(kv.mod_revision),
    version: n(kv.version),
    value: buf(kv.value),
    lease: n(kv.lease),
  };
}

export function decodeRangeResponse(r: Wire): RangeResponse {
  return {
    header: decodeHeader(r.header),
    kvs: (r.kvs ?? []).map(decodeKv),
    more: !!r.more,
    count: n(r.count),
  };
}

export function decodePutResponse(r: Wire): PutResponse {
  const out: PutResponse = { header: decodeHeader(r.header) };
  if (r.prev_kv) out.prevKv = decodeKv(r.prev_kv);
  return out;
}

export function decodeDeleteRangeResponse(r: Wire): DeleteRangeResponse {
  return { header: decodeHeader(r.header), deleted: n(r.deleted), prevKvs: (r.prev_kvs ?? []).map(decodeKv) };
}

export function decodeTxnResponse(r: Wire): TxnResponse {
  return {
    header: decodeHeader(r.header),
    succeeded: !!r.succeeded,
    responses: (r.responses ?? []).map((op: Wire): ResponseOp => {
      if (op.response_range) return { responseRange: decodeRangeResponse(op.response_range) };
      if (op.response_put) return { responsePut: decodePutResponse(op.response_put) };
      if (op.response_delete_range) return { responseDeleteRange: decodeDeleteRangeResponse(op.response_delete_range) };
      return { responseTxn: decodeTxnResponse(op.response_txn ?? {}) };
    }),
  };
}

export function decodeCompactionResponse(r: Wire): CompactionResponse {
  return { header: decodeHeader(r.header) };
}

export function decodeWatchResponse(r: Wire): WatchResponse {
  const out: WatchResponse = {
    header: decodeHeader(r.header),
    watchId: n(r.watch_id),
    events: (r.events ?? []).map((e: Wire): WatchEvent => {
      const ev: WatchEvent = { type: e.type === 'DELETE' ? 'DELETE' : 'PUT', kv: decodeKv(e.kv ?? {}) };
      if (e.prev_kv) ev.prevKv = decodeKv(e.prev_kv);
      return ev;
    }),
  };
  if (r.created) out.created = true;
  if (r.canceled) out.canceled = true;
  if (r.compact_revision) out.compactRevision = n(r.compact_revision);
  if (r.cancel_reason) out.cancelReason = String(r.cancel_reason);
  return out;
}
