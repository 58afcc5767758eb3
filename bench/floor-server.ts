import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StoreClient } from '../store/client.js';

/**
 * The floors the benchmarks measure beside minik: servers that do only the HTTP and JSON work any
 * Node server must do for a request, and nothing else. What one reaches on the machine, with the
 * benchmark's own load generator, is the most any server on Node's HTTP could reach there, so a
 * target above a floor is a target about the machine, not about minik.
 *
 *   store: answers /v3/kv/put as etcd does (a header with the next revision) and stores nothing.
 *   proxy: answers a pod create with one put of it to `store` and does none of an API server's work.
 */
export type FloorMode = 'store' | 'proxy';

export interface FloorServer {
  server: Server;
  close(): Promise<void>;
}

export function floorServer(mode: FloorMode, store?: string): FloorServer {
  if (mode === 'proxy' && !store) throw new Error('the proxy floor needs a store URL');
  const client = mode === 'proxy' ? new StoreClient({ endpoints: [store!] }) : undefined;
  let revision = 1;
  let uid = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/readyz') return send(res, 200, '"ok"');
    if (req.method !== 'POST') return send(res, 405, '{"message":"only POST"}');
    const body = await readJson(req);
    if (!client) return send(res, 200, `{"header":{"cluster_id":"1","member_id":"1","revision":"${++revision}","raft_term":"2"}}`);
    // The least a create is: a uid, one put, the object back with its revision.
    const metadata = (body.metadata ?? {}) as Record<string, unknown>;
    body.metadata = metadata;
    metadata.uid = String(++uid);
    const put = await client.put({ key: Buffer.from(`/bench/floor/${String(metadata.name)}`), value: Buffer.from(JSON.stringify(body)) });
    metadata.resourceVersion = String(put.header.revision);
    return send(res, 201, JSON.stringify(body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 400, JSON.stringify({ message: (err as Error).message })));
  });
  server.keepAliveTimeout = 60_000;
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        client?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const v: unknown = JSON.parse(Buffer.concat(chunks).toString());
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('the body is not a JSON object');
        resolve(v as Record<string, unknown>);
      } catch (err) {
        reject(err as Error);
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
