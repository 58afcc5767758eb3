import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, type KubeObject } from '../../api/client.js';
import { resolveResource } from '../../api/resources.js';
import { Backend } from '../../store/backend.js';
import { Mvcc } from '../../store/mvcc.js';
import { serveInProcess, type InProcessApi } from '../in-process.js';

const podsR = resolveResource('pods')!;
const nodesR = resolveResource('nodes')!;

describe('pods/log through the API server', () => {
  let store: Mvcc;
  let api: InProcessApi;
  let client: ApiClient;
  let kubelet: Server;
  const seen: string[] = [];
  let follower: ServerResponse | undefined;

  beforeAll(async () => {
    store = await Mvcc.open({ backend: await Backend.open() });
    api = await serveInProcess({ store });
    client = new ApiClient({ server: api.url });
    // A stand-in kubelet: it shows what it was asked, refuses one pod as a kubelet would, and holds a follow open.
    kubelet = createServer((req, res) => {
      seen.push(req.url!);
      if (req.url!.includes('/waiting/')) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        return void res.end('container "web" in pod "waiting" is waiting to start: ContainerCreating');
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('line 1\n');
      if (req.url!.includes('follow=true')) follower = res;
      else res.end('line 2\n');
    });
    await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
    const port = (kubelet.address() as AddressInfo).port;
    const node = (name: string, status: Record<string, unknown>): KubeObject => ({ metadata: { name }, status });
    await client.create(nodesR, undefined, node('node-1', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } }));
    await client.create(nodesR, undefined, node('down', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } }));
    const pod = (name: string, containers: string[], nodeName?: string): KubeObject => ({
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: containers.map((c) => ({ name: c, image: 'nginx' })) },
    });
    await client.create(podsR, 'default', pod('web-1', ['web'], 'node-1'));
    await client.create(podsR, 'default', pod('two', ['a', 'b'], 'node-1'));
    await client.create(podsR, 'default', pod('pending', ['web']));
    await client.create(podsR, 'default', pod('waiting', ['web'], 'node-1'));
    await client.create(podsR, 'default', pod('stranded', ['web'], 'down'));
  });

  afterAll(async () => {
    client?.close();
    kubelet?.closeAllConnections();
    kubelet?.close();
    await api?.close();
    await store?.close();
  });

  const logUrl = (pod: string, query = '') => `${api.url}/api/v1/namespaces/default/pods/${pod}/log${query}`;
  const status = async (pod: string, query = '') => {
    const res = await fetch(logUrl(pod, query));
    return { code: res.status, ...((await res.json()) as { reason?: string; message?: string }) };
  };

  it("passes the request on to the pod's kubelet, with the kubelet's query, and its answer back", async () => {
    const res = await fetch(logUrl('web-1', '?tailLines=5&timestamps=true&limitBytes=9&pretty=true'));
    expect([res.status, await res.text()]).toEqual([200, 'line 1\nline 2\n']);
    expect(seen.at(-1)).toBe('/containerLogs/default/web-1/web?timestamps=true&tailLines=5&limitBytes=9');
    await fetch(logUrl('two', '?container=b'));
    expect(seen.at(-1)).toBe('/containerLogs/default/two/b');
  });

  it('streams a follow through chunk by chunk, and lets go of the kubelet when the client goes', async () => {
    const res = await new Promise<IncomingMessage>((r) => get(logUrl('web-1', '?follow=true'), r));
    let got = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => (got += d));
    await vi.waitFor(() => expect(got).toBe('line 1\n'));
    follower!.write('line 2\n');
    await vi.waitFor(() => expect(got).toBe('line 1\nline 2\n'));
    const closed = new Promise((r) => follower!.on('close', r));
    res.destroy();
    await closed;
  });

  it.each([
    ['missing', '', 404, 'NotFound', 'pods "missing" not found'],
    ['two', '', 400, 'BadRequest', 'a container name must be specified for pod two, choose one of: [a b]'],
    ['two', '?container=c', 400, 'BadRequest', 'container c is not valid for pod two'],
    ['pending', '', 400, 'BadRequest', 'container "web" in pod "pending" is waiting to start: the pod is not scheduled to a node yet'],
    ['waiting', '', 400, 'BadRequest', 'container "web" in pod "waiting" is waiting to start: ContainerCreating'],
  ])('%s%s: %i %s', async (pod, query, code, reason, message) => {
    expect(await status(pod, query)).toMatchObject({ code, reason, message });
  });

  it('a node whose kubelet cannot be reached is a 503 that says which and where', async () => {
    const s = await status('stranded');
    expect(s).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
    expect(s.message).toBe('Cannot read the logs of pod default/stranded: the kubelet of node down at 127.0.0.1:1 cannot be reached: ECONNREFUSED');
  });
});
