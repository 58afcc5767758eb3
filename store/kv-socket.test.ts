import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Backend } from './backend.js';
import { StoreClient } from './client.js';
import { StoreError } from './errors.js';
import { KV_SOCKET_PATH } from './kv-socket-frames.js';
import { Mvcc } from './mvcc.js';
import { createStoreApp, type StoreApp } from './server.js';
import type { TxnRequest } from './types.js';

const b = (s: string) => Buffer.from(s);

interface Running {
  app: StoreApp;
  store: Mvcc;
  server: Server;
  endpoint: string;
  stop(): Promise<void>;
}

/** The store app on a loopback port; `upgrade: status` refuses every upgrade with that status instead, as etcd does with 404. */
async function startStore(opts: { upgrade?: number } = {}): Promise<Running> {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const app = createStoreApp({ store });
  const server = createServer(app.handle);
  const refusal = opts.upgrade;
  if (refusal) server.on('upgrade', (_req, socket) => socket.end(`HTTP/1.1 ${refusal} Refused\r\nContent-Length: 0\r\n\r\n`));
  else server.on('upgrade', app.upgrade);
  return { app, store, server, endpoint: await listen(server), stop: () => stopServer(app, store, server) };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stopServer(app: StoreApp, store: Mvcc, server: Server): Promise<void> {
  app.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await store.close();
}

async function counter(app: StoreApp, name: 'kvSocketFrames' | 'requests', labels: Record<string, string>): Promise<number> {
  const values = (await app.metrics[name].get()).values;
  return values.filter((v) => Object.entries(labels).every(([k, x]) => String(v.labels[k as keyof typeof v.labels]) === x)).reduce((n, v) => n + v.value, 0);
}

async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A call's outcome, comparable across transports: the response, or the error's code and message. */
const outcome = (p: Promise<unknown>) =>
  p.then(
    (r) => JSON.parse(JSON.stringify(r)),
    (e: unknown) => (e instanceof StoreError ? { code: e.code, message: e.message } : { other: String(e) }),
  );

describe('the KV socket between the store client and the store', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  const started = async (opts?: { upgrade?: number }) => {
    const s = await startStore(opts);
    cleanup.push(() => s.stop());
    return s;
  };
  const client = (endpoints: string[], opts: { timeoutMs?: number; transport?: 'socket' | 'http' } = {}) => {
    const c = new StoreClient({ endpoints, ...opts });
    cleanup.push(() => c.close());
    return c;
  };

  it('carries the calls made in one turn as one frame, and gives each call its own answer', async () => {
    const s = await started();
    const c = client([s.endpoint]);
    await c.put({ key: b('warm'), value: b('up') });
    const before = await counter(s.app, 'kvSocketFrames', { direction: 'in' });
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 10 === 9 ? outcome(c.put({ key: b(''), value: b('x') })) : outcome(c.put({ key: b(`k/${i}`), value: b(`v${i}`) })),
    );
    const answers = await Promise.all(calls);
    expect(await counter(s.app, 'kvSocketFrames', { direction: 'in' })).toBe(before + 1);
    answers.forEach((a, i) => {
      if (i % 10 === 9) expect(a).toEqual({ code: 3, message: 'etcdserver: key is not provided' });
      else expect(a.header.revision).toBeGreaterThan(1);
    });
    const revisions = answers.filter((_, i) => i % 10 !== 9).map((a) => a.header.revision);
    expect(new Set(revisions).size).toBe(revisions.length);
    const stored = await c.range({ key: b('k/'), rangeEnd: b('k0') });
    expect(stored.count).toBe(54);
    expect(stored.kvs.find((kv) => kv.key.toString() === 'k/42')?.value.toString()).toBe('v42');
    expect(await counter(s.app, 'requests', { endpoint: '/v3/kv/put', code: '400' })).toBe(6);
  });

  it('answers a batch of writes exactly as the same writes sent one by one over HTTP', async () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const write = fc.oneof(
      fc.record({ put: key, value: fc.string({ maxLength: 8 }), prevKv: fc.boolean() }),
      fc.record({ del: key }),
      fc.record({ ifVersion: key, version: fc.nat(3), then: key }),
      fc.constant({ emptyKey: true as const }),
      fc.constant({ duplicate: true as const }),
    );
    type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;
    const send = (c: StoreClient, w: Write): Promise<unknown> => {
      if ('put' in w) return c.put({ key: b(w.put), value: b(w.value), prevKv: w.prevKv });
      if ('del' in w) return c.deleteRange({ key: b(w.del), prevKv: true });
      if ('ifVersion' in w) {
        const t: TxnRequest = {
          compare: [{ key: b(w.ifVersion), target: 'VERSION', result: 'EQUAL', version: w.version }],
          success: [{ requestPut: { key: b(w.then), value: b('won') } }],
          failure: [{ requestRange: { key: b(w.ifVersion) } }],
        };
        return c.txn(t);
      }
      if ('emptyKey' in w) return c.put({ key: b(''), value: b('x') });
      return c.txn({ success: [{ requestPut: { key: b('a'), value: b('1') } }, { requestPut: { key: b('a'), value: b('2') } }] });
    };
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 25 }), async (writes) => {
        const [overSocket, overHttp] = await Promise.all([startStore(), startStore()]);
        const sc = new StoreClient({ endpoints: [overSocket.endpoint] });
        const hc = new StoreClient({ endpoints: [overHttp.endpoint], transport: 'http' });
        try {
          const batched = await Promise.all(writes.map((w) => outcome(send(sc, w))));
          const oneByOne: unknown[] = [];
          for (const w of writes) oneByOne.push(await outcome(send(hc, w)));
          expect(batched).toEqual(oneByOne);
          expect(await counter(overSocket.app, 'kvSocketFrames', { direction: 'in' })).toBe(1);
          expect(await counter(overHttp.app, 'kvSocketFrames', { direction: 'in' })).toBe(0);
        } finally {
          sc.close();
          hc.close();
          await Promise.all([overSocket.stop(), overHttp.stop()]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it.each([404, 405])('speaks HTTP to an endpoint that answers the upgrade %d, as etcd and a plain HTTP server do', async (status) => {
    const s = await started({ upgrade: status });
    const c = client([s.endpoint]);
    await c.put({ key: b('e/1'), value: b('v') });
    expect((await c.get('e/1'))?.value.toString()).toBe('v');
    expect(await counter(s.app, 'requests', { endpoint: '/v3/kv/put', code: '200' })).toBe(1);
    expect(await counter(s.app, 'kvSocketFrames', { direction: 'in' })).toBe(0);
  });

  it('answers the calls it took before stopping, then closes and takes no more', async () => {
    const s = await started();
    const c = client([s.endpoint]);
    await c.put({ key: b('warm'), value: b('up') });
    const writes = Array.from({ length: 20 }, (_, i) => c.put({ key: b(`s/${i}`), value: b('v') }));
    await until(async () => (await counter(s.app, 'kvSocketFrames', { direction: 'in' })) >= 2);
    s.app.close();
    const answers = await Promise.all(writes);
    expect(answers.every((a) => a.header.revision > 1)).toBe(true);
    await expect(c.put({ key: b('late'), value: b('v') })).rejects.toThrow(/store unreachable: .*answered 503/);
    expect(await s.store.range({ key: b('s/'), rangeEnd: b('s0'), countOnly: true })).toMatchObject({ count: 20 });
  });

  it('closes a socket that sends anything but a frame of calls, and serves the others on', async () => {
    const s = await started();
    const url = s.endpoint.replace('http:', 'ws:') + KV_SOCKET_PATH;
    for (const junk of ['not json', '{"a":1}', '[[1,2,3]]', '[["x","/v3/kv/put",{}]]']) {
      const raw = new WebSocket(url);
      await new Promise((r) => raw.once('open', r));
      raw.send(junk);
      const [code] = await new Promise<[number, Buffer]>((r) => raw.once('close', (...a) => r(a)));
      expect(code).toBe(1007);
    }
    const c = client([s.endpoint]);
    await c.put({ key: b('after'), value: b('fine') });
    expect((await c.get('after'))?.value.toString()).toBe('fine');
  });

  it('refuses an upgrade on any other path with a 404', async () => {
    const s = await started();
    const raw = new WebSocket(s.endpoint.replace('http:', 'ws:') + '/v3/kv/put');
    const status = await new Promise<number>((r) =>
      raw.once('unexpected-response', (req, res) => {
        req.destroy();
        r(res.statusCode ?? 0);
      }),
    );
    expect(status).toBe(404);
  });

  describe('against a socket that misbehaves', () => {
    async function fakeStore(onFrame: (ws: WebSocket) => void): Promise<string> {
      const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', path: KV_SOCKET_PATH });
      cleanup.push(() => new Promise((r) => wss.close(r)));
      wss.on('connection', (ws) => {
        cleanup.push(() => ws.terminate());
        ws.on('message', () => onFrame(ws));
      });
      await new Promise((r) => wss.once('listening', r));
      return `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    }

    it('gives up on a call left unanswered past the timeout', async () => {
      const silent = await fakeStore(() => {});
      const c = client([silent], { timeoutMs: 300 });
      await expect(c.put({ key: b('k'), value: b('v') })).rejects.toThrow(/store unreachable: .*request timed out/);
    });

    it('never sends a write elsewhere once its socket is lost, for it may have been applied; a read goes on to the next endpoint', async () => {
      const s = await started();
      const dropping = await fakeStore((ws) => ws.terminate());
      const c = client([dropping, s.endpoint]);
      await expect(c.put({ key: b('w'), value: b('v') })).rejects.toThrow(/store unreachable: .*store connection closed/);
      expect(await s.store.range({ key: b('w') })).toMatchObject({ count: 0 });
      const reader = client([dropping, s.endpoint]);
      expect(await reader.range({ key: b('w') })).toMatchObject({ count: 0 });
      expect(await counter(s.app, 'requests', { endpoint: '/v3/kv/range', code: '200' })).toBe(1);
    });
  });
});
