import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveInProcess } from '../apiserver/in-process.js';
import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { apiConformance } from './api.conformance.js';
import { ApiClient } from './client.js';
import { resolveResource } from './resources.js';

// The HTTP client against the API served in process; sim/ runs the same suite on its in-process client.
apiConformance('ApiClient over HTTP', async () => {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const api = await serveInProcess({ store, historySize: 5 });
  return {
    client: new ApiClient({ server: api.url }),
    async close() {
      await api.close();
      await store.close();
    },
  };
});

describe('the API server address an ApiClient is given', () => {
  it('is refused at once, with what was wrong, unless it is an http:// URL', () => {
    expect(() => new ApiClient({ server: 'localhost:6443' })).toThrow(/must be http:\/\/, not localhost:\/\//);
    expect(() => new ApiClient({ server: 'not a url' })).toThrow(/the API server's address is not a URL: "not a url"/);
    expect(() => new ApiClient({ server: 'https://127.0.0.1:6443' })).toThrow(/must be http:\/\/, not https:\/\//);
  });

  it('may carry a path, which every request follows', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(String(req.url));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"default"}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new ApiClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/through/a/proxy/` });
    try {
      const ns = await client.get(resolveResource('namespaces')!, undefined, 'default');
      expect(ns.metadata?.name).toBe('default');
      expect(seen).toEqual(['/through/a/proxy/api/v1/namespaces/default']);
    } finally {
      client.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('sends the user and password it carries as Basic credentials', async () => {
    const seen: Array<string | undefined> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"default"}}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new ApiClient({ server: `http://admin:s3cret@127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      await client.get(resolveResource('namespaces')!, undefined, 'default');
      expect(seen).toEqual([`Basic ${Buffer.from('admin:s3cret').toString('base64')}`]);
    } finally {
      client.close();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('an ApiClient whose server does not answer', () => {
  it('fails the request once its timeout passes, naming it', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new ApiClient({ server: url, timeoutMs: 200 });
    try {
      await expect(client.get(resolveResource('namespaces')!, undefined, 'default')).rejects.toThrow(`GET ${url}/api/v1/namespaces/default: no answer within 200ms`);
    } finally {
      client.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('can be used again after close, on new connections', async () => {
    let connections = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"default"}}');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = new ApiClient({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      await client.get(resolveResource('namespaces')!, undefined, 'default');
      client.close();
      await client.get(resolveResource('namespaces')!, undefined, 'default');
      expect(connections).toBe(2);
    } finally {
      client.close();
      await new Promise((r) => server.close(r));
    }
  });
});
