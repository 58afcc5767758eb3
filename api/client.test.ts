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
});
