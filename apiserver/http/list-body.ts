import type { ServerResponse } from 'node:http';
import { serializedJson } from '../watch-cache.js';

/** Items a piece of the answer carries: small enough that no piece is a large heap object. */
const ITEMS_PER_PIECE = 64;

/**
 * A list's JSON answer, `{...head, "items": [...]}`, joined from the JSON each item already has
 * (every object the watch cache decoded keeps it) and written in pieces as the socket takes them.
 * A LIST of thousands then costs no serialization of its objects, and no string of the whole
 * answer: the pieces are young garbage, where one string of megabytes per LIST lingered in the
 * large-object space until a full collection. A list with an item that has no JSON at hand (one
 * built here rather than read from the store) is serialized whole, as any other answer.
 */
export async function sendList(res: ServerResponse, head: Record<string, unknown>, items: readonly unknown[]): Promise<void> {
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const json = serializedJson(items[i]);
    if (json === undefined) return answer(res, JSON.stringify({ ...head, items }));
    parts[i] = json;
  }
  const open = `${JSON.stringify(head).slice(0, -1)}${Object.keys(head).length > 0 ? ',' : ''}"items":[`;
  if (parts.length <= ITEMS_PER_PIECE) return answer(res, `${open}${parts.join(',')}]}`);

  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.write(open);
  for (let i = 0; i < parts.length; i += ITEMS_PER_PIECE) {
    const piece = parts.slice(i, i + ITEMS_PER_PIECE).join(',');
    const more = res.write(i === 0 ? piece : `,${piece}`);
    if (!more && !(await drained(res))) return;
  }
  res.end(']}');
}

function answer(res: ServerResponse, body: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.end(body);
}

/** True once the socket takes more; false if the client went away first (nothing more to send). */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
