import { Errors } from './errors.js';
import type { DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from './types.js';

/**
 * The checks etcd makes before a request reaches the store (etcdserver/api/v3rpc/key.go), with
 * its messages, so that a bad request fails the same way on minik and on etcd.
 */
export const DEFAULT_MAX_TXN_OPS = 128;

export function checkRange(r: RangeRequest): void {
  if (!r.key || r.key.length === 0) throw Errors.emptyKey();
}

export function checkPut(r: PutRequest): void {
  if (!r.key || r.key.length === 0) throw Errors.emptyKey();
  if (r.ignoreValue && r.value && r.value.length !== 0) throw Errors.valueProvided();
  if (r.ignoreLease && r.lease) throw Errors.leaseProvided();
}

export function checkDeleteRange(r: DeleteRangeRequest): void {
  if (!r.key || r.key.length === 0) throw Errors.emptyKey();
}

export function checkTxn(r: TxnRequest, maxTxnOps = DEFAULT_MAX_TXN_OPS): void {
  checkTxnOps(r, maxTxnOps);
  checkIntervals(r.success ?? []);
  checkIntervals(r.failure ?? []);
}

function checkTxnOps(r: TxnRequest, maxTxnOps: number): void {
  const opc = Math.max(r.compare?.length ?? 0, r.success?.length ?? 0, r.failure?.length ?? 0);
  if (opc > maxTxnOps) throw Errors.tooManyOps();
  for (const c of r.compare ?? []) {
    if (!c.key || c.key.length === 0) throw Errors.emptyKey();
  }
  for (const op of [...(r.success ?? []), ...(r.failure ?? [])]) checkOp(op, maxTxnOps - opc);
}

function checkOp(op: RequestOp, maxTxnOps: number): void {
  if ('requestRange' in op) return checkRange(op.requestRange);
  if ('requestPut' in op) return checkPut(op.requestPut);
  if ('requestDeleteRange' in op) return checkDeleteRange(op.requestDeleteRange);
  if ('requestTxn' in op) return checkTxnOps(op.requestTxn, maxTxnOps);
  // An empty op: etcd answers so.
  throw Errors.keyNotFound();
}

/** A deleted interval [from, to); a single key is [key, key + "\0"). Compared bytewise as latin1. */
interface Interval {
  from: string;
  to: string;
}

const hits = (dels: Interval[], key: string) => dels.some((d) => d.from <= key && key < d.to);

/**
 * No key may be written twice in one branch of a transaction: a put of a key another put or a
 * delete-range in the same branch also touches is refused. A nested txn's two branches exclude
 * each other, so the same key in both is fine. (etcd's checkIntervals.)
 */
function checkIntervals(ops: RequestOp[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const op of ops) {
    if (!('requestDeleteRange' in op)) continue;
    const d = op.requestDeleteRange;
    const from = d.key.toString('latin1');
    dels.push({ from, to: d.rangeEnd && d.rangeEnd.length > 0 ? d.rangeEnd.toString('latin1') : from + '\0' });
  }
  const puts = new Set<string>();
  for (const op of ops) {
    if (!('requestTxn' in op)) continue;
    const then = checkIntervals(op.requestTxn.success ?? []);
    const otherwise = checkIntervals(op.requestTxn.failure ?? []);
    for (const k of then.puts) {
      if (puts.has(k) || hits(dels, k)) throw Errors.duplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if ((puts.has(k) && !then.puts.has(k)) || hits(dels, k)) throw Errors.duplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!('requestPut' in op)) continue;
    const k = op.requestPut.key.toString('latin1');
    if (puts.has(k) || hits(dels, k)) throw Errors.duplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}
