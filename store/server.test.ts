import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock.js';
import { Backend } from './backend.js';
import { Mvcc } from './mvcc.js';
import { createStoreApp, type StoreApp } from './server.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Opens a watch stream with a raw body, and collects its lines. */
function stream(base: string, body: string) {
  const lines: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const req = request(`${base}/v3/watch`, { method: 'POST' }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      buf += c;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)).result);
        buf = buf.slice(nl + 1);
      }
    });
  });
  req.on('error', () => {});
  req.end(body);
  return {
    lines,
    close: () => req.destroy(),
    async until(n: number) {
      const deadline = Date.now() + 5000;
      while (lines.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} responses, got ${JSON.stringify(lines)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return lines;
    },
  };
}

describe('the store app over HTTP, in process', () => {
  let store: Mvcc;
  let app: StoreApp;
  let server: Server;
  let base: string;
  const clock = new FakeClock();
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>); // eslint-disable-line @typescript-eslint/no-explicit-any

  beforeAll(async () => {
    store = await Mvcc.open({ backend: await Backend.open() });
    app = createStoreApp({ store, clock, progressNotifyIntervalMs: 1000 });
    server = createServer(app.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    app.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
  });

  it('answers health, readiness, version and metrics', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ health: 'true' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/version`)).json()).toMatchObject({ etcdserver: '3.4.0', etcdcluster: '3.4.0' });
    await post('/v3/kv/put', { key: b64('m'), value: b64('1') });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/minik_store_revision \d+/);
    expect(metrics).toMatch(/minik_store_requests_total\{endpoint="\/v3\/kv\/put",code="200"\} \d+/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/v3/kv/put`)).status).toBe(405);
  });

  it('serves several watch requests in one stream, with IDs, cancel and progress requests', async () => {
    const body = [
      { create_request: { key: b64('w/a'), watch_id: 7 } },
      { create_request: { key: b64('w/b') } },
      { create_request: { key: b64('w/c'), watch_id: 7 } },
      { create_request: { key: b64('w/z'), range_end: b64('w/a') } },
      { cancel_request: { watch_id: 0 } },
      { progress_request: {} },
    ]
      .map((x) => JSON.stringify(x))
      .join('');
    const s = stream(base, body);
    const lines = await s.until(6);
    expect(lines[0]).toMatchObject({ watch_id: '7', created: true });
    expect(lines[1]).toMatchObject({ created: true });
    expect(lines[1]!.watch_id).toBeUndefined(); // watch 0: etcd leaves a zero out
    expect(lines[2]).toMatchObject({ watch_id: '-1', created: true, canceled: true, cancel_reason: 'mvcc: duplicate watch ID provided' });
    expect(lines[3]).toMatchObject({ watch_id: '-1', canceled: true, cancel_reason: 'mvcc: watcher range is empty' });
    expect(lines[4]).toMatchObject({ canceled: true });
    expect(lines[5]).toMatchObject({ watch_id: '-1' });
    expect(lines[5]!.header.revision).toBeDefined();
    await post('/v3/kv/put', { key: b64('w/b'), value: b64('ignored: canceled') });
    await post('/v3/kv/put', { key: b64('w/a'), value: b64('seen') });
    const more = await s.until(7);
    s.close();
    expect(more[6]).toMatchObject({ watch_id: '7', events: [{ kv: { key: b64('w/a'), value: b64('seen') } }] });
  });

  it('notifies progress to quiet watchers that asked for it, on the clock', async () => {
    const quiet = stream(base, JSON.stringify({ create_request: { key: b64('p/quiet'), progress_notify: true } }));
    const busy = stream(base, JSON.stringify({ create_request: { key: b64('p/busy'), progress_notify: true } }));
    const deaf = stream(base, JSON.stringify({ create_request: { key: b64('p/deaf') } }));
    await Promise.all([quiet.until(1), busy.until(1), deaf.until(1)]);
    await post('/v3/kv/put', { key: b64('p/busy'), value: b64('x') });
    await busy.until(2);
    clock.advance(1000);
    const rev = (await post('/v3/kv/range', { key: b64('x') })).header.revision;
    const q = await quiet.until(2);
    expect(q[1]).toEqual({ header: expect.objectContaining({ revision: rev }) });
    // The busy watcher heard an event during this interval: it gets a notification only next time.
    clock.advance(1000);
    expect((await busy.until(3))[2]).toEqual({ header: expect.objectContaining({ revision: rev }) });
    expect(deaf.lines).toHaveLength(1);
    for (const s of [quiet, busy, deaf]) s.close();
  });

  it('ends watch streams and stops being ready when closed', async () => {
    const own = createStoreApp({ store, clock });
    const srv = createServer(own.handle);
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const addr = srv.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    let ended = false;
    let created = false;
    const req = request(`${url}/v3/watch`, { method: 'POST' }, (res) => {
      res.on('data', () => (created = true));
      res.on('end', () => (ended = true));
    });
    req.end(JSON.stringify({ create_request: { key: b64('end') } }));
    while (!created) await new Promise((r) => setTimeout(r, 5));
    const watchers = store.hub.watcherCount;
    own.close();
    const deadline = Date.now() + 5000;
    while (!ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(ended).toBe(true);
    expect(store.hub.watcherCount).toBe(watchers - 1);
    expect((await fetch(`${url}/readyz`)).status).toBe(503);
    const late = await fetch(`${url}/v3/watch`, { method: 'POST', body: JSON.stringify({ create_request: { key: b64('x') } }) });
    expect(late.status).toBe(503);
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  });
});
