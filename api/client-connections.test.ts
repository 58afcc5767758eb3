import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from './client.js';
import { resolveResource } from './resources.js';

const namespaces = resolveResource('namespaces')!;
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

/** An API server stand-in that answers every GET with a Namespace, after a moment, and counts connections. */
async function countingServer(): Promise<{ url: string; connections: () => number; inFlightMax: () => number }> {
  let connections = 0;
  let inFlight = 0;
  let inFlightMax = 0;
  server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    inFlight++;
    inFlightMax = Math.max(inFlightMax, inFlight);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', resourceVersion: '1' } }));
    }, 20);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server!.listen({ port: 0, host: '127.0.0.1', backlog: 1024 }, r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, connections: () => connections, inFlightMax: () => inFlightMax };
}

describe('ApiClient connections', () => {
  it('keeps every connection a burst opened for the next burst, and never opens more than 256', async () => {
    const s = await countingServer();
    const client = new ApiClient({ server: s.url });
    const burst = () => Promise.all(Array.from({ length: 400 }, () => client.get(namespaces, undefined, 'x')));
    await burst();
    const opened = s.connections();
    expect(opened).toBeLessThanOrEqual(256);
    expect(s.inFlightMax()).toBeLessThanOrEqual(256);
    await burst();
    await burst();
    expect(s.connections()).toBe(opened);
  });
});
