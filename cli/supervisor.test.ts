import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createControlApp } from './control-server.js';
import { Supervisor } from './supervisor.js';
import type { ComponentName, ComponentSpec } from './up-config.js';

// A stand-in component: answers /readyz on --port, stops on SIGTERM; `fail` says why on stderr and exits.
const FIXTURE = `
const [name, , port, mode] = process.argv.slice(2);
if (mode === 'fail') { process.stderr.write('minik: port ' + port + ' on 127.0.0.1 is already in use: stop what holds it or choose another --port\\n'); process.exit(1); }
if (mode === 'slow') {
  // Answers /readyz late, and a SIGTERM that comes meanwhile waits for the answer to go out.
  let pending = 0, term = false;
  require('node:http').createServer((q, s) => {
    pending++;
    require('node:fs').writeFileSync(process.argv[6], 'asked');
    setTimeout(() => { s.end('ok', () => { pending--; if (term) process.exit(0); }); }, 300);
  }).listen(Number(port), '127.0.0.1');
  process.on('SIGTERM', () => { term = true; if (pending === 0) process.exit(0); });
} else {
  const srv = require('node:http').createServer((q, s) => s.end('ok')).listen(Number(port), '127.0.0.1');
  process.on('SIGTERM', () => { srv.close(); process.exit(0); });
}
`;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('Supervisor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minik-sup-'));
  const script = join(dir, 'component.cjs');
  writeFileSync(script, FIXTURE);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const spec = async (name: ComponentName, mode = 'ok'): Promise<ComponentSpec> => {
    const port = await freePort();
    const address = `http://127.0.0.1:${port}`;
    return { name, args: [name, '--port', String(port), mode], address, readyUrl: `${address}/readyz`, port, portFlag: `--${name}-port` };
  };
  const alive = (pid: number | undefined) => {
    try {
      process.kill(pid!, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('stops and starts one component without calling it a failure, and stops all', async () => {
    const unexpected: string[] = [];
    const s = new Supervisor({
      specs: [await spec('store'), await spec('scheduler')],
      logDir: dir,
      command: [process.execPath, script],
      onUnexpectedExit: (name) => unexpected.push(name),
    });
    await s.startAll();
    expect(s.components().map((c) => c.status)).toEqual(['running', 'running']);
    const first = s.components()[1]!.pid;

    await s.stop('scheduler');
    expect(alive(first)).toBe(false);
    expect(s.components()[1]).toMatchObject({ name: 'scheduler', status: 'stopped' });
    expect(s.components()[1]!.pid).toBeUndefined();

    await s.start('scheduler');
    expect(s.components()[1]).toMatchObject({ status: 'running' });
    expect(s.components()[1]!.pid).not.toBe(first);

    const pids = s.components().map((c) => c.pid);
    await s.stopAll();
    expect(pids.map(alive)).toEqual([false, false]);
    expect(unexpected).toEqual([]);
  });

  it('never calls a component stopped while it was starting a running one, nor its exit unexpected', async () => {
    const unexpected: string[] = [];
    const asked = join(dir, 'asked');
    const slow = await spec('scheduler', 'slow');
    const s = new Supervisor({ specs: [{ ...slow, args: [...slow.args, asked] }], logDir: dir, command: [process.execPath, script], onUnexpectedExit: (n) => unexpected.push(n) });
    const starting = s.start('scheduler');
    const outcome = starting.then(() => 'started', (err: Error) => err.message);
    for (const stop = Date.now() + 10_000; !existsSync(asked) && Date.now() < stop; ) await new Promise((r) => setTimeout(r, 5));
    expect(existsSync(asked)).toBe(true);
    // The stop begins while /readyz is still to answer "ok".
    await s.stop('scheduler');
    expect(await outcome).toBe('the scheduler did not start: stopped while it was starting');
    expect(s.components()[0]).toMatchObject({ status: 'stopped' });
    await new Promise((r) => setTimeout(r, 50));
    expect(unexpected).toEqual([]);
  });

  it('reports an exit nobody asked for, with the component\'s own last line', async () => {
    const reasons: string[] = [];
    const s = new Supervisor({ specs: [await spec('scheduler')], logDir: dir, command: [process.execPath, script], onUnexpectedExit: (n, r) => reasons.push(`${n}: ${r}`) });
    await s.start('scheduler');
    process.kill(s.components()[0]!.pid!, 'SIGKILL');
    for (const stop = Date.now() + 10_000; reasons.length === 0 && Date.now() < stop; ) await new Promise((r) => setTimeout(r, 20));
    expect(reasons).toEqual([`scheduler: killed by SIGKILL; see ${join(dir, 'scheduler.log')}`]);
  });

  it('rejects a start that fails with the reason, leaving nothing running', async () => {
    const unexpected: string[] = [];
    const bad = await spec('store', 'fail');
    const s = new Supervisor({ specs: [bad, await spec('apiserver')], logDir: dir, command: [process.execPath, script], onUnexpectedExit: (n) => unexpected.push(n) });
    await expect(s.startAll()).rejects.toThrow(`the store did not start: port ${bad.port} on 127.0.0.1 is already in use`);
    await s.stopAll();
    expect(s.components().map((c) => c.status)).toEqual(['stopped', 'stopped']);
    expect(unexpected).toEqual([]);
  });

  it('is driven through its control endpoint, which wants the token', async () => {
    const s = new Supervisor({ specs: [await spec('scheduler')], logDir: dir, command: [process.execPath, script], onUnexpectedExit: () => {} });
    await s.startAll();
    let downs = 0;
    const server = createServer(createControlApp({ supervisor: s, token: 't0k', down: () => downs++ }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const call = async (path: string, token = 't0k') => {
      const res = await fetch(url + path, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, message: ((await res.json()) as { message: string }).message };
    };
    try {
      expect((await call('/components/scheduler/stop', 'guess')).status).toBe(401);
      expect(s.components()[0]!.status).toBe('running');
      expect(await call('/components/scheduler/stop')).toEqual({ status: 200, message: 'scheduler stopped' });
      expect(await call('/components/scheduler/stop')).toEqual({ status: 200, message: 'scheduler was already stopped' });
      expect(await call('/components/store/start')).toEqual({ status: 404, message: 'no component named store: this cluster runs scheduler' });
      expect(await call('/components/scheduler/start')).toEqual({ status: 200, message: 'scheduler started' });
      expect(await call('/down')).toEqual({ status: 202, message: 'stopping the cluster' });
      for (const stop = Date.now() + 5000; downs === 0 && Date.now() < stop; ) await new Promise((r) => setTimeout(r, 10));
      expect(downs).toBe(1);
      expect((await call('/components/scheduler/stop')).status).toBe(503);
    } finally {
      server.close();
      await s.stopAll();
    }
  });
});
