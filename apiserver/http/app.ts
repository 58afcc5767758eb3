import express, { type Request, type Response } from 'express';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Logger } from '../../api/log.js';
import { silentLogger } from '../../api/log.js';
import type { ResourceType } from '../../api/resources.js';
import type { FieldValidation } from '../decode.js';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery } from '../discovery/aggregated.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../discovery/legacy.js';
import { openapiDocument, openapiIndex } from '../discovery/openapi.js';
import { wantsAggregated } from '../discovery/wants-aggregated.js';
import { Code, StoreError } from '../../store/errors.js';
import { ApiError } from '../errors.js';
import type { DeleteOptions, ListOptions, Registry, WriteOptions } from '../registry.js';
import { toTable } from '../table/table.js';
import { serializedJsonOnce, type WatchCache } from '../watch-cache.js';
import { sendList } from './list-body.js';
import { isProtobuf, parseObjectBody, parseOptionalBody, parsePatchBody, readBody } from './body.js';
import type { ApiMetrics } from './metrics.js';
import { healthEndpoint, type HealthCheck } from './health.js';
import { parseResourcePath, type ResourceRequest } from './request-info.js';
import { servePodLog } from './pod-log.js';
import { createWatchServer, type WatchRequest } from './watch.js';
import { serveDashboard } from '../../dashboard/serve.js';
import { serveMetrics } from '../metrics-api.js';
import { reviewFor } from '../reviews.js';
import { issueToken } from '../token-request.js';
import { VERSION } from '../../api/version.js';

export interface ApiAppDeps {
  registry: Registry;
  cache: WatchCache;
  metrics: ApiMetrics;
  logger?: Logger;
  now?: () => number;
  /** How the server names itself in legacy discovery. */
  address?: string;
  bookmarkIntervalMs?: number;
}

export interface ApiApp {
  /**
   * The HTTP server's request listener. Resource requests, nearly all the traffic, are served
   * straight from it; everything else (discovery, health, the dashboard, ...) goes through `app`.
   */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Serves every path, resource requests too, but through express's routing. */
  app: express.Express;
  /** For the HTTP server's 'upgrade' event: watches over WebSocket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops being ready and ends every watch. */
  close(): void;
}

/**
 * The API's HTTP face. It only translates: a path and method into a registry call, its result or
 * ApiError into a response. Client mistakes are 4xx Status objects, never 5xx.
 */
export function createApiApp(deps: ApiAppDeps): ApiApp {
  const { registry, cache, metrics } = deps;
  const log = deps.logger ?? silentLogger();
  const now = deps.now ?? Date.now;
  let closing = false;
  const watches = createWatchServer({
    registry,
    now,
    cacheRevision: () => cache.revision,
    bookmarkIntervalMs: deps.bookmarkIntervalMs ?? 60_000,
  });
  const wss = new WebSocketServer({ noServer: true });

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  /** What each request was, once known: its metrics and log line name it. */
  const described = new WeakMap<ServerResponse, { verb: string; resource: string }>();
  const instrument = (req: IncomingMessage, res: ServerResponse) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const info = described.get(res);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.observe(info?.verb ?? 'other', info?.resource ?? '', res.statusCode, seconds);
      log.info({ method: req.method, path: req.url, code: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
    });
  };
  app.use((req, res, next) => {
    // Served by `handle` before it handed the request on: already instrumented.
    if (!handedOn.has(req)) instrument(req, res);
    next();
  });

  // The self-reviews of kubectl auth can-i and whoami: computed answers to a create.
  app.all(/^\/apis\/(authentication|authorization)\.k8s\.io\/v1\/([^/]+)\/?$/, async (req, res, next) => {
    const answer = reviewFor(`${req.params[0]}.k8s.io`, String(req.params[1]));
    if (!answer) return next();
    try {
      if (req.method !== 'POST') throw ApiError.methodNotAllowed();
      described.set(res, { verb: 'create', resource: `${String(req.params[1])}.${req.params[0]}.k8s.io` });
      sendJson(res, 201, answer(parseObjectBody(req, await readBody(req))));
    } catch (err) {
      fail(res, err);
    }
  });

  // The resource metrics API (what metrics-server would serve): computed, read-only.
  app.all(/^\/apis\/metrics\.k8s\.io\/v1beta1\/./, async (req, res) => {
    try {
      let parts: string[];
      try {
        parts = req.path.split('/').filter(Boolean).slice(3).map(decodeURIComponent);
      } catch {
        throw ApiError.badRequest(`malformed escape in the path: ${req.path}`);
      }
      const [namespace, rest] = parts[0] === 'namespaces' && parts.length >= 3 ? [parts[1], parts.slice(2)] : [undefined, parts];
      const [resource, name, ...extra] = rest;
      if ((resource !== 'nodes' && resource !== 'pods') || extra.length > 0 || (resource === 'nodes' && namespace !== undefined)) throw ApiError.pathNotFound(req.path);
      const q = req.query as Record<string, string | undefined>;
      if (req.method !== 'GET' || q.watch === 'true' || q.watch === '1') throw ApiError.methodNotAllowed(`the server does not allow this method on the requested resource`);
      described.set(res, { verb: name ? 'get' : 'list', resource: `${resource}.metrics.k8s.io` });
      res.json(await serveMetrics(registry, { resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}), labelSelector: q.labelSelector, fieldSelector: q.fieldSelector }, now()));
    } catch (err) {
      fail(res, err);
    }
  });

  // Resource requests are nearly all the traffic: they go first, before the routes of everything else.
  app.use(async (req, res, next) => {
    let info: ResourceRequest | undefined;
    try {
      info = parseResourcePath(req.path);
      if (!info) return next();
      await serveResource(req, res, info, req.query as Query);
    } catch (err) {
      fail(res, err);
    }
  });

  app.get('/version', (_req, res) => void res.json(VERSION));
  const ping: HealthCheck = { name: 'ping', check: () => undefined };
  const etcd: HealthCheck = { name: 'etcd', check: () => registry.ping() };
  const synced: HealthCheck = {
    name: 'informer-sync',
    check: () => {
      if (!cache.synced) throw new Error('the watch cache has not listed the store yet');
    },
  };
  const shutdown: HealthCheck = {
    name: 'shutdown',
    check: () => {
      if (closing) throw new Error('shutting down');
    },
  };
  const live = healthEndpoint('livez', [ping]);
  const healthy = healthEndpoint('healthz', [ping, etcd]);
  const ready = healthEndpoint('readyz', [ping, etcd, synced, shutdown]);
  app.get(['/livez', '/livez/:check'], live);
  app.get(['/healthz', '/healthz/:check'], healthy);
  app.get(['/readyz', '/readyz/:check'], ready);
  app.get('/metrics', async (_req, res) => {
    metrics.watchers.set(watches.count);
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get(['/api', '/apis'], (req, res) => {
    const scope = req.path === '/api' ? 'core' : 'groups';
    if (wantsAggregated(req.headers.accept)) {
      res.setHeader('Content-Type', AGGREGATED_CONTENT_TYPE);
      res.setHeader('Vary', 'Accept');
      return void res.send(JSON.stringify(aggregatedDiscovery(scope)));
    }
    res.json(scope === 'core' ? apiVersions(deps.address ?? `${req.hostname}`) : apiGroupList());
  });
  app.get('/api/:version', (req, res) => sendOr404(res, req.path, apiResourceList('', String(req.params.version))));
  app.get('/apis/:group', (req, res) => sendOr404(res, req.path, apiGroup(String(req.params.group))));
  app.get('/apis/:group/:version', (req, res) =>
    sendOr404(res, req.path, apiResourceList(String(req.params.group), String(req.params.version))),
  );
  app.get('/openapi/v3', (_req, res) => void res.json(openapiIndex()));
  app.get(/^\/openapi\/v3\/(.+)$/, (req, res) => sendOr404(res, req.path, openapiDocument(req.path.slice('/openapi/v3/'.length))));
  app.get('/openapi/v2', (req, res) => fail(res, ApiError.pathNotFound(req.path)));
  // The class dashboard: static files, a plain client of this same API.
  app.use('/ui', serveDashboard());

  app.use((req, res) => fail(res, ApiError.pathNotFound(req.path)));

  async function serveResource(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, q: Query): Promise<void> {
    const { resource: r, namespace: ns, name, subresource: sub } = info;
    const write = writeOptions(q, req.headers['user-agent']);
    if (write.fieldValidation === 'Strict' && isProtobuf(req)) write.fieldValidation = 'Warn';
    const verb = verbOf(req.method ?? 'GET', info, q);
    described.set(res, { verb, resource: sub ? `${r.resource}/${sub}` : r.resource });
    // A subresource answers only its own verbs: pods/binding takes a create, and a GET of it is a 405.
    const subresource = sub ? r.subresources.find((s) => s.name === sub) : undefined;
    if (subresource && !subresource.verbs.includes(verb)) throw ApiError.methodNotAllowed();
    if (closing && verb === 'watch') throw ApiError.unavailable('the API server is shutting down');

    switch (verb) {
      case 'get': {
        const obj = sub === 'scale' ? await registry.getScale(r, ns, name!) : await registry.get(r, ns, name!, pick(q, 'resourceVersion'));
        if (sub === 'log') return servePodLog({ registry }, q, res, obj);
        return respond(req, res, q, r, 200, obj);
      }
      case 'list': {
        const list = await registry.list(r, ns, listOptions(q));
        if (wantsTable(req)) {
          return sendJson(res, 200, toTable(r, list.items, {
            now: now(),
            resourceVersion: list.resourceVersion,
            includeObject: includeObject(q),
            ...(list.continue ? { continue: list.continue } : {}),
            ...(list.remainingItemCount !== undefined ? { remainingItemCount: list.remainingItemCount } : {}),
          }));
        }
        const metadata: Record<string, unknown> = { resourceVersion: list.resourceVersion };
        if (list.continue) metadata.continue = list.continue;
        if (list.remainingItemCount !== undefined) metadata.remainingItemCount = list.remainingItemCount;
        return sendList(res, { kind: `${r.kind}List`, apiVersion: registry.apiVersion(r), metadata }, list.items);
      }
      case 'watch':
        return watches.http(res, watchRequest(req, r, ns, q, name));
      case 'create': {
        const body = parseObjectBody(req, await readBody(req));
        if (sub === 'binding') {
          await registry.bind(ns!, name!, body, write);
          return sendJson(res, 201, success());
        }
        if (sub === 'eviction') {
          await registry.evict(ns!, name!, body, write);
          return sendJson(res, 201, success());
        }
        if (sub === 'token') return sendJson(res, 201, issueToken(await registry.get(r, ns, name!), body, now()));
        if (name) throw ApiError.methodNotAllowed();
        const created = await registry.create(r, ns, body, write);
        return respond(req, res, q, r, 201, created.object, created.warnings);
      }
      case 'update': {
        const body = parseObjectBody(req, await readBody(req));
        if (sub === 'scale') return respond(req, res, q, r, 200, await registry.updateScale(r, ns, name!, { put: body }, write));
        const out = sub === 'status' ? await registry.updateStatus(r, ns, name!, body, write) : await registry.update(r, ns, name!, body, write);
        return respond(req, res, q, r, 200, out.object, out.warnings);
      }
      case 'patch': {
        const { type, patch } = parsePatchBody(req, await readBody(req));
        if (type === 'apply' && !write.fieldManager) throw ApiError.badRequest('fieldManager is required for apply requests');
        if (sub === 'scale') return respond(req, res, q, r, 200, await registry.updateScale(r, ns, name!, { type, patch }, write));
        const out = await registry.patch(r, ns, name!, type, patch, write, sub === 'status' ? 'status' : 'main');
        return respond(req, res, q, r, out.created ? 201 : 200, out.object, out.warnings);
      }
      case 'delete': {
        const opts = deleteOptions(q, parseOptionalBody(req, await readBody(req)));
        return respond(req, res, q, r, 200, await registry.delete(r, ns, name!, { ...opts, ...(write.dryRun ? { dryRun: true } : {}) }));
      }
      case 'deletecollection': {
        const opts = deleteOptions(q, parseOptionalBody(req, await readBody(req)));
        const list = await registry.deleteCollection(r, ns, listOptions(q), { ...opts, ...(write.dryRun ? { dryRun: true } : {}) });
        return sendJson(res, 200, { kind: `${r.kind}List`, apiVersion: registry.apiVersion(r), metadata: { resourceVersion: list.resourceVersion }, items: list.items });
      }
      default:
        throw ApiError.methodNotAllowed();
    }
  }

  function respond(req: IncomingMessage, res: ServerResponse, q: Query, r: ResourceType, code: number, obj: unknown, warnings: string[] = []): void {
    if (warnings.length > 0) res.setHeader('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
    if (wantsTable(req)) {
      const rv = String(((obj as { metadata?: { resourceVersion?: string } }).metadata ?? {}).resourceVersion ?? '');
      return sendJson(res, code, toTable(r, [obj], { now: now(), resourceVersion: rv, includeObject: includeObject(q) }));
    }
    sendJson(res, code, obj);
  }

  function fail(res: ServerResponse, err: unknown): void {
    const e = toApiError(err);
    if (e.code >= 500) log.error({ err }, 'request failed');
    if (res.headersSent) return void res.end();
    sendJson(res, e.code, e.status());
  }

  function watchRequest(req: IncomingMessage, r: ResourceType, ns: string | undefined, q: Record<string, string | undefined>, name?: string): WatchRequest {
    const list = listOptions(q);
    // A watch on one object: kubectl get X -w.
    if (name) list.fieldSelector = [list.fieldSelector, `metadata.name=${name}`].filter(Boolean).join(',');
    const w: WatchRequest = { resource: r, namespace: ns, list, bookmarks: q.allowWatchBookmarks === 'true', table: wantsTable(req) };
    if (q.timeoutSeconds) w.timeoutSeconds = integer(q.timeoutSeconds, 'timeoutSeconds');
    return w;
  }

  // Whatever express itself refuses (a malformed escape in a route's parameters) still answers a Status.
  app.use((err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
    fail(res, err instanceof ApiError ? err : status && status < 500 ? ApiError.badRequest((err as Error).message) : err);
  });

  /** Requests `handle` gave to express, so that express's own instrumenting skips them. */
  const handedOn = new WeakSet<IncomingMessage>();

  return {
    app,
    handle(req, res) {
      instrument(req, res);
      const url = req.url ?? '/';
      const at = url.indexOf('?');
      const path = at < 0 ? url : url.slice(0, at);
      let info: ResourceRequest | undefined;
      try {
        info = path.startsWith('/') ? parseResourcePath(path) : undefined;
      } catch {
        // Not a resource this table has: the computed APIs (reviews, metrics) have routes of their
        // own, and express's resource route answers anything else with the same error.
        info = undefined;
      }
      if (!info) {
        handedOn.add(req);
        return void app(req, res);
      }
      // The query parser express is set to ('simple'), so both ways read a query alike.
      const q = (at < 0 ? {} : parseQuery(url.slice(at + 1))) as Query;
      serveResource(req, res, info, q).catch((err: unknown) => fail(res, err));
    },
    upgrade(req, socket, head) {
      let info: ResourceRequest | undefined;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const q = Object.fromEntries(url.searchParams) as Record<string, string>;
      try {
        info = parseResourcePath(url.pathname);
        if (!info || info.subresource) throw ApiError.pathNotFound(url.pathname);
        if (closing) throw ApiError.unavailable('the API server is shutting down');
      } catch (err) {
        return refuseUpgrade(socket, err instanceof ApiError ? err : ApiError.pathNotFound(url.pathname));
      }
      const ok = info;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const w: WatchRequest = {
          resource: ok.resource,
          namespace: ok.namespace,
          list: listOptions(q),
          bookmarks: q.allowWatchBookmarks === 'true',
          table: false,
        };
        if (ok.name) w.list.fieldSelector = [w.list.fieldSelector, `metadata.name=${ok.name}`].filter(Boolean).join(',');
        void watches.ws(ws, w);
      });
    },
    close() {
      closing = true;
      watches.closeAll();
      for (const c of wss.clients) c.close(1001);
    },
  };
}

type Query = Record<string, string | undefined>;

function verbOf(method: string, info: ResourceRequest, q: Record<string, string | undefined>): string {
  const watch = q.watch === 'true' || q.watch === '1';
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch) return 'watch';
      return info.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return info.name ? 'update' : 'none';
    case 'PATCH':
      return info.name ? 'patch' : 'none';
    case 'DELETE':
      return info.name ? (info.subresource ? 'none' : 'delete') : 'deletecollection';
    default:
      return 'none';
  }
}

function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',')[0]!.includes('as=Table');
}

function includeObject(q: Record<string, string | undefined>): 'None' | 'Metadata' | 'Object' {
  const v = q.includeObject;
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function pick(q: Record<string, string | undefined>, key: 'resourceVersion'): { resourceVersion?: string } {
  return q[key] !== undefined ? { [key]: q[key] } : {};
}

function integer(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw ApiError.badRequest(`invalid value for ${name}: ${v}`);
  return n;
}

function listOptions(q: Record<string, string | undefined>): ListOptions {
  const out: ListOptions = {};
  if (q.labelSelector) out.labelSelector = q.labelSelector;
  if (q.fieldSelector) out.fieldSelector = q.fieldSelector;
  if (q.limit) out.limit = integer(q.limit, 'limit');
  if (q.continue) out.continue = q.continue;
  if (q.resourceVersion !== undefined) out.resourceVersion = q.resourceVersion;
  if (q.resourceVersionMatch !== undefined) out.resourceVersionMatch = q.resourceVersionMatch;
  return out;
}

function writeOptions(q: Record<string, string | undefined>, userAgent: string | undefined): WriteOptions {
  const out: WriteOptions = {};
  if (q.dryRun !== undefined) {
    if (q.dryRun !== 'All') throw ApiError.badRequest(`Invalid dry run value: ${q.dryRun}; the only supported value is All`);
    out.dryRun = true;
  }
  if (q.fieldValidation !== undefined) {
    if (!['Strict', 'Warn', 'Ignore'].includes(q.fieldValidation)) {
      throw ApiError.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${q.fieldValidation}`);
    }
    out.fieldValidation = q.fieldValidation as FieldValidation;
  }
  // A repeated parameter counts once, by its first value, as Kubernetes reads query options.
  const fieldManager = first(q.fieldManager);
  if (fieldManager) {
    if (Buffer.byteLength(fieldManager) > 128) throw ApiError.badRequest('fieldManager: Too long: must have at most 128 bytes');
    out.fieldManager = fieldManager;
  }
  // Kubernetes names a manager that named none after its client: "kubectl/v1.32 (linux)" is kubectl.
  const agent = userAgent?.split('/')[0]?.trim();
  if (agent) out.defaultManager = agent.slice(0, 128);
  if (first(q.force) === 'true') out.force = true;
  return out;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? (typeof v[0] === 'string' ? v[0] : undefined) : v;
}

const POLICIES = ['Background', 'Foreground', 'Orphan'] as const;

/** DeleteOptions from the body (kubectl) or the query (client-node); the body wins. */
function deleteOptions(q: Record<string, string | undefined>, body: unknown): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out: DeleteOptions = {};
  const policy = (b.propagationPolicy ?? q.propagationPolicy) as string | undefined;
  if (policy !== undefined) {
    if (!POLICIES.includes(policy as (typeof POLICIES)[number])) {
      throw ApiError.badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`);
    }
    out.propagationPolicy = policy as DeleteOptions['propagationPolicy'] & string;
  }
  if (b.orphanDependents === true || q.orphanDependents === 'true') out.propagationPolicy ??= 'Orphan';
  const grace = b.gracePeriodSeconds ?? q.gracePeriodSeconds;
  if (grace !== undefined) {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw ApiError.badRequest(`invalid gracePeriodSeconds: ${String(grace)}`);
    out.gracePeriodSeconds = n;
  }
  if (b.preconditions && typeof b.preconditions === 'object') out.preconditions = b.preconditions as DeleteOptions['preconditions'] & object;
  // `kubectl delete --dry-run=server` says so in the body, not the query.
  if (b.dryRun !== undefined) {
    const values = Array.isArray(b.dryRun) ? b.dryRun : [b.dryRun];
    const bad = values.find((v) => v !== 'All');
    if (bad !== undefined) throw ApiError.badRequest(`Invalid dry run value: ${String(bad)}; the only supported value is All`);
    if (values.length > 0) out.dryRun = true;
  }
  return out;
}

/** A store that cannot be reached is the server being unavailable (503), not a bug of its own (500). */
function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreError && err.code === Code.Unavailable) return ApiError.unavailable(`the store is unavailable: ${err.message}`);
  return ApiError.internal((err as Error)?.message ?? String(err));
}

function success(): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const data = serializedJsonOnce(body) ?? JSON.stringify(body);
  res.statusCode = code;
  res.setHeader('Content-Type', 'application/json');
  res.end(data);
}

function sendOr404(res: Response, path: string, body: unknown): void {
  if (body === undefined) return sendJson(res, 404, ApiError.pathNotFound(path).status());
  sendJson(res, 200, body);
}

/** An upgrade (WebSocket) refused with a whole HTTP answer and its Status, so the client can say why. */
function refuseUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.status());
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
