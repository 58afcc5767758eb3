/**
 * minik's own transport for the store's KV calls, beside etcd's JSON gateway: one WebSocket per
 * client, many calls in flight on it. Each HTTP call costs a request, a response and a write on
 * each side; here the calls a process makes in one turn of its event loop travel as one frame, and
 * their answers come back the same way. The bodies are the gateway's own JSON, so the two
 * transports share every encoder and every answer.
 *
 * A real etcd has no such path: a client that is refused the upgrade speaks HTTP to it instead.
 *
 *   client -> store   [[1,"/v3/kv/txn",{...TxnRequest}],[2,"/v3/kv/range",{...}]]
 *   store -> client   [[2,200,{...RangeResponse}],[1,400,{"error":"...","message":"...","code":3}]]
 */
export const KV_SOCKET_PATH = '/minik/v1/kv';

/** The largest frame either side takes: far above a batch of the largest requests (1.5 MiB each). */
export const KV_SOCKET_MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** A batch is sent once it holds this much, without waiting for the turn to end. */
export const KV_SOCKET_BATCH_BYTES = 4 * 1024 * 1024;

export type CallFrame = [id: number, path: string, body: unknown];
export type AnswerFrame = [id: number, status: number, body: unknown];

/** Joins entries already in JSON into one frame. */
export function frame(entries: readonly string[]): string {
  return entries.length === 1 ? `[${entries[0]}]` : `[${entries.join(',')}]`;
}

/** The entries of a frame, or undefined when it is not a frame of this protocol. */
export function parseFrame<T extends CallFrame | AnswerFrame>(text: string, second: 'string' | 'number'): T[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  for (const e of parsed) {
    if (!Array.isArray(e) || e.length !== 3 || !Number.isSafeInteger(e[0]) || typeof e[1] !== second) return undefined;
  }
  return parsed as T[];
}
