import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeClock } from '../../api/clock.js';
import { Backend } from '../../store/backend.js';
import { Mvcc } from '../../store/mvcc.js';
import { ensureSystemNamespaces } from '../bootstrap.js';
import { Registry } from '../registry.js';
import { strategies } from '../strategies/index.js';
import { WatchCache } from '../watch-cache.js';
import { createApiApp, type ApiApp } from './app.js';
import { ApiMetrics } from './metrics.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KUBECTL_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
/** `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`, as client-go reads it. */
const AGGREGATED = { type: 'application/json', g: 'apidiscovery.k8s.io', v: 'v2', as: 'APIGroupDiscoveryList' };
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const CONFLICT = 'the object has been modified; please apply your changes to the latest version and try again';

interface Served {
  base: string;
  port: number;
  api: ApiApp;
  close(): Promise<void>;
}

/** The API as main.ts wires it, on the in-memory store, served on a free port. */
async function serve(opts: { historySize?: number; bookmarkIntervalMs?: number } = {}): Promise<Served> {
  const store = await Mvcc.open({ backend: await Backend.open() });
  const cache = new WatchCache({ store, ...(opts.historySize ? { historySize: opts.historySize } : {}) });
  const clock = new FakeClock(Date.parse('2026-11-21T10:00:00Z'));
  const registry = new Registry({ store, cache, clock, strategies: strategies() });
  const api = createApiApp({
    registry,
    cache,
    metrics: new ApiMetrics(),
    now: () => clock.now(),
    address: '127.0.0.1:0',
    ...(opts.bookmarkIntervalMs ? { bookmarkIntervalMs: opts.bookmarkIntervalMs } : {}),
  });
  await cache.start();
  await ensureSystemNamespaces(registry);
  const server: Server = createServer(api.handle);
  server.on('upgrade', api.upgrade);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    api,
    async close() {
      api.close();
      cache.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await store.close();
    },
  };
}

/**
 * A Content-Type's type and g/v/as parameters. client-go parses the header (mime.ParseMediaType) and
 * compares those, so spacing and an added charset do not matter to it.
 */
function mediaType(header: string | null): Record<string, string> {
  const [type = '', ...params] = (header ?? '').split(';').map((p) => p.trim());
  const out: Record<string, string> = { type };
  for (const p of params) {
    const [k = '', v = ''] = p.split('=');
    if (['g', 'v', 'as'].includes(k)) out[k] = v;
  }
  return out;
}

/** Every error is a metav1.Status whose code is the HTTP status. */
async function expectStatus(res: Response, code: number, reason?: string): Promise<Json> {
  const text = await res.text();
  expect(res.status, text).toBe(code);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = JSON.parse(text) as Json;
  expect(body).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
  expect(typeof body.reason).toBe('string');
  if (reason) expect(body.reason).toBe(reason);
  return body;
}

async function expectOk(res: Response, code = 200): Promise<Json> {
  const text = await res.text();
  expect(res.status, text).toBe(code);
  return JSON.parse(text) as Json;
}

/** A watch over HTTP: its lines, parsed, as they arrive. */
function watchHttp(url: string, headers: Record<string, string> = {}) {
  const events: Json[] = [];
  const abort = new AbortController();
  let ended = false;
  const opened = fetch(url, { headers, signal: abort.signal });
  const done = opened.then(async (res) => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buf += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)) as Json);
          buf = buf.slice(nl + 1);
        }
      }
    } catch {
      // Aborted by the test: the stream simply stops.
    }
    ended = true;
  });
  return {
    response: opened,
    events,
    done,
    get ended() {
      return ended;
    },
    close: () => abort.abort(),
    /** Waits for the n-th event; the deadline only turns a hang into a readable failure. */
    async until(n: number, pred: (e: Json) => boolean = () => true): Promise<Json[]> {
      const deadline = Date.now() + 10_000;
      while (events.filter(pred).length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} events, got ${JSON.stringify(events)}`);
        if (ended) throw new Error(`the stream ended after ${JSON.stringify(events)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return events.filter(pred);
    },
  };
}

const cm = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
  },
});

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

describe('the API app over HTTP', () => {
  let s: Served;
  let nsCount = 0;
  beforeAll(async () => {
    s = await serve({ bookmarkIntervalMs: 50 });
  });
  afterAll(async () => {
    await s.close();
  });

  const url = (path: string) => `${s.base}${path}`;
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(url(path), {
      method,
      headers: body === undefined || typeof body === 'string' || body instanceof Uint8Array ? headers : { 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }),
    });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(url(path), { headers });
  /** A namespace of the test's own, so tests on the shared server do not see each other's objects. */
  const namespace = async () => {
    const name = `t${++nsCount}`;
    await expectOk(await send('POST', '/api/v1/namespaces', { metadata: { name } }), 201);
    return name;
  };
  const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

  describe('server endpoints', () => {
    it('reports version 1.32', async () => {
      expect(await expectOk(await get('/version'))).toMatchObject({ major: '1', minor: '32' });
    });

    it('answers health and readiness', async () => {
      for (const p of ['/healthz', '/livez', '/readyz']) {
        const res = await get(p);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('ok');
      }
    });

    it('counts requests by verb, resource and code', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('m'));
      await get(`${cms(ns)}/m`);
      await get(`${cms(ns)}/missing`);
      await get(cms(ns));
      const text = await (await get('/metrics')).text();
      const count = (verb: string, resource: string, code: number) => {
        const line = text.split('\n').find((l) => l.startsWith('apiserver_request_total{') && l.includes(`verb="${verb}"`) && l.includes(`resource="${resource}"`) && l.includes(`code="${code}"`));
        return line === undefined ? 0 : Number(line.split(' ').pop());
      };
      expect(count('create', 'configmaps', 201)).toBeGreaterThanOrEqual(1);
      expect(count('get', 'configmaps', 200)).toBeGreaterThanOrEqual(1);
      expect(count('get', 'configmaps', 404)).toBeGreaterThanOrEqual(1);
      expect(count('list', 'configmaps', 200)).toBeGreaterThanOrEqual(1);
      expect(count('create', 'namespaces', 201)).toBeGreaterThanOrEqual(1);
    });

    it('counts each request once, whether served straight (a resource) or through the routes (discovery, health)', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('once'));
      const counts = async () => {
        const text = await (await get('/metrics')).text();
        const of = (labels: string) => Number(text.split('\n').find((l) => l.startsWith(`apiserver_request_total{${labels}}`))?.split(' ').pop() ?? 0);
        return { get: of('verb="get",resource="configmaps",code="200"'), other: of('verb="other",resource="",code="200"') };
      };
      const before = await counts();
      for (let i = 0; i < 3; i++) await get(`${cms(ns)}/once`);
      for (let i = 0; i < 2; i++) await get('/version');
      const after = await counts();
      expect(after.get - before.get).toBe(3);
      // The two /version GETs, and the /metrics GET that read `before`.
      expect(after.other - before.other).toBe(3);
    });
  });

  describe('discovery', () => {
    it('serves aggregated discovery to kubectl', async () => {
      const core = await get('/api', { Accept: KUBECTL_DISCOVERY_ACCEPT });
      expect(core.status).toBe(200);
      expect(mediaType(core.headers.get('content-type'))).toEqual(AGGREGATED);
      const coreBody = (await core.json()) as Json;
      expect(coreBody).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
      expect(coreBody.items.map((i: Json) => i.metadata.name)).toEqual(['']);
      const v1 = coreBody.items[0].versions.find((v: Json) => v.version === 'v1');
      const pods = v1.resources.find((r: Json) => r.resource === 'pods');
      expect(pods).toMatchObject({ responseKind: { group: '', version: 'v1', kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'], categories: ['all'] });
      expect(pods.verbs).toEqual(expect.arrayContaining(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']));

      const groups = await get('/apis', { Accept: KUBECTL_DISCOVERY_ACCEPT });
      expect(mediaType(groups.headers.get('content-type'))).toEqual(AGGREGATED);
      const groupsBody = (await groups.json()) as Json;
      const apps = groupsBody.items.find((i: Json) => i.metadata.name === 'apps');
      expect(apps.versions[0].resources.find((r: Json) => r.resource === 'deployments').subresources.map((x: Json) => x.subresource)).toEqual(
        expect.arrayContaining(['scale', 'status']),
      );
    });

    it('serves legacy discovery for plain JSON', async () => {
      const core = await expectOk(await get('/api', { Accept: 'application/json' }));
      expect(core).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
      const groups = await expectOk(await get('/apis', { Accept: 'application/json' }));
      expect(groups.kind).toBe('APIGroupList');
      expect(groups.groups.map((g: Json) => g.name)).toContain('apps');

      const v1 = await expectOk(await get('/api/v1'));
      expect(v1).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
      expect(v1.resources.find((r: Json) => r.name === 'pods')).toMatchObject({ singularName: 'pod', namespaced: true, kind: 'Pod', shortNames: ['po'] });
      expect(v1.resources.find((r: Json) => r.name === 'pods/eviction')).toMatchObject({ namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
      const apps = await expectOk(await get('/apis/apps/v1'));
      expect(apps).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
      expect(apps.resources.map((r: Json) => r.name)).toEqual(expect.arrayContaining(['deployments', 'deployments/scale', 'deployments/status']));
    });

    it('answers an unknown group-version with a 404 Status', async () => {
      await expectStatus(await get('/apis/nope/v1'), 404, 'NotFound');
    });

    it('serves the OpenAPI v3 index and its documents', async () => {
      const index = await expectOk(await get('/openapi/v3'));
      expect(index.paths['api/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
      const doc = await expectOk(await get(index.paths['apis/apps/v1'].serverRelativeURL));
      expect(doc.openapi).toBe('3.0.0');
      const patches = Object.values(doc.paths as Record<string, Json>).flatMap((p) => (p.patch ? [p.patch] : []));
      const deploymentPatch = patches.find((op) => op['x-kubernetes-group-version-kind']?.kind === 'Deployment');
      expect(deploymentPatch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
      expect(deploymentPatch.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'fieldValidation', in: 'query' })]));
      expect(Object.keys(doc.components.schemas)).toContain('io.k8s.api.apps.v1.Deployment');
    });
  });

  describe('CRUD', () => {
    it('creates, reads, updates and deletes with the right codes', async () => {
      const ns = await namespace();
      const created = await expectOk(await send('POST', cms(ns), cm('a', { k: '1' })), 201);
      expect(created.metadata).toMatchObject({ name: 'a', namespace: ns });
      const got = await expectOk(await get(`${cms(ns)}/a`));
      expect(got.data).toEqual({ k: '1' });
      const updated = await expectOk(await send('PUT', `${cms(ns)}/a`, { ...got, data: { k: '2' } }));
      expect(updated.data).toEqual({ k: '2' });
      expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(got.metadata.resourceVersion));
      const list = await expectOk(await get(cms(ns)));
      expect(list).toMatchObject({ kind: 'ConfigMapList', apiVersion: 'v1' });
      expect(list.items.map((i: Json) => i.metadata.name)).toEqual(['a']);
      expect(await expectOk(await send('DELETE', `${cms(ns)}/a`))).toMatchObject({ metadata: { name: 'a' } });
      const missing = await expectStatus(await get(`${cms(ns)}/a`), 404, 'NotFound');
      expect(missing).toMatchObject({ message: 'configmaps "a" not found', details: { name: 'a', kind: 'configmaps' } });
      await expectStatus(await send('DELETE', `${cms(ns)}/a`), 404, 'NotFound');
    });

    it("answers 409 AlreadyExists and Conflict with Kubernetes' messages", async () => {
      const ns = await namespace();
      await expectOk(await send('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web')), 201);
      const exists = await expectStatus(await send('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web')), 409, 'AlreadyExists');
      expect(exists.message).toBe('deployments.apps "web" already exists');

      const first = await expectOk(await send('POST', cms(ns), cm('c', { v: '1' })), 201);
      await expectOk(await send('PUT', `${cms(ns)}/c`, { ...first, data: { v: '2' } }));
      const stale = await expectStatus(await send('PUT', `${cms(ns)}/c`, { ...first, data: { v: '3' } }), 409, 'Conflict');
      expect(stale.message).toBe(`Operation cannot be fulfilled on configmaps "c": ${CONFLICT}`);
      expect((await expectOk(await get(`${cms(ns)}/c`))).data).toEqual({ v: '2' });
    });

    it('answers 422 Invalid with the causes', async () => {
      const ns = await namespace();
      const bad = await expectStatus(await send('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment('bad', -1)), 422, 'Invalid');
      expect(bad.message).toBe('Deployment.apps "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
      expect(bad.details).toMatchObject({ name: 'bad', group: 'apps', kind: 'Deployment' });
      expect(bad.details.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }]);
      const name = await expectStatus(await send('POST', cms(ns), cm('Bad_Name')), 422, 'Invalid');
      expect(name.details.causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueInvalid' });
    });

    it('answers in the Table format kubectl asks for', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('t1', { a: '1', b: '2' }));
      await send('POST', cms(ns), cm('t2'));
      const table = await expectOk(await get(cms(ns), { Accept: TABLE_ACCEPT }));
      expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
      expect(table.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(table.columnDefinitions[0]).toMatchObject({ name: 'Name', type: 'string', format: 'name' });
      expect(table.rows).toHaveLength(2);
      for (const row of table.rows as Json[]) {
        expect(row.cells).toHaveLength(table.columnDefinitions.length);
        expect(row.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { namespace: ns } });
      }
      expect(table.rows.map((r: Json) => r.cells[0])).toEqual(['t1', 't2']);
      expect(table.rows.map((r: Json) => r.object.metadata.name)).toEqual(['t1', 't2']);
      const one = await expectOk(await get(`${cms(ns)}/t1`, { Accept: TABLE_ACCEPT }));
      expect(one.kind).toBe('Table');
      expect(one.rows).toHaveLength(1);
    });

    it('refuses unknown fields under Strict and warns of them by default', async () => {
      const ns = await namespace();
      const strict = await expectStatus(await send('POST', `${cms(ns)}?fieldValidation=Strict`, { ...cm('s'), x: 1 }), 400, 'BadRequest');
      expect(strict.message).toMatch(/strict decoding error: unknown field "x"/);
      await expectStatus(await get(`${cms(ns)}/s`), 404);
      const warned = await send('POST', cms(ns), { ...cm('s'), x: 1 });
      expect(warned.status).toBe(201);
      expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"x\\""');
      expect(await warned.json()).not.toHaveProperty('x');
      await expectStatus(await send('POST', `${cms(ns)}?fieldValidation=Sometimes`, cm('s2')), 400, 'BadRequest');
    });

    it('takes __proto__ and constructor for names like any other: data keys kept, unknown fields refused, never read through', async () => {
      const ns = await namespace();
      const withKey = (data: string) => `{"metadata":{"name":"p"},"data":{"__proto__":"${data}","k":"w"}}`;
      const json = { 'Content-Type': 'application/json' };
      expect((await expectOk(await send('POST', cms(ns), withKey('v1'), json), 201)).data).toEqual(JSON.parse('{"__proto__":"v1","k":"w"}'));
      const got = await (await get(`${cms(ns)}/p`)).text();
      expect(got).toContain('"data":{"__proto__":"v1","k":"w"}');
      await expectOk(await send('PUT', `${cms(ns)}/p`, withKey('v2'), json));
      const merge = { 'Content-Type': 'application/merge-patch+json' };
      await expectOk(await send('PATCH', `${cms(ns)}/p`, '{"data":{"__proto__":"v3"}}', merge));
      expect(await (await get(`${cms(ns)}/p`)).text()).toContain('"data":{"__proto__":"v3","k":"w"}');
      // Keys named like inherited members are keys: no false duplicate of binaryData, and a Secret's stringData merges them.
      await expectOk(await send('POST', cms(ns), '{"metadata":{"name":"c"},"data":{"constructor":"x"},"binaryData":{"b":"eA=="}}', json), 201);
      const secret = await send('POST', `/api/v1/namespaces/${ns}/secrets`, '{"metadata":{"name":"s"},"stringData":{"__proto__":"x","k":"y"}}', json);
      expect(await secret.text()).toContain('"data":{"__proto__":"eA==","k":"eQ=="}');

      // A __proto__ object in metadata is an unknown field, not a prototype whose labels get read.
      const smuggled = '{"metadata":{"name":"q","__proto__":{"labels":{"x":"y"}}}}';
      const strict = await expectStatus(await send('POST', `${cms(ns)}?fieldValidation=Strict`, smuggled, json), 400, 'BadRequest');
      expect(strict.message).toMatch(/strict decoding error: unknown field "metadata.__proto__"$/);
      const warned = await send('POST', cms(ns), smuggled, json);
      expect(warned.headers.get('warning')).toBe('299 - "unknown field \\"metadata.__proto__\\""');
      expect(((await warned.json()) as Json).metadata).not.toHaveProperty('labels');
      const named = await expectStatus(await send('POST', `${cms(ns)}?fieldValidation=Strict`, '{"metadata":{"name":"r","constructor":1}}', json), 400, 'BadRequest');
      expect(named.message).toMatch(/unknown field "metadata.constructor"$/);
    });
  });

  describe('PATCH', () => {
    it('applies a strategic merge patch, merging containers by name', async () => {
      const ns = await namespace();
      await send('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web'));
      const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } };
      const out = await expectOk(
        await send('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web`, JSON.stringify(patch), { 'Content-Type': 'application/strategic-merge-patch+json' }),
      );
      expect(out.spec.template.spec.containers).toHaveLength(1);
      expect(out.spec.template.spec.containers[0]).toMatchObject({ name: 'web', image: 'nginx:1.26' });
      expect(out.metadata.generation).toBe(2);
    });

    it('applies a merge patch and a JSON patch', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('p', { a: '1', b: '2' }));
      const merged = await expectOk(
        await send('PATCH', `${cms(ns)}/p`, JSON.stringify({ data: { a: null, c: '3' } }), { 'Content-Type': 'application/merge-patch+json' }),
      );
      expect(merged.data).toEqual({ b: '2', c: '3' });
      const jsonPatch = [
        { op: 'replace', path: '/data/b', value: '20' },
        { op: 'add', path: '/metadata/labels', value: { l: 'x' } },
      ];
      const patched = await expectOk(await send('PATCH', `${cms(ns)}/p`, JSON.stringify(jsonPatch), { 'Content-Type': 'application/json-patch+json' }));
      expect(patched.data).toEqual({ b: '20', c: '3' });
      expect(patched.metadata.labels).toEqual({ l: 'x' });
      await expectStatus(await send('PATCH', `${cms(ns)}/missing`, '{}', { 'Content-Type': 'application/merge-patch+json' }), 404, 'NotFound');
    });

    it('creates a missing object by server-side apply, with 201, then updates it with 200', async () => {
      const ns = await namespace();
      const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n`;
      const created = await expectOk(
        await send('PATCH', `${cms(ns)}/applied?fieldManager=kubectl&force=false`, yaml, { 'Content-Type': 'application/apply-patch+yaml' }),
        201,
      );
      expect(created).toMatchObject({ metadata: { name: 'applied', namespace: ns }, data: { k: 'v' } });
      const again = await expectOk(
        await send('PATCH', `${cms(ns)}/applied?fieldManager=kubectl&force=false`, yaml.replace('k: v', 'k: w'), { 'Content-Type': 'application/apply-patch+yaml' }),
      );
      expect(again.data).toEqual({ k: 'w' });
    });

    it('refuses a server-side apply that is empty, no map, of another version or owning fields, with 400 and nothing changed', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('kept', { k: 'v' }));
      const apply = { 'Content-Type': 'application/apply-patch+yaml' };
      for (const [body, why] of [
        ['', /^Incorrect version specified in apply patch\. Specified patch version: , expected: v1$/],
        ['null', /^Incorrect version specified in apply patch/],
        ['[]', /^error decoding YAML: json: cannot unmarshal array into Go value of type map\[string\]interface \{\}$/],
        ['metadata: {name: kept}\ndata: {k: w}', /Specified patch version: , expected: v1$/],
        ['apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept, managedFields: [{manager: m}]}', /^metadata\.managedFields must be nil$/],
      ] as const) {
        for (const name of ['kept', 'absent']) {
          const refused = await expectStatus(await send('PATCH', `${cms(ns)}/${name}?fieldManager=f`, body, apply), 400, 'BadRequest');
          expect(refused.message).toMatch(why);
        }
      }
      expect((await expectOk(await get(`${cms(ns)}/kept`))).data).toEqual({ k: 'v' });
      await expectStatus(await get(`${cms(ns)}/absent`), 404);
    });

    it('refuses a text/plain patch and a patch without a Content-Type with 415', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('q'));
      await expectStatus(await send('PATCH', `${cms(ns)}/q`, '{"data":{"a":"1"}}', { 'Content-Type': 'text/plain' }), 415, 'UnsupportedMediaType');
      // A Uint8Array body leaves fetch no reason to add a Content-Type.
      const bare = await send('PATCH', `${cms(ns)}/q`, new TextEncoder().encode('{"data":{"a":"1"}}'));
      await expectStatus(bare, 415, 'UnsupportedMediaType');
      expect((await expectOk(await get(`${cms(ns)}/q`))).data).toEqual({});
    });
  });

  describe('DELETE', () => {
    const deps = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;

    it('takes DeleteOptions from the body', async () => {
      const ns = await namespace();
      await send('POST', deps(ns), deployment('d1'));
      const out = await expectOk(await send('DELETE', `${deps(ns)}/d1`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' }));
      expect(out.metadata.finalizers).toContain('foregroundDeletion');
      expect(out.metadata.deletionTimestamp).toBeDefined();
    });

    it('takes DeleteOptions from the query', async () => {
      const ns = await namespace();
      await send('POST', deps(ns), deployment('d2'));
      const out = await expectOk(await send('DELETE', `${deps(ns)}/d2?propagationPolicy=Foreground`));
      expect(out.metadata.finalizers).toContain('foregroundDeletion');
    });

    it('accepts a body of any content type', async () => {
      const ns = await namespace();
      for (const [i, type] of ['text/plain', 'application/octet-stream', 'application/x-whatever'].entries()) {
        await send('POST', cms(ns), cm(`x${i}`));
        const res = await send('DELETE', `${cms(ns)}/x${i}`, '{"propagationPolicy":"Background"}', { 'Content-Type': type });
        expect(res.status, type).toBe(200);
        await expectStatus(await get(`${cms(ns)}/x${i}`), 404);
      }
    });

    it('refuses an unknown propagationPolicy with 400', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('keep'));
      await expectStatus(await send('DELETE', `${cms(ns)}/keep?propagationPolicy=Sideways`), 400, 'BadRequest');
      await expectStatus(await send('DELETE', `${cms(ns)}/keep`, { propagationPolicy: 'Sideways' }), 400, 'BadRequest');
      await expectOk(await get(`${cms(ns)}/keep`));
    });

    it('deletes nothing on a dry run, asked for in the body (kubectl delete --dry-run=server) or the query', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('stays', {}, { app: 'x' }));
      const answered = await expectOk(await send('DELETE', `${cms(ns)}/stays`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }));
      expect(answered.metadata.name).toBe('stays');
      await expectOk(await send('DELETE', `${cms(ns)}?labelSelector=app%3Dx&dryRun=All`));
      await expectOk(await send('DELETE', cms(ns), { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }));
      await expectOk(await get(`${cms(ns)}/stays`));
      await expectStatus(await send('DELETE', `${cms(ns)}/stays`, { dryRun: ['Some'] }), 400, 'BadRequest');
      await expectOk(await get(`${cms(ns)}/stays`));
    });

    it('refuses to delete the namespaces Kubernetes keeps: default, kube-system, kube-public', async () => {
      for (const name of ['default', 'kube-system', 'kube-public']) {
        const res = await expectStatus(await send('DELETE', `/api/v1/namespaces/${name}`), 403, 'Forbidden');
        expect(res.message).toBe(`namespaces "${name}" is forbidden: this namespace may not be deleted`);
        const live = await expectOk(await get(`/api/v1/namespaces/${name}`));
        expect(live.metadata.deletionTimestamp).toBeUndefined();
      }
    });

    it('deletes a collection by label selector', async () => {
      const ns = await namespace();
      for (const [name, app] of [['a', 'x'], ['b', 'x'], ['c', 'y']] as const) await send('POST', cms(ns), cm(name, {}, { app }));
      const out = await expectOk(await send('DELETE', `${cms(ns)}?labelSelector=${encodeURIComponent('app=x')}`));
      expect(out.kind).toBe('ConfigMapList');
      expect(out.items.map((i: Json) => i.metadata.name).sort()).toEqual(['a', 'b']);
      const left = await expectOk(await get(cms(ns)));
      expect(left.items.map((i: Json) => i.metadata.name)).toEqual(['c']);
    });
  });

  describe('subresources', () => {
    it('reads and writes replicas through the scale subresource', async () => {
      const ns = await namespace();
      const path = `/apis/apps/v1/namespaces/${ns}/deployments/web`;
      await send('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment('web', 2));
      const scale = await expectOk(await get(`${path}/scale`));
      expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'web', namespace: ns }, spec: { replicas: 2 }, status: { selector: 'app=web' } });
      // kubectl scale --current-replicas sends the Scale back without a Content-Type.
      const put = await expectOk(await send('PUT', `${path}/scale`, new TextEncoder().encode(JSON.stringify({ ...scale, spec: { replicas: 3 } }))));
      expect(put.spec.replicas).toBe(3);
      const stale = await send('PUT', `${path}/scale`, JSON.stringify({ ...scale, spec: { replicas: 4 } }), { 'Content-Type': 'application/json' });
      await expectStatus(stale, 409, 'Conflict');
      const patched = await expectOk(await send('PATCH', `${path}/scale`, '{"spec":{"replicas":5}}', { 'Content-Type': 'application/merge-patch+json' }));
      expect(patched).toMatchObject({ kind: 'Scale', spec: { replicas: 5 } });
      expect((await expectOk(await get(path))).spec.replicas).toBe(5);
      await expectStatus(await send('PATCH', `${path}/scale`, '{"spec":{"replicas":-1}}', { 'Content-Type': 'application/merge-patch+json' }), 422, 'Invalid');
    });

    it('binds a pod once, and evicts it', async () => {
      const ns = await namespace();
      const path = `/api/v1/namespaces/${ns}/pods`;
      await expectOk(await send('POST', path, pod('p')), 201);
      const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } };
      expect(await expectOk(await send('POST', `${path}/p/binding`, binding), 201)).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 });
      expect((await expectOk(await get(`${path}/p`))).spec.nodeName).toBe('node-1');
      await expectStatus(await send('POST', `${path}/p/binding`, { ...binding, target: { ...binding.target, name: 'node-2' } }), 409, 'Conflict');

      const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: ns } };
      expect(await expectOk(await send('POST', `${path}/p/eviction`, eviction), 201)).toMatchObject({ kind: 'Status', status: 'Success' });
      // A bound pod goes gracefully: it is marked, and its node finishes the deletion.
      expect((await expectOk(await get(`${path}/p`))).metadata.deletionTimestamp).toBeDefined();
      await expectStatus(await send('POST', `${path}/missing/eviction`, eviction), 404, 'NotFound');
    });

    it('answers only the verbs each subresource has: a GET of a binding or a token, a PUT of a log, is a 405', async () => {
      const ns = await namespace();
      await expectOk(await send('POST', `/api/v1/namespaces/${ns}/pods`, pod('p')), 201);
      await expectOk(await send('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'sa' } }), 201);
      await expectStatus(await get(`/api/v1/namespaces/${ns}/pods/p/binding`), 405, 'MethodNotAllowed');
      await expectStatus(await get(`/api/v1/namespaces/${ns}/pods/p/eviction`), 405, 'MethodNotAllowed');
      await expectStatus(await get(`/api/v1/namespaces/${ns}/serviceaccounts/sa/token`), 405, 'MethodNotAllowed');
      await expectStatus(await send('PUT', `/api/v1/namespaces/${ns}/pods/p/log`, pod('p')), 405, 'MethodNotAllowed');
      await expectStatus(await get(`/api/v1/namespaces/${ns}/pods/p/status?watch=true`), 405, 'MethodNotAllowed');
      expect((await expectOk(await get(`/api/v1/namespaces/${ns}/pods/p/status`))).metadata.name).toBe('p');
    });
  });

  describe('lists', () => {
    it('pages with limit and continue, as one snapshot', async () => {
      const ns = await namespace();
      const names = ['a', 'b', 'c', 'd', 'e'];
      for (const n of names) await send('POST', cms(ns), cm(n));
      const first = await expectOk(await get(`${cms(ns)}?limit=2`));
      expect(first.items.map((i: Json) => i.metadata.name)).toEqual(['a', 'b']);
      expect(first.metadata.remainingItemCount).toBe(3);
      expect(typeof first.metadata.continue).toBe('string');
      // Written after the first page: not part of its snapshot.
      await send('POST', cms(ns), cm('f'));
      const seen: string[] = first.items.map((i: Json) => i.metadata.name);
      let token: string | undefined = first.metadata.continue;
      while (token) {
        const page = await expectOk(await get(`${cms(ns)}?limit=2&continue=${encodeURIComponent(token)}`));
        expect(page.items.length).toBeLessThanOrEqual(2);
        expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
        seen.push(...page.items.map((i: Json) => i.metadata.name));
        token = page.metadata.continue;
      }
      expect(seen).toEqual(names);
      await expectStatus(await get(`${cms(ns)}?limit=2&continue=garbage`), 400, 'BadRequest');
      await expectStatus(await get(`${cms(ns)}?limit=abc`), 400, 'BadRequest');
    });
  });

  describe('watch over HTTP', () => {
    const open: Array<ReturnType<typeof watchHttp>> = [];
    const watch = (path: string, headers?: Record<string, string>) => {
      const w = watchHttp(url(path), headers);
      open.push(w);
      return w;
    };
    afterEach(async () => {
      for (const w of open.splice(0)) {
        w.close();
        await w.done;
      }
    });

    it('streams ADDED then later changes, one JSON document a line', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('a', { v: '1' }));
      const w = watch(`${cms(ns)}?watch=true`);
      const res = await w.response;
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      await w.until(1);
      await send('POST', cms(ns), cm('b'));
      await send('PATCH', `${cms(ns)}/a`, '{"data":{"v":"2"}}', { 'Content-Type': 'application/merge-patch+json' });
      await send('DELETE', `${cms(ns)}/b`);
      const events = await w.until(4);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'a'],
        ['ADDED', 'b'],
        ['MODIFIED', 'a'],
        ['DELETED', 'b'],
      ]);
      expect(events[2]!.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', data: { v: '2' } });
    });

    it('from an exact resourceVersion, streams only later events', async () => {
      const ns = await namespace();
      const a = await expectOk(await send('POST', cms(ns), cm('a')), 201);
      await send('POST', cms(ns), cm('b'));
      await send('PATCH', `${cms(ns)}/a`, '{"data":{"v":"2"}}', { 'Content-Type': 'application/merge-patch+json' });
      const w = watch(`${cms(ns)}?watch=true&resourceVersion=${a.metadata.resourceVersion}`);
      const events = await w.until(2);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'b'],
        ['MODIFIED', 'a'],
      ]);
      // Nothing else was pending: the next event is the next change.
      await send('POST', cms(ns), cm('c'));
      expect((await w.until(3))[2]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'c' } } });
    });

    it('ends the stream after timeoutSeconds', async () => {
      const ns = await namespace();
      const w = watch(`${cms(ns)}?watch=true&timeoutSeconds=1`);
      expect((await w.response).status).toBe(200);
      await w.done;
      expect(w.ended).toBe(true);
    });

    it('sends bookmarks when asked', async () => {
      const ns = await namespace();
      const w = watch(`${cms(ns)}?watch=true&allowWatchBookmarks=true`);
      const [bookmark] = await w.until(1, (e) => e.type === 'BOOKMARK');
      expect(bookmark!.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
      expect(bookmark!.object.metadata.resourceVersion).toMatch(/^\d+$/);
    });

    it('streams Events from the store, with no bookmarks: the cache that bookmarks speak for does not hold them', async () => {
      const ns = await namespace();
      const events = watch(`/api/v1/namespaces/${ns}/events?watch=true&allowWatchBookmarks=true`);
      const configmaps = watch(`${cms(ns)}?watch=true&allowWatchBookmarks=true`);
      expect((await events.response).status).toBe(200);
      const event = { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'web' }, reason: 'Started', message: 'Started container web', type: 'Normal' };
      await expectOk(await send('POST', `/api/v1/namespaces/${ns}/events`, JSON.stringify(event), { 'Content-Type': 'application/json' }), 201);
      expect((await events.until(1))[0]).toMatchObject({ type: 'ADDED', object: { kind: 'Event', metadata: { name: 'e' }, reason: 'Started' } });
      // Bookmarks come every 50 ms here: by three of them on the other watch, the Events watch would have had one.
      await configmaps.until(3, (e) => e.type === 'BOOKMARK');
      await send('PATCH', `/api/v1/namespaces/${ns}/events/e`, '{"count":2}', { 'Content-Type': 'application/merge-patch+json' });
      const seen = await events.until(2);
      expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
      expect(seen[1]!.object).toMatchObject({ count: 2 });
    });

    it('watches one object by name', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('one'));
      await send('POST', cms(ns), cm('two'));
      const w = watch(`${cms(ns)}/one?watch=true`);
      await w.until(1);
      await send('PATCH', `${cms(ns)}/two`, '{"data":{"v":"2"}}', { 'Content-Type': 'application/merge-patch+json' });
      await send('PATCH', `${cms(ns)}/one`, '{"data":{"v":"2"}}', { 'Content-Type': 'application/merge-patch+json' });
      const events = await w.until(2);
      expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
        ['ADDED', 'one'],
        ['MODIFIED', 'one'],
      ]);
    });

    // kube-apiserver decodes the list options before it starts a watch: bad ones are a plain 400,
    // not a 200 stream carrying an ERROR event (that form is only for history that expired).
    it('refuses a bad timeoutSeconds, selector or resourceVersion before streaming', async () => {
      const ns = await namespace();
      await expectStatus(await get(`${cms(ns)}?watch=true&timeoutSeconds=x`), 400, 'BadRequest');
      await expectStatus(await get(`${cms(ns)}?watch=true&labelSelector=${encodeURIComponent('a in (')}`), 400, 'BadRequest');
      await expectStatus(await get(`${cms(ns)}?watch=true&fieldSelector=${encodeURIComponent('spec.nope=x')}`), 400, 'BadRequest');
      await expectStatus(await get(`${cms(ns)}?watch=true&resourceVersion=abc`), 400, 'BadRequest');
    });
  });

  describe('watch over WebSocket', () => {
    it('refuses an upgrade it cannot serve with a whole answer and its Status, so the client can say why', async () => {
      const answer = (path: string) =>
        new Promise<{ status: number; body: Json }>((resolve, reject) => {
          const ws = new WebSocket(`ws://127.0.0.1:${s.port}${path}`);
          ws.once('unexpected-response', (_req, res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }));
          });
          ws.once('open', () => reject(new Error(`${path} was upgraded`)));
          ws.once('error', () => undefined);
        });
      const exec = await answer('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true');
      expect(exec.status).toBe(400);
      expect(exec.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: expect.stringContaining('pods/exec is not supported') });
      const nowhere = await answer('/api/v1/nowhere');
      expect(nowhere.status).toBe(404);
      expect(nowhere.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    });

    it('receives ADDED then MODIFIED messages', async () => {
      const ns = await namespace();
      const ws = new WebSocket(`ws://127.0.0.1:${s.port}${cms(ns)}?watch=true`);
      const messages: Json[] = [];
      ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Json));
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      const until = async (n: number) => {
        const deadline = Date.now() + 10_000;
        while (messages.length < n) {
          if (Date.now() > deadline) throw new Error(`expected ${n} messages, got ${JSON.stringify(messages)}`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      try {
        // Whether the watch starts before or after the create, the object arrives as ADDED.
        await send('POST', cms(ns), cm('w', { v: '1' }));
        await until(1);
        await send('PATCH', `${cms(ns)}/w`, '{"data":{"v":"2"}}', { 'Content-Type': 'application/merge-patch+json' });
        await until(2);
        expect(messages.map((m) => [m.type, m.object.metadata.name, m.object.data.v])).toEqual([
          ['ADDED', 'w', '1'],
          ['MODIFIED', 'w', '2'],
        ]);
      } finally {
        ws.close();
      }
    });
  });

  describe('bad input', () => {
    it('answers malformed JSON and YAML with 400', async () => {
      const ns = await namespace();
      const json = await expectStatus(await send('POST', cms(ns), '{"metadata":', { 'Content-Type': 'application/json' }), 400, 'BadRequest');
      expect(json.message).toBe('the request body is not valid JSON: unexpected end of JSON input');
      // Where it goes wrong, in Go's words (not the JavaScript engine's, which change from one Node to the next).
      const patched = await expectStatus(await send('PATCH', `${cms(ns)}/x`, '{spec:{replicas:2}}', { 'Content-Type': 'application/strategic-merge-patch+json' }), 400, 'BadRequest');
      expect(patched.message).toBe("the request body is not valid JSON: invalid character 's' looking for beginning of object key string");
      await expectStatus(await send('POST', cms(ns), 'metadata: {name: [x', { 'Content-Type': 'application/yaml' }), 400, 'BadRequest');
      await expectStatus(await send('PUT', `${cms(ns)}/x`, '{', { 'Content-Type': 'application/json' }), 400, 'BadRequest');
      await expectStatus(await send('PATCH', `${cms(ns)}/x`, '{', { 'Content-Type': 'application/merge-patch+json' }), 400, 'BadRequest');
    });

    it('accepts a YAML create body', async () => {
      const ns = await namespace();
      const out = await expectOk(await send('POST', cms(ns), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n', { 'Content-Type': 'application/yaml' }), 201);
      expect(out.data).toEqual({ k: 'v' });
    });

    it('refuses a body over 3 MiB with 413', async () => {
      const ns = await namespace();
      const big = JSON.stringify(cm('big', { k: 'x'.repeat(3 * 1024 * 1024 + 10) }));
      await expectStatus(await send('POST', cms(ns), big, { 'Content-Type': 'application/json' }), 413, 'RequestEntityTooLarge');
      await expectStatus(await get(`${cms(ns)}/big`), 404);
    });

    it('answers an unknown resource path with a 404 Status', async () => {
      await expectStatus(await get('/api/v1/namespaces/default/widgets'), 404, 'NotFound');
      await expectStatus(await get('/apis/apps/v1/namespaces/default/deployments/web/nope'), 404, 'NotFound');
      await expectStatus(await get('/api/v1/namespaces/default/configmaps/a/b/c'), 404, 'NotFound');
      await expectStatus(await get('/nope'), 404, 'NotFound');
    });

    it('answers an unsupported method with 405', async () => {
      const ns = await namespace();
      await send('POST', cms(ns), cm('m'));
      await expectStatus(await send('PUT', cms(ns), cm('m')), 405, 'MethodNotAllowed');
      await expectStatus(await send('PATCH', cms(ns), '{}', { 'Content-Type': 'application/merge-patch+json' }), 405, 'MethodNotAllowed');
      await expectStatus(await send('POST', `${cms(ns)}/m`, cm('m')), 405, 'MethodNotAllowed');
    });

    it('refuses a JSON array as a create body with 400', async () => {
      const ns = await namespace();
      await expectStatus(await send('POST', cms(ns), [cm('arr')]), 400, 'BadRequest');
      await expectStatus(await send('POST', cms(ns), '"just a string"', { 'Content-Type': 'application/json' }), 400, 'BadRequest');
      await expectStatus(await send('POST', cms(ns), 'null', { 'Content-Type': 'application/json' }), 400, 'BadRequest');
    });

    // kube-apiserver (Go's net/http) refuses a path with a broken percent-escape with 400.
    it('answers a malformed percent-escape in a path with a 400 Status', async () => {
      for (const path of ['/api/v1/namespaces/%zz/configmaps', '/api/v1/namespaces/default/configmaps/%E0%A4%A', '/api/%zz', '/apis/apps/%zz', '/openapi/v3/%zz']) {
        await expectStatus(await get(path), 400, 'BadRequest');
      }
    });

    // Real objects nest about twenty levels; minik refuses bodies deeper than 100 up front (kube's
    // decoder allows 10000) so that no recursive step after it can run out of stack.
    it('takes a body nested 90 levels deep, and refuses one nested deeper than 100 with 400', async () => {
      const ns = await namespace();
      const nest = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const created = await send('POST', cms(ns), `{"metadata":{"name":"deep"},"x":${nest(90)}}`, { 'Content-Type': 'application/json' });
      expect(created.status, (await created.text()).slice(0, 300)).toBe(201);
      const patched = await send('PATCH', `${cms(ns)}/deep`, `{"x":${nest(90)}}`, { 'Content-Type': 'application/strategic-merge-patch+json' });
      expect(patched.status, (await patched.text()).slice(0, 300)).toBe(200);
      for (const depth of [101, 10_001, 100_000]) {
        await expectStatus(await send('PUT', `${cms(ns)}/deep`, `{"metadata":{"name":"deep"},"x":${nest(depth)}}`, { 'Content-Type': 'application/json' }), 400, 'BadRequest');
      }
    });

    it('answers resource names and node selectors that are no names with 422, __proto__ and constructor too', async () => {
      const ns = await namespace();
      const pods = `/api/v1/namespaces/${ns}/pods`;
      const json = { 'Content-Type': 'application/json' };
      const withRequests = (name: string, requests: string) =>
        `{"metadata":{"name":"${name}"},"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":${requests}}}]}}`;
      for (const [name, requests] of [
        ['proto', '{"__proto__":"1"}'],
        ['ctor', '{"constructor":"1"}'],
        ['foo', '{"foo":"1"}'],
      ] as const) {
        const bad = await expectStatus(await send('POST', pods, withRequests(name, requests), json), 422, 'Invalid');
        expect(bad.message).toContain('must be a standard resource for containers');
      }
      const selector = await expectStatus(await send('POST', pods, '{"metadata":{"name":"sel"},"spec":{"containers":[{"name":"c","image":"i"}],"nodeSelector":{"bad key!":"x"}}}', json), 422, 'Invalid');
      expect(selector.details.causes[0]).toMatchObject({ field: 'spec.nodeSelector', reason: 'FieldValueInvalid' });
      await expectOk(await send('POST', pods, withRequests('gpu', '{"example.com/gpu":"1"}').replace('"requests"', '"limits"'), json), 201);
    });

    it('refuses an unknown create Content-Type with 415', async () => {
      const ns = await namespace();
      await expectStatus(await send('POST', cms(ns), JSON.stringify(cm('t')), { 'Content-Type': 'text/plain' }), 415, 'UnsupportedMediaType');
    });
  });
});

describe('watch history', () => {
  let s: Served;
  afterEach(async () => {
    await s.close();
  });

  it('answers a too-old resourceVersion with 200, one 410 Expired ERROR, and the end of the stream', async () => {
    s = await serve({ historySize: 2 });
    const path = `${s.base}/api/v1/namespaces/default/configmaps`;
    const post = (name: string) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cm(name)) });
    const first = await expectOk(await post('old'), 201);
    for (const n of ['n1', 'n2', 'n3', 'n4']) await expectOk(await post(n), 201);
    // A consistent list waits for the cache to see every write, so its history has moved on.
    await expectOk(await fetch(path));
    const w = watchHttp(`${path}?watch=true&resourceVersion=${first.metadata.resourceVersion}`);
    expect((await w.response).status).toBe(200);
    await w.done;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired' } });
    expect(w.events[0]!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
  });
});

describe('shutdown', () => {
  let s: Served;
  afterEach(async () => {
    await s.close();
  });

  it('ends open watches on close, and stops being ready', async () => {
    s = await serve();
    const path = '/api/v1/namespaces/default/configmaps';
    const http = watchHttp(`${s.base}${path}?watch=true`);
    expect((await http.response).status).toBe(200);
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}${path}?watch=true`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const wsClosed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    expect((await fetch(`${s.base}/readyz`)).status).toBe(200);

    s.api.close();
    await http.done;
    expect(http.ended).toBe(true);
    expect([1000, 1001]).toContain(await wsClosed);
    const ready = await fetch(`${s.base}/readyz`);
    expect(ready.status).toBe(503);
    await ready.text();
    await expectStatus(await fetch(`${s.base}${path}?watch=true`), 503, 'ServiceUnavailable');
  });
});
