import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../api/client.js';
import { FakeClock } from '../api/clock.js';
import { cadenceFor } from './container-logs.js';
import { createLogServer } from './log-server.js';

const T0 = Date.parse('2026-11-21T10:00:00Z');
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

const running = (name: string, state: Record<string, unknown> = { running: { startedAt: '2026-11-21T10:00:00Z' } }): KubeObject => ({
  metadata: { name, namespace: 'default' },
  spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx:1.25' }] },
  status: { containerStatuses: [{ name: 'web', image: 'nginx:1.25', containerID: `minik://${name}/web`, state }] },
});

async function serve(pods: Map<string, KubeObject>, clock: FakeClock) {
  const handler = createLogServer({
    pod: (ns, name) => pods.get(`${ns}/${name}`),
    clock,
    cadence: cadenceFor(1),
    fallback: (_req, res) => res.end('health'),
  });
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fetchText = async (url: string) => {
  const res = await fetch(url);
  return [res.status, await res.text()] as const;
};

describe('the log endpoint of the simulated kubelet', () => {
  it('answers the container log, with the query applied, and passes other paths on', async () => {
    const clock = new FakeClock(T0 + 25_000);
    const url = await serve(new Map([['default/web-1', running('web-1')]]), clock);
    expect(await fetchText(`${url}/containerLogs/default/web-1/web`)).toEqual([
      200,
      '2026-11-21T10:00:00.000Z minik: container web started (image nginx:1.25)\n' +
        '2026-11-21T10:00:10.000Z minik: container web is running (10s)\n' +
        '2026-11-21T10:00:20.000Z minik: container web is running (20s)\n',
    ]);
    expect(await fetchText(`${url}/containerLogs/default/web-1/web?tailLines=1&timestamps=true`)).toEqual([
      200,
      '2026-11-21T10:00:20.000000000Z 2026-11-21T10:00:20.000Z minik: container web is running (20s)\n',
    ]);
    expect(await fetchText(`${url}/containerLogs/default/web-1/web?sinceSeconds=10`)).toEqual([200, '2026-11-21T10:00:20.000Z minik: container web is running (20s)\n']);
    expect(await fetchText(`${url}/containerLogs/default/web-1/web?limitBytes=10`)).toEqual([200, '2026-11-21']);
    expect(await fetchText(`${url}/healthz`)).toEqual([200, 'health']);
  });

  it('says why there is no log: 404 for what is not there, 400 for what has not started or a bad query', async () => {
    const clock = new FakeClock(T0);
    const url = await serve(new Map([['default/web-1', running('web-1')], ['default/new', running('new', { waiting: { reason: 'ContainerCreating' } })]]), clock);
    expect(await fetchText(`${url}/containerLogs/default/web-9/web`)).toEqual([404, 'pod "web-9" in namespace "default" does not exist on this node']);
    expect(await fetchText(`${url}/containerLogs/default/web-1/db`)).toEqual([404, 'container "db" not found in pod "web-1"']);
    expect(await fetchText(`${url}/containerLogs/default/new/web`)).toEqual([400, 'container "web" in pod "new" is waiting to start: ContainerCreating']);
    expect(await fetchText(`${url}/containerLogs/default/web-1/web?tailLines=-2`)).toEqual([400, 'tailLines: Invalid value: -2: must be greater than or equal to 0']);
  });

  it('follows: each new line as the clock reaches it, until the container exits', async () => {
    const clock = new FakeClock(T0 + 5_000);
    const pods = new Map([['default/web-1', running('web-1')]]);
    const url = await serve(pods, clock);
    let got = '';
    let ended = false;
    const res = await new Promise<IncomingMessage>((r) => get(`${url}/containerLogs/default/web-1/web?follow=true&tailLines=0`, r));
    expect(res.statusCode).toBe(200);
    res.setEncoding('utf8');
    res.on('data', (d: string) => (got += d));
    res.on('end', () => (ended = true));
    clock.advance(5_000);
    await vi.waitFor(() => expect(got).toBe('2026-11-21T10:00:10.000Z minik: container web is running (10s)\n'));
    clock.advance(10_000);
    await vi.waitFor(() => expect(got.split('\n')).toHaveLength(3));
    expect(got).toContain('minik: container web is running (20s)');
    pods.set('default/web-1', running('web-1', { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-11-21T10:00:00Z', finishedAt: '2026-11-21T10:00:21Z' } }));
    clock.advance(1_000);
    await vi.waitFor(() => expect(ended).toBe(true));
    expect(got.trim().split('\n').at(-1)).toBe('2026-11-21T10:00:21.000Z minik: container web exited with code 0 (Completed)');
  });

  it('follows no further once the pod is gone, or limitBytes is spent', async () => {
    const clock = new FakeClock(T0 + 1_000);
    const pods = new Map([['default/web-1', running('web-1')]]);
    const url = await serve(pods, clock);
    const follow = async (query: string) => {
      const res = await new Promise<IncomingMessage>((r) => get(`${url}/containerLogs/default/web-1/web?follow=true&${query}`, r));
      const out = { text: '', ended: false };
      res.setEncoding('utf8');
      res.on('data', (d: string) => (out.text += d));
      res.on('end', () => (out.ended = true));
      return out;
    };
    const limited = await follow('limitBytes=100');
    const plain = await follow('tailLines=0');
    clock.advance(10_000);
    await vi.waitFor(() => expect(limited.ended).toBe(true));
    expect(Buffer.byteLength(limited.text)).toBe(100);
    pods.delete('default/web-1');
    clock.advance(1_000);
    await vi.waitFor(() => expect(plain.ended).toBe(true));
    expect(plain.text).toBe('2026-11-21T10:00:10.000Z minik: container web is running (10s)\n');
  });
});
