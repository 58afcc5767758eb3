import { fc } from '@fast-check/vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock.js';
import { Backend } from '../../store/backend.js';
import { Mvcc } from '../../store/mvcc.js';
import { ensureSystemNamespaces } from '../bootstrap.js';
import { Registry } from '../registry.js';
import { strategies } from '../strategies/index.js';
import { WatchCache } from '../watch-cache.js';
import { createApiApp, type ApiApp } from './app.js';
import { ApiMetrics } from './metrics.js';

// ---- requests ------------------------------------------------------------------------------------

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Names that exist (the fuzz creates them too), and names no object may carry. */
const NAMES = ['x', 'web', 'default', 'kube-system', 'a b', '..', '.', '%zz', '%', '%2F', '%00', '%E0%A4%A', 'ü', '%C3%BC', 'UPPER', '-', 'a'.repeat(300), ':', '*', '$', "'", '%3F', '%23', ';x'];
const NAMESPACES = ['default', 'kube-system', 'nope', 'x', '%zz', '', 'Bad_NS'];
const RESOURCES = ['pods', 'configmaps', 'deployments', 'replicasets', 'services', 'nodes', 'namespaces', 'events', 'leases', 'secrets', 'endpoints', 'endpointslices', 'widgets', 'Pods', 'pod', 'po'];
const SUBRESOURCES = ['status', 'scale', 'binding', 'eviction', 'log', 'finalize', 'exec', 'proxy', '%zz'];
const GROUP_VERSIONS = ['api/v1', 'api/v2', 'apis/apps/v1', 'apis/apps/v1beta1', 'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/metrics.k8s.io/v1beta1', 'apis/policy/v1', 'apis/nope/v1', 'api', 'apis', 'apis/apps'];
const BOGUS_SEGMENTS = ['api', 'apis', 'v1', 'apps', 'namespaces', 'watch', 'openapi', 'v3', 'version', 'metrics', '', '%zz', '%', '..', 'x'];

const segment = (values: string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) });

/** A path shaped like a resource path, with any part of it wrong. */
const resourcePath = fc
  .record({
    gv: fc.constantFrom(...GROUP_VERSIONS),
    ns: fc.option(segment(NAMESPACES), { nil: undefined }),
    resource: segment(RESOURCES),
    name: fc.option(segment(NAMES), { nil: undefined }),
    sub: fc.option(segment(SUBRESOURCES), { nil: undefined }),
    extra: fc.array(segment(BOGUS_SEGMENTS), { maxLength: 2 }),
    trailingSlash: fc.boolean(),
  })
  .map(({ gv, ns, resource, name, sub, extra, trailingSlash }) => {
    const parts = [gv, ...(ns !== undefined ? ['namespaces', ns] : []), resource];
    if (name !== undefined) parts.push(name, ...(sub !== undefined ? [sub] : []), ...extra);
    return `/${parts.join('/')}${trailingSlash ? '/' : ''}`;
  });

const anyPath = fc.array(segment(BOGUS_SEGMENTS.concat(NAMES, RESOURCES)), { maxLength: 7 }).map((p) => `/${p.join('/')}`);

const QUERY_PARAMS = [
  'watch=true',
  'watch=1',
  'watch=false',
  'watch=x',
  'labelSelector=a%20in%20(',
  'labelSelector=app%3Dweb',
  'labelSelector=!!',
  'labelSelector=a%3D%3D%3Db',
  'labelSelector=a%20notin%20(x%2Cy)%2C!b',
  'fieldSelector=metadata.name%3Dx',
  'fieldSelector=spec.nope%3Dx',
  'fieldSelector=%3D%3D',
  'fieldSelector=a',
  'limit=-1',
  'limit=abc',
  'limit=2',
  'limit=0',
  'continue=abc',
  'continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiIvIn0%3D',
  'resourceVersion=abc',
  'resourceVersion=-5',
  'resourceVersion=999999999',
  'resourceVersion=0',
  'resourceVersion=1',
  'resourceVersion=',
  'timeoutSeconds=x',
  'timeoutSeconds=-1',
  'timeoutSeconds=1',
  'propagationPolicy=x',
  'propagationPolicy=Foreground',
  'propagationPolicy=Orphan',
  'gracePeriodSeconds=x',
  'gracePeriodSeconds=0',
  'orphanDependents=true',
  'dryRun=x',
  'dryRun=All',
  'fieldValidation=x',
  'fieldValidation=Strict',
  'fieldValidation=Ignore',
  'fieldManager=fuzz',
  'force=true',
  'allowWatchBookmarks=true',
  'includeObject=Object',
  'includeObject=x',
  'pretty=true',
  '%zz=%zz',
  '=',
  '&&',
];

const query = fc.array(fc.constantFrom(...QUERY_PARAMS), { maxLength: 4 }).map((q) => (q.length ? `?${q.join('&')}` : ''));

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/yaml',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  'application/x-bogus',
  'multipart/form-data; boundary=x',
  ';;;',
  'application/',
];

const validObject = fc.constantFrom(
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: { app: 'web' } }, data: { a: '1' } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  },
  { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'x' }, target: { kind: 'Node', name: 'node-1' } },
  { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'x' } },
  { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web' }, spec: { replicas: 2 } },
  { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
  { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'x' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] },
  { metadata: { name: 'x' } },
  { spec: { replicas: 3 } },
  { data: { b: null } },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'r', labels: { app: 'web' }, annotations: { a: 'b' } },
    spec: { nodeSelector: { zone: 'a' }, containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1' }, limits: { cpu: '2' } } }] },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' }, data: { d: 'eA==' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { a: '1' }, binaryData: { b: 'eA==' } },
);

/** Names every JS object inherits: a body's key of that name is a key like any other. */
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** The JSON of a valid object with a key named like an inherited member planted in one of its objects. */
const inheritedName = fc
  .tuple(validObject, fc.nat(), fc.constantFrom(...INHERITED), fc.oneof(fc.constantFrom<unknown>('1', 'x', 1, true, null, []), fc.dictionary(fc.constantFrom('name', 'labels', 'cpu', 'a'), fc.constantFrom<unknown>('1', { x: 'y' }))))
  .map(([object, pick, key, value]) => {
    const copy = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
    const objects: Record<string, unknown>[] = [];
    const walk = (v: unknown) => {
      if (v === null || typeof v !== 'object') return;
      if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
      for (const x of Object.values(v)) walk(x);
    };
    walk(copy);
    Object.defineProperty(objects[pick % objects.length]!, key, { value, enumerable: true, writable: true, configurable: true });
    return JSON.stringify(copy);
  });

/** Known fields holding values of the wrong type, at the top and one level down. */
const KNOWN_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status', 'data', 'stringData', 'items', 'target', 'deleteOptions', 'propagationPolicy', 'gracePeriodSeconds', 'preconditions', 'replicas', 'op', 'path', 'value', 'from', '$patch', '$setElementOrder/containers', '$retainKeys'];
const META_FIELDS = ['name', 'namespace', 'labels', 'annotations', 'finalizers', 'ownerReferences', 'resourceVersion', 'generateName', 'uid', 'deletionTimestamp', 'generation', 'creationTimestamp'];
const wrongTypes = fc.dictionary(
  fc.constantFrom(...KNOWN_FIELDS),
  fc.oneof(fc.anything({ maxDepth: 2 }), fc.dictionary(fc.constantFrom(...META_FIELDS, 'containers', 'replicas', 'selector', 'template', 'nodeName'), fc.anything({ maxDepth: 2 }))),
  { maxKeys: 4 },
);

const jsonPatch = fc.array(
  fc.record(
    {
      op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
      path: fc.constantFrom('/data/a', '/metadata/name', '/metadata/labels/x', '/', '', '/spec/replicas', '/a/b/c', '~', '/data/~1', '/spec/containers/-', '/spec/containers/9'),
      from: fc.constantFrom('/data/a', '/metadata', '/nope'),
      value: fc.anything({ maxDepth: 2 }),
    },
    { requiredKeys: ['op'] },
  ),
  { maxLength: 3 },
);

/**
 * Deep nesting. kube-apiserver decodes up to 10000 levels and refuses deeper bodies with a 400;
 * either way, never a 5xx.
 */
const deeplyNested = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1000, 3000, 5000, 10_000, 10_001, 20_000)),
    array: fc.boolean(),
    under: fc.constantFrom('', 'metadata', 'data', 'spec', 'x'),
  })
  .map(({ depth, array, under }) => {
    const inner = array ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return under ? `{"metadata":{"name":"x"},"${under}":${inner}}` : inner;
  });

const truncated = fc.tuple(fc.oneof(validObject, wrongTypes), fc.nat()).map(([o, n]) => {
  const text = JSON.stringify(o);
  return text.slice(0, n % Math.max(1, text.length));
});

const body = fc.oneof(
  fc.constant(undefined),
  validObject.map((o) => JSON.stringify(o)),
  fc.json(),
  fc.string(),
  fc.anything().map((v) => JSON.stringify(v) ?? ''),
  truncated,
  deeplyNested,
  wrongTypes.map((o) => JSON.stringify(o)),
  jsonPatch.map((p) => JSON.stringify(p)),
  inheritedName,
  fc.constantFrom('a: [1, 2', 'metadata: {name: x', '- a\n- b', 'key: value: other', '\t\t', '---\n---\n', '&a [*a]', '!!binary xyz', '*x', '{"a":1}{"b":2}', 'null', '[]', '""', '0'),
);

/** Anything at all: most of it fails early, on the path, the method or the Content-Type. */
const wildRequest = fc
  .record({
    method: fc.constantFrom(...METHODS),
    path: fc.oneof({ weight: 5, arbitrary: resourcePath }, { weight: 1, arbitrary: anyPath }),
    query,
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
    body,
  })
  // fetch sends no body with a GET: dropping it keeps counterexamples short.
  .map((r) => (r.method === 'GET' ? { ...r, body: undefined } : r));

/** Requests aimed at objects that exist, with the Content-Type the verb expects: these reach the registry. */
const TARGETS: Array<{ method: (typeof METHODS)[number]; path: string; contentTypes: string[] }> = [
  { method: 'POST', path: '/api/v1/namespaces/default/configmaps', contentTypes: ['application/json', 'application/yaml'] },
  { method: 'POST', path: '/api/v1/namespaces/default/pods', contentTypes: ['application/json'] },
  { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', contentTypes: ['application/json'] },
  { method: 'POST', path: '/api/v1/namespaces', contentTypes: ['application/json'] },
  { method: 'PUT', path: '/api/v1/namespaces/default/configmaps/x', contentTypes: ['application/json', 'application/yaml'] },
  { method: 'PUT', path: '/apis/apps/v1/namespaces/default/deployments/web', contentTypes: ['application/json'] },
  { method: 'PUT', path: '/apis/apps/v1/namespaces/default/deployments/web/status', contentTypes: ['application/json'] },
  { method: 'PUT', path: '/apis/apps/v1/namespaces/default/deployments/web/scale', contentTypes: ['application/json'] },
  ...['/api/v1/namespaces/default/configmaps/x', '/apis/apps/v1/namespaces/default/deployments/web', '/apis/apps/v1/namespaces/default/deployments/web/scale', '/apis/apps/v1/namespaces/default/deployments/web/status', '/api/v1/namespaces/default/pods/x'].map((path) => ({
    method: 'PATCH' as const,
    path,
    contentTypes: ['application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml'],
  })),
  { method: 'POST', path: '/api/v1/namespaces/default/pods/x/binding', contentTypes: ['application/json'] },
  { method: 'POST', path: '/api/v1/namespaces/default/pods/x/eviction', contentTypes: ['application/json'] },
  { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps/x', contentTypes: ['application/json', 'text/plain'] },
  { method: 'DELETE', path: '/api/v1/namespaces/default/configmaps', contentTypes: ['application/json'] },
  { method: 'GET', path: '/api/v1/namespaces/default/configmaps', contentTypes: [] },
  { method: 'GET', path: '/apis/apps/v1/deployments', contentTypes: [] },
];

const targetedRequest = fc.constantFrom(...TARGETS).chain((t) =>
  fc.record({
    method: fc.constant(t.method),
    path: fc.constant(t.path),
    query,
    contentType: fc.oneof(
      { weight: 4, arbitrary: t.contentTypes.length ? fc.constantFrom(...t.contentTypes) : fc.constant(undefined) },
      { weight: 1, arbitrary: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }) },
    ),
    body: t.method === 'GET' ? fc.constant(undefined) : body,
  }),
);

const request = fc.oneof(wildRequest, targetedRequest);

type Req = typeof request extends fc.Arbitrary<infer T> ? T : never;

// ---- the server ----------------------------------------------------------------------------------

describe('the API app under random requests', () => {
  let store: Mvcc;
  let cache: WatchCache;
  let api: ApiApp;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    store = await Mvcc.open({ backend: await Backend.open() });
    // A short wait for a revision the cache has not seen keeps resourceVersion=999999999 cheap.
    cache = new WatchCache({ store, waitTimeoutMs: 200 });
    const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
    const registry = new Registry({ store, cache, clock, strategies: strategies() });
    api = createApiApp({ registry, cache, metrics: new ApiMetrics(), now: () => clock.now() });
    await cache.start();
    await ensureSystemNamespaces(registry);
    server = createServer(api.handle);
    server.on('upgrade', api.upgrade);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    api.close();
    cache.stop();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
  });

  /** Sends one request; a watch that starts streaming is cut off as soon as it answers. */
  async function send(r: Req): Promise<{ status: number; contentType: string; text: string | undefined }> {
    const headers: Record<string, string> = {};
    if (r.contentType !== undefined) headers['Content-Type'] = r.contentType;
    const abort = new AbortController();
    // Only turns a request that never answers into a failure, instead of a hung run.
    const hung = setTimeout(() => abort.abort(new Error(`no answer to ${r.method} ${r.path}${r.query}`)), 10_000);
    try {
      const res = await fetch(`${base}${r.path}${r.query}`, {
        method: r.method,
        headers,
        // A Uint8Array keeps fetch from adding a Content-Type of its own; GET may carry no body.
        ...(r.body !== undefined && r.method !== 'GET' ? { body: new TextEncoder().encode(r.body) } : {}),
        signal: abort.signal,
      });
      const contentType = res.headers.get('content-type') ?? '';
      if (res.status === 200 && r.method === 'GET' && /(^|&|\?)watch=(true|1)(&|$)/.test(r.query)) {
        abort.abort();
        return { status: res.status, contentType, text: undefined };
      }
      return { status: res.status, contentType, text: await res.text() };
    } finally {
      clearTimeout(hung);
    }
  }

  /** The objects targeted requests aim at, put back when an earlier request took them away. */
  async function fixtures(): Promise<void> {
    const post = (path: string, o: unknown) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(o) }).then((r) => r.text());
    await post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'x' }, data: { a: '1' } });
    await post('/api/v1/namespaces/default/pods', { metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await post('/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
  }

  it('never answers 5xx, answers every 4xx with a Status, and stays ready', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        await fixtures();
        const { status, contentType, text } = await send(r);
        const what = `${r.method} ${r.path}${r.query} (${r.contentType ?? 'no Content-Type'}) -> ${status} ${text?.slice(0, 300)}`;
        if (status >= 500) {
          // kube-apiserver's one 5xx for a client's request: a resourceVersion the cache has not reached.
          const s = JSON.parse(text ?? '{}') as { code?: number; reason?: string; message?: string };
          expect(status === 504 && s.code === 504 && s.reason === 'Timeout' && /^Too large resource version/.test(s.message ?? ''), what).toBe(true);
        }
        if (status >= 400) {
          expect(contentType, what).toMatch(/^application\/json/);
          let s: Record<string, unknown> | undefined;
          try {
            s = JSON.parse(text ?? '') as Record<string, unknown>;
          } catch {
            s = undefined;
          }
          expect(s, what).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: status });
          expect(typeof s?.reason, what).toBe('string');
          expect(typeof s?.message, what).toBe('string');
        }
        const ready = await fetch(`${base}/readyz`);
        expect(ready.status, `not ready after ${what}`).toBe(200);
        await ready.text();
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  }, 240_000);
});
