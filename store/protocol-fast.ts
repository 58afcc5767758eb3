import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from './types.js';

/**
 * The KV requests every write and read carries, decoded without zod when they are plainly well
 * formed: each field of the type it must have, every enum named or numbered in range. Anything
 * else is a miss, and the schema in protocol-requests.ts decodes it (and words its error). Behind
 * each API server write is one txn, and zod's pass over its nested compares and ops was a fifth of
 * the store's CPU. A property test holds the two to the same answer.
 *
 *   fastTxn({ compare: [{ target: 'MOD', key: 'L2E=', mod_revision: '7' }], success: [{ request_put: { key: 'L2E=', value: 'eA==' } }] })
 *     = { compare: [{ key: <'/a'>, target: 'MOD', modRevision: 7 }], success: [{ requestPut: { key: <'/a'>, value: <'x'> } }] }
 *   fastTxn({ compare: 'nope' })   = MISS
 */
export const MISS = Symbol('not plainly well formed');
type Miss = typeof MISS;

/** As the schema's: standard or URL alphabet, padding optional. */
export const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
export const INTEGER = /^-?\d+$/;
/** The key of a request that names none. */
export const EMPTY = Buffer.alloc(0);

// The enums of etcd's protocol, by protobuf number order: the schema reads them from here too.
export const SORT_ORDERS = ['NONE', 'ASCEND', 'DESCEND'] as const;
export const SORT_TARGETS = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'] as const;
export const COMPARE_TARGETS = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'] as const;
export const COMPARE_RESULTS = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'] as const;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bytes(v: unknown): Buffer | undefined | Miss {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return MISS;
  const b = Buffer.from(v, 'base64');
  // Padded standard base64, as clients write it, reads back as itself: a third of the cost of the
  // pattern over a value of a few kilobytes. Anything else is held to the pattern.
  return b.toString('base64') === v || BASE64.test(v) ? b : MISS;
}

function int64(v: unknown): number | undefined | Miss {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : MISS;
  if (typeof v === 'string' && INTEGER.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : MISS;
  }
  return MISS;
}

function bool(v: unknown): boolean | undefined | Miss {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : MISS;
}

function named<T extends string>(v: unknown, names: readonly T[]): T | undefined | Miss {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return (names as readonly string[]).includes(v) ? (v as T) : MISS;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < names.length) return names[v]!;
  return MISS;
}

/** A message's fields: the name minik reads, the name on the wire, how the value is read. */
type Fields = ReadonlyArray<readonly [name: string, wire: string, read: (v: unknown) => unknown]>;

/**
 * The fields that are set, in the order given (as the schema's `compact` leaves them), with `key`
 * first and empty when absent. MISS when any field is not of its type.
 */
function message<T>(v: unknown, fields: Fields): T | Miss {
  if (!isObject(v)) return MISS;
  const key = bytes(v['key']);
  if (key === MISS) return MISS;
  const out: Record<string, unknown> = { key: key ?? EMPTY };
  for (const [name, wire, read] of fields) {
    const d = read(v[wire]);
    if (d === MISS) return MISS;
    if (d !== undefined) out[name] = d;
  }
  return out as T;
}

const sortOrder = (v: unknown) => named(v, SORT_ORDERS);
const sortTarget = (v: unknown) => named(v, SORT_TARGETS);
const compareTarget = (v: unknown) => named(v, COMPARE_TARGETS);
const compareResult = (v: unknown) => named(v, COMPARE_RESULTS);

const RANGE: Fields = [
  ['rangeEnd', 'range_end', bytes],
  ['limit', 'limit', int64],
  ['revision', 'revision', int64],
  ['sortOrder', 'sort_order', sortOrder],
  ['sortTarget', 'sort_target', sortTarget],
  ['serializable', 'serializable', bool],
  ['keysOnly', 'keys_only', bool],
  ['countOnly', 'count_only', bool],
  ['minModRevision', 'min_mod_revision', int64],
  ['maxModRevision', 'max_mod_revision', int64],
  ['minCreateRevision', 'min_create_revision', int64],
  ['maxCreateRevision', 'max_create_revision', int64],
];
const PUT: Fields = [
  ['value', 'value', bytes],
  ['lease', 'lease', int64],
  ['prevKv', 'prev_kv', bool],
  ['ignoreValue', 'ignore_value', bool],
  ['ignoreLease', 'ignore_lease', bool],
];
const DELETE_RANGE: Fields = [
  ['rangeEnd', 'range_end', bytes],
  ['prevKv', 'prev_kv', bool],
];
const COMPARE: Fields = [
  ['rangeEnd', 'range_end', bytes],
  ['target', 'target', compareTarget],
  ['result', 'result', compareResult],
  ['version', 'version', int64],
  ['createRevision', 'create_revision', int64],
  ['modRevision', 'mod_revision', int64],
  ['value', 'value', bytes],
  ['lease', 'lease', int64],
];

export const fastRange = (v: unknown) => message<RangeRequest>(v, RANGE);
export const fastPut = (v: unknown) => message<PutRequest>(v, PUT);
export const fastDeleteRange = (v: unknown) => message<DeleteRangeRequest>(v, DELETE_RANGE);
const fastCompare = (v: unknown) => message<Compare>(v, COMPARE);

function fastOp(v: unknown): RequestOp | Miss {
  if (!isObject(v)) return MISS;
  const parts = [
    ['requestRange', v['request_range'], fastRange],
    ['requestPut', v['request_put'], fastPut],
    ['requestDeleteRange', v['request_delete_range'], fastDeleteRange],
    ['requestTxn', v['request_txn'], fastTxn],
  ] as const;
  let op: RequestOp | undefined;
  for (const [name, raw, decode] of parts) {
    if (raw === undefined || raw === null) continue;
    const d = decode(raw);
    if (d === MISS) return MISS;
    // Every present op must be well formed; the first one is the op, as the schema picks it.
    op ??= { [name]: d } as RequestOp;
  }
  return op ?? ({} as RequestOp);
}

function list<T>(v: unknown, decode: (x: unknown) => T | Miss): T[] | undefined | Miss {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return MISS;
  const out: T[] = new Array<T>(v.length);
  for (let i = 0; i < v.length; i++) {
    const d = decode(v[i]);
    if (d === MISS) return MISS;
    out[i] = d;
  }
  return out;
}

export function fastTxn(v: unknown): TxnRequest | Miss {
  if (!isObject(v)) return MISS;
  const compare = list(v['compare'], fastCompare);
  const success = list(v['success'], fastOp);
  const failure = list(v['failure'], fastOp);
  if (compare === MISS || success === MISS || failure === MISS) return MISS;
  const out: TxnRequest = {};
  if (compare) out.compare = compare;
  if (success) out.success = success;
  if (failure) out.failure = failure;
  return out;
}
