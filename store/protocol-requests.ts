import { z } from 'zod';
import { Errors, StoreError } from './errors.js';
import {
  BASE64,
  COMPARE_RESULTS,
  COMPARE_TARGETS,
  EMPTY,
  fastDeleteRange,
  fastPut,
  fastRange,
  fastTxn,
  INTEGER,
  MISS,
  SORT_ORDERS,
  SORT_TARGETS,
} from './protocol-fast.js';
import type {
  Compare,
  CompactionRequest,
  DeleteRangeRequest,
  PutRequest,
  RangeRequest,
  RequestOp,
  TxnRequest,
  WatchCreateRequest,
} from './types.js';

/**
 * Requests on etcd's JSON API: snake_case fields, bytes in base64, 64-bit numbers as strings or
 * numbers, enums by name or number, unknown fields ignored, a missing field its zero value.
 * `decode*` validate what a client sent (the server side); `encode*` write it (the client side).
 */

const bytes = z.string().transform((s, ctx) => {
  if (!BASE64.test(s)) {
    ctx.addIssue({ code: 'custom', message: 'illegal base64 data' });
    return z.NEVER;
  }
  return Buffer.from(s, 'base64');
});
const int64 = z.union([
  z.number().int(),
  z.string().regex(INTEGER, 'not a 64-bit integer').transform(Number),
]);

/** An enum by name or by its protobuf number; a number out of range becomes `invalid`. */
function protoEnum<const T extends readonly [string, ...string[]]>(names: T) {
  return z.union([
    z.enum(names),
    z.number().int().transform((n) => (names[n] ?? 'invalid') as T[number] | 'invalid'),
  ]);
}

const opt = <S extends z.ZodType>(s: S) => s.nullish().transform((v) => v ?? undefined);

const rangeSchema = z
  .object({
    key: opt(bytes),
    range_end: opt(bytes),
    limit: opt(int64),
    revision: opt(int64),
    sort_order: opt(protoEnum(SORT_ORDERS)),
    sort_target: opt(protoEnum(SORT_TARGETS)),
    serializable: opt(z.boolean()),
    keys_only: opt(z.boolean()),
    count_only: opt(z.boolean()),
    min_mod_revision: opt(int64),
    max_mod_revision: opt(int64),
    min_create_revision: opt(int64),
    max_create_revision: opt(int64),
  })
  .transform((r): RangeRequest => {
    if (r.sort_order === 'invalid' || r.sort_target === 'invalid') throw Errors.invalidSortOption();
    return compact({
      key: r.key ?? EMPTY,
      rangeEnd: r.range_end,
      limit: r.limit,
      revision: r.revision,
      sortOrder: r.sort_order,
      sortTarget: r.sort_target,
      serializable: r.serializable,
      keysOnly: r.keys_only,
      countOnly: r.count_only,
      minModRevision: r.min_mod_revision,
      maxModRevision: r.max_mod_revision,
      minCreateRevision: r.min_create_revision,
      maxCreateRevision: r.max_create_revision,
    });
  });

const putSchema = z
  .object({
    key: opt(bytes),
    value: opt(bytes),
    lease: opt(int64),
    prev_kv: opt(z.boolean()),
    ignore_value: opt(z.boolean()),
    ignore_lease: opt(z.boolean()),
  })
  .transform(
    (r): PutRequest =>
      compact({
        key: r.key ?? EMPTY,
        value: r.value,
        lease: r.lease,
        prevKv: r.prev_kv,
        ignoreValue: r.ignore_value,
        ignoreLease: r.ignore_lease,
      }),
  );

const deleteSchema = z
  .object({ key: opt(bytes), range_end: opt(bytes), prev_kv: opt(z.boolean()) })
  .transform((r): DeleteRangeRequest => compact({ key: r.key ?? EMPTY, rangeEnd: r.range_end, prevKv: r.prev_kv }));

const compareSchema = z
  .object({
    result: opt(protoEnum(COMPARE_RESULTS)),
    target: opt(protoEnum(COMPARE_TARGETS)),
    key: opt(bytes),
    version: opt(int64),
    create_revision: opt(int64),
    mod_revision: opt(int64),
    value: opt(bytes),
    lease: opt(int64),
    range_end: opt(bytes),
  })
  .transform((c): Compare => {
    if (c.result === 'invalid' || c.target === 'invalid') throw Errors.badRequest('unknown compare target or result');
    return compact({
      key: c.key ?? EMPTY,
      rangeEnd: c.range_end,
      target: c.target,
      result: c.result,
      version: c.version,
      createRevision: c.create_revision,
      modRevision: c.mod_revision,
      value: c.value,
      lease: c.lease,
    });
  });

const txnSchema: z.ZodType<TxnRequest> = z.lazy(() =>
  z
    .object({
      compare: opt(z.array(compareSchema)),
      success: opt(z.array(requestOpSchema)),
      failure: opt(z.array(requestOpSchema)),
    })
    .transform((t): TxnRequest => compact({ compare: t.compare, success: t.success, failure: t.failure })),
);

const requestOpSchema: z.ZodType<RequestOp> = z.lazy(() =>
  z
    .object({
      request_range: opt(rangeSchema),
      request_put: opt(putSchema),
      request_delete_range: opt(deleteSchema),
      request_txn: opt(txnSchema),
    })
    .transform((op): RequestOp => {
      if (op.request_range) return { requestRange: op.request_range };
      if (op.request_put) return { requestPut: op.request_put };
      if (op.request_delete_range) return { requestDeleteRange: op.request_delete_range };
      if (op.request_txn) return { requestTxn: op.request_txn };
      // An empty op; the request checks refuse it with etcd's message.
      return {} as RequestOp;
    }),
);

const compactionSchema = z
  .object({ revision: opt(int64), physical: opt(z.boolean()) })
  .transform((c): CompactionRequest => compact({ revision: c.revision ?? 0, physical: c.physical }));

const watchCreateSchema = z
  .object({
    key: opt(bytes),
    range_end: opt(bytes),
    start_revision: opt(int64),
    progress_notify: opt(z.boolean()),
    filters: opt(z.array(protoEnum(['NOPUT', 'NODELETE'] as const))),
    prev_kv: opt(z.boolean()),
    watch_id: opt(int64),
    fragment: opt(z.boolean()),
  })
  .transform(
    (w): WatchCreateRequest =>
      compact({
        key: w.key ?? EMPTY,
        rangeEnd: w.range_end,
        startRevision: w.start_revision,
        progressNotify: w.progress_notify,
        filters: w.filters?.filter((f): f is 'NOPUT' | 'NODELETE' => f !== 'invalid'),
        prevKv: w.prev_kv,
        watchId: w.watch_id,
      }),
  );

export type WatchRequest =
  | { create: WatchCreateRequest }
  | { cancel: { watchId: number } }
  | { progress: true }
  | { none: true };

const watchRequestSchema = z
  .object({
    create_request: opt(watchCreateSchema),
    cancel_request: opt(z.object({ watch_id: opt(int64) })),
    progress_request: opt(z.object({})),
  })
  .transform((w): WatchRequest => {
    if (w.create_request) return { create: w.create_request };
    if (w.cancel_request) return { cancel: { watchId: w.cancel_request.watch_id ?? 0 } };
    if (w.progress_request) return { progress: true };
    return { none: true };
  });

function decoder<T>(schema: z.ZodType<T>, fast?: (json: unknown) => T | typeof MISS) {
  return (json: unknown): T => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw Errors.badRequest('json: the request body must be a JSON object');
    }
    if (fast) {
      const decoded = fast(json);
      if (decoded !== MISS) return decoded;
    }
    try {
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
      throw Errors.badRequest(`json: cannot unmarshal ${where}: ${issue.message}`);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw Errors.badRequest(`json: ${(err as Error).message}`);
    }
  };
}

// The requests behind every read and write try the fast path first (protocol-fast.ts).
export const decodeRangeRequest = decoder(rangeSchema, fastRange);
export const decodePutRequest = decoder(putSchema, fastPut);
export const decodeDeleteRangeRequest = decoder(deleteSchema, fastDeleteRange);
export const decodeTxnRequest = decoder(txnSchema, fastTxn);
export const decodeCompactionRequest = decoder(compactionSchema);
export const decodeWatchRequest = decoder(watchRequestSchema);

/** The same requests through the schema alone: what the fast path is held to. */
export const bySchema = {
  range: decoder(rangeSchema),
  put: decoder(putSchema),
  deleteRange: decoder(deleteSchema),
  txn: decoder(txnSchema),
};

// ---- the client side -------------------------------------------------------------------------

type Json = Record<string, unknown>;

const b64 = (b: Buffer | undefined) => (b && b.length > 0 ? b.toString('base64') : undefined);
const num = (n: number | undefined) => (n ? String(n) : undefined);
const flag = (v: boolean | undefined) => (v ? true : undefined);

export function encodeRangeRequest(r: RangeRequest): Json {
  return compact({
    key: b64(r.key),
    range_end: b64(r.rangeEnd),
    limit: num(r.limit),
    revision: num(r.revision),
    sort_order: r.sortOrder && r.sortOrder !== 'NONE' ? r.sortOrder : undefined,
    sort_target: r.sortTarget && r.sortTarget !== 'KEY' ? r.sortTarget : undefined,
    serializable: flag(r.serializable),
    keys_only: flag(r.keysOnly),
    count_only: flag(r.countOnly),
    min_mod_revision: num(r.minModRevision),
    max_mod_revision: num(r.maxModRevision),
    min_create_revision: num(r.minCreateRevision),
    max_create_revision: num(r.maxCreateRevision),
  });
}

export function encodePutRequest(r: PutRequest): Json {
  return compact({
    key: b64(r.key),
    value: b64(r.value),
    lease: num(r.lease),
    prev_kv: flag(r.prevKv),
    ignore_value: flag(r.ignoreValue),
    ignore_lease: flag(r.ignoreLease),
  });
}

export function encodeDeleteRangeRequest(r: DeleteRangeRequest): Json {
  return compact({ key: b64(r.key), range_end: b64(r.rangeEnd), prev_kv: flag(r.prevKv) });
}

function encodeCompare(c: Compare): Json {
  return compact({
    result: c.result,
    target: c.target,
    key: b64(c.key),
    version: num(c.version),
    create_revision: num(c.createRevision),
    mod_revision: num(c.modRevision),
    // A compare on an empty value must still say so: etcd's zero value would be "no value field".
    value: c.value ? c.value.toString('base64') : undefined,
    lease: num(c.lease),
    range_end: b64(c.rangeEnd),
  });
}

function encodeRequestOp(op: RequestOp): Json {
  if ('requestRange' in op) return { request_range: encodeRangeRequest(op.requestRange) };
  if ('requestPut' in op) return { request_put: encodePutRequest(op.requestPut) };
  if ('requestDeleteRange' in op) return { request_delete_range: encodeDeleteRangeRequest(op.requestDeleteRange) };
  if ('requestTxn' in op) return { request_txn: encodeTxnRequest(op.requestTxn) };
  return {};
}

export function encodeTxnRequest(t: TxnRequest): Json {
  return compact({
    compare: t.compare?.map(encodeCompare),
    success: t.success?.map(encodeRequestOp),
    failure: t.failure?.map(encodeRequestOp),
  });
}

export function encodeCompactionRequest(c: CompactionRequest): Json {
  return compact({ revision: num(c.revision), physical: flag(c.physical) });
}

export function encodeWatchCreateRequest(w: WatchCreateRequest): Json {
  return {
    create_request: compact({
      key: b64(w.key),
      range_end: b64(w.rangeEnd),
      start_revision: num(w.startRevision),
      progress_notify: flag(w.progressNotify),
      filters: w.filters && w.filters.length > 0 ? w.filters : undefined,
      prev_kv: flag(w.prevKv),
      watch_id: num(w.watchId),
    }),
  };
}

/**
 * Without its undefined fields, so that objects compare and print as etcd's do. A copy, not a
 * `delete`: an object that loses a field turns into a slow dictionary for everything after, its
 * JSON.stringify on every store call included.
 */
function compact<T extends object>(o: T): T {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as Array<keyof T>) {
    if (o[k] !== undefined) out[k] = o[k];
  }
  return out as T;
}
