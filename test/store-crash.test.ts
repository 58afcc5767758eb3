import { request as httpRequest, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreClient } from '../store/client.js';
import { startStoreProcess, type StoreProcess } from './support/store-process.js';
import { seededRandom, WriteLoad } from './support/write-load.js';

// MINIK_TEST_SEED replays a failing run: the seed decides when each crash hits and what each writer does.
const SEED = Number(process.env.MINIK_TEST_SEED ?? Date.now() % 2 ** 31);
console.log(`store-crash seed: ${SEED} (rerun with MINIK_TEST_SEED=${SEED})`);

const WRITERS = 24;
const ROUNDS = 3;

const dirs: string[] = [];
const live = new Set<StoreProcess>();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'minik-crash-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<StoreProcess> {
  const p = await startStoreProcess({ dataDir });
  live.add(p);
  return p;
}

afterAll(async () => {
  for (const p of live) await p.destroy();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Everything the store acknowledged must be there, exactly as acknowledged, and the store must
 * carry on above it. Mismatches are collected, so that a failure lists them all at once.
 */
async function verify(store: StoreProcess, load: WriteLoad, label: string): Promise<void> {
  const client = new StoreClient({ endpoints: [store.endpoint] });
  try {
    const res = await client.range({ key: Buffer.from('w'), rangeEnd: Buffer.from('x') });
    const found = new Map(res.kvs.map((kv) => [kv.key.toString(), kv]));

    const lost: string[] = [];
    for (const ack of load.acks) {
      for (const { key, value } of ack.kvs) {
        const kv = found.get(key);
        const got = kv && { value: kv.value.toString(), mod: kv.modRevision, create: kv.createRevision, version: kv.version };
        const want = { value, mod: ack.revision, create: ack.revision, version: 1 };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          lost.push(`${key}: acknowledged ${JSON.stringify(want)}, found ${JSON.stringify(got)}`);
        }
      }
    }
    expect(lost, `${label}: acknowledged writes lost or changed`).toEqual([]);

    const invented = res.kvs
      .filter((kv) => load.attempted.get(kv.key.toString()) !== kv.value.toString())
      .map((kv) => `${kv.key.toString()}=${kv.value.toString()}`);
    expect(invented, `${label}: values nobody wrote`).toEqual([]);

    const seen = new Map<number, number>();
    for (const ack of load.acks) seen.set(ack.revision, (seen.get(ack.revision) ?? 0) + 1);
    const shared = [...seen].filter(([, n]) => n > 1).map(([rev]) => rev);
    expect(shared, `${label}: revisions given to more than one acknowledged write`).toEqual([]);

    const maxAcked = Math.max(0, ...load.acks.map((a) => a.revision));
    const maxFound = Math.max(0, ...res.kvs.map((kv) => kv.modRevision));
    expect(res.header.revision, `${label}: the store's revision`).toBeGreaterThanOrEqual(Math.max(maxAcked, maxFound));

    const probeKey = `wprobe/${label}`;
    const probe = await client.put({ key: Buffer.from(probeKey), value: Buffer.from(label) });
    expect(probe.header.revision, `${label}: first write after restart`).toBeGreaterThan(maxAcked);
    expect(probe.header.revision, `${label}: first write after restart`).toBe(res.header.revision + 1);
    load.record({ op: 'put', revision: probe.header.revision, kvs: [{ key: probeKey, value: label }] });
  } finally {
    client.close();
  }
}

describe('the store process keeps every acknowledged write', () => {
  it(`across ${ROUNDS} kill -9s in a row, at random moments under ${WRITERS} concurrent writers`, async () => {
    const random = seededRandom(SEED);
    const load = new WriteLoad(WRITERS, SEED);
    const dataDir = tempDir();

    for (let round = 0; round < ROUNDS; round++) {
      const store = await start(dataDir);
      if (round > 0) await verify(store, load, `after crash ${round}`);

      const client = new StoreClient({ endpoints: [store.endpoint], timeoutMs: 5_000 });
      const before = load.acks.length;
      const run = load.run(client, `r${round}`);
      await until(() => load.acks.length > before || load.unexpected.length > 0, 10_000, 'a first acknowledged write');
      await sleep(100 + Math.floor(random() * 600));

      const inFlight = run.inFlight();
      run.expectFailures();
      run.stop();
      await store.crash();
      live.delete(store);
      await run.done;
      client.close();
      console.log(`crash ${round + 1}: ${load.acks.length - before} writes acknowledged, ${inFlight} in flight when killed`);

      expect(load.unexpected, `round ${round}: failures while the store was up`).toEqual([]);
      // Otherwise the crash proved nothing about writes cut off mid-flight.
      expect(inFlight, `round ${round}: writes in flight at the crash`).toBeGreaterThan(0);
      expect(load.acks.length, `round ${round}: writes acknowledged before the crash`).toBeGreaterThan(before);
    }

    const store = await start(dataDir);
    await verify(store, load, `after crash ${ROUNDS}`);
    expect(await store.stop()).toBe(0);
    live.delete(store);
  });

  it('stops on SIGTERM with exit code 0, promptly, with a watch open and writes in flight', async () => {
    const random = seededRandom(SEED ^ 0x5eed);
    const load = new WriteLoad(WRITERS, SEED ^ 0x5eed);
    const dataDir = tempDir();
    const store = await start(dataDir);

    const watch = openWatch(store.endpoint);
    await watch.created;

    const client = new StoreClient({ endpoints: [store.endpoint], timeoutMs: 5_000 });
    const run = load.run(client, 'term');
    await until(() => load.acks.length > 0 || load.unexpected.length > 0, 10_000, 'a first acknowledged write');
    await sleep(100 + Math.floor(random() * 300));

    const ackedBeforeStop = load.acks.slice();
    const inFlight = run.inFlight();
    run.expectFailures();
    run.stop();
    const t0 = Date.now();
    const code = await Promise.race([store.stop(), sleep(8_000).then(() => 'still running after 8 s')]);
    const elapsed = Date.now() - t0;
    live.delete(store);
    if (typeof code === 'string') await store.crash();
    await run.done;
    client.close();

    expect(code, `exit after SIGTERM\n${store.output()}`).toBe(0);
    expect(elapsed).toBeLessThan(5_000);
    expect(inFlight, 'writes in flight at SIGTERM').toBeGreaterThan(0);
    expect(load.unexpected, 'failures while the store was up').toEqual([]);

    await Promise.race([watch.ended, sleep(2_000)]);
    expect(watch.isEnded(), 'the watch stream ended').toBe(true);
    // Each write reaches its watchers before its writer hears back, so whatever was acknowledged
    // before SIGTERM must have reached the watch.
    const unseen = ackedBeforeStop.flatMap((a) => a.kvs.map((kv) => kv.key)).filter((k) => !watch.keys.has(k));
    expect(unseen, 'acknowledged writes the watch never saw').toEqual([]);

    const again = await start(dataDir);
    await verify(again, load, 'after SIGTERM');
    expect(await again.stop()).toBe(0);
    live.delete(again);
  });
});

/** A raw watch stream on every `w` key, so that its end is seen rather than resumed as StoreClient would. */
function openWatch(endpoint: string) {
  const keys = new Set<string>();
  let isEnded = false;
  let onCreated: () => void = () => {};
  let onEnded: () => void = () => {};
  const created = new Promise<void>((r) => (onCreated = r));
  const ended = new Promise<void>((r) => (onEnded = r));
  const end = () => {
    isEnded = true;
    onEnded();
  };
  const body = JSON.stringify({
    create_request: { key: Buffer.from('w').toString('base64'), range_end: Buffer.from('x').toString('base64') },
  });
  const creq = httpRequest(
    new URL('/v3/watch', endpoint),
    { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json' } },
    (res: IncomingMessage) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const msg = JSON.parse(line) as { result?: { created?: boolean; events?: Array<{ kv: { key: string } }> } };
          if (msg.result?.created) onCreated();
          for (const ev of msg.result?.events ?? []) keys.add(Buffer.from(ev.kv.key, 'base64').toString());
        }
      });
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
    },
  );
  creq.on('error', end);
  creq.end(body);
  return { keys, created, ended, isEnded: () => isEnded };
}
