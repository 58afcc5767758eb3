import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decode, encodeObject, type KubeObject } from '../watch-cache.js';
import { sendList } from './list-body.js';

/** Pods as the watch cache holds them: decoded from bytes that came over the network. */
function storedPods(n: number, from = 0): KubeObject[] {
  return Array.from({ length: n }, (_, i) => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${from + i}`, namespace: 'ns', labels: { note: 'a "quoted" \u2028 é' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    return decode(`/registry/pods/ns/p-${from + i}`, Buffer.from(encodeObject(pod)), 100 + from + i).object as KubeObject;
  });
}

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one list; `finished` settles once sendList has returned. */
async function serve(head: Record<string, unknown>, items: unknown[]): Promise<{ url: string; finished: Promise<void> }> {
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  server = createServer((_req, res) => void sendList(res, head, items).then(finish));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, finished };
}

function get(url: string): Promise<{ headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    })
      .on('error', reject)
      .end();
  });
}

const head = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42' } };

describe('a LIST answer', () => {
  it('is the whole list, items in order, when streamed in pieces', async () => {
    const items = storedPods(1000);
    const { url } = await serve(head, items);
    const res = await get(url);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(res.body)).toEqual({ ...head, items });
  });

  it('is one body for a short list, and for an empty one', async () => {
    for (const items of [storedPods(3), []]) {
      const { url } = await serve(head, items);
      const res = await get(url);
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.body)));
      expect(JSON.parse(res.body)).toEqual({ ...head, items });
      await new Promise<void>((r) => server!.close(() => r()));
      server = undefined;
    }
  });

  it('serializes the objects when one of them has no JSON at hand', async () => {
    const items = [...storedPods(100), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'built-here' } }];
    const { url } = await serve(head, items);
    expect(JSON.parse((await get(url)).body)).toEqual({ ...head, items });
  });

  it('stops, without waiting forever, when the client goes away mid-answer', async () => {
    const { url, finished } = await serve(head, storedPods(20_000));
    await new Promise<void>((resolve) => {
      const req = request(url, (res) => res.once('data', () => (req.destroy(), resolve())));
      req.end();
    });
    await expect(finished).resolves.toBeUndefined();
  });
});
