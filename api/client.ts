import type { Pool } from 'undici';
import { connections, origin, send, streamLines, type Origin } from './_http.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import type { ObjectMeta, Status } from './schemas/meta.js';

/**
 * The typed client every minik component talks to the API server through. Paths come from the
 * resource table; a non-2xx answer throws an ApiClientError carrying the server's Status.
 *
 *   const client = new ApiClient({ server: 'http://127.0.0.1:6443' });
 *   const cms = resolveResource('configmaps')!;
 *   await client.create(cms, 'default', { metadata: { name: 'app' }, data: { mode: 'fast' } });
 *   await client.create(cms, 'default', { metadata: { name: 'app' } });
 *     // throws ApiClientError: 409 AlreadyExists, 'configmaps "app" already exists'
 *   const { items, resourceVersion } = await client.list(cms, 'default');
 *   const w = client.watch(cms, 'default', { resourceVersion }, (e) => console.log(e.type, e.object.metadata?.name));
 *   w.stop();
 */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ApiClientOptions {
  /** Where the API server listens, e.g. http://127.0.0.1:6443. */
  server: string;
  /** How long a request (not a watch) may take; 30 s unless told. */
  timeoutMs?: number;
  /** The program asking, e.g. `minik-scheduler`: the API server records the fields it writes under that name. */
  userAgent?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /** `Exact`: the list as it was at `resourceVersion` (410 once compacted); `NotOlderThan`, the default: at least that fresh. */
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export interface WatchOptions {
  resourceVersion: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WatchEvent<T = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  /** The object; a Status for ERROR, a bare metadata.resourceVersion for BOOKMARK. */
  object: T;
}

export interface Watch {
  stop(): void;
  /** Settles when the stream ends: resolved on a clean end or stop(), rejected if it could not open. */
  done: Promise<void>;
}

const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

/** A non-2xx answer, with the Status the server sent (or one made up from a body that was not one). */
export class ApiClientError extends Error {
  readonly code: number;
  readonly reason: string;

  constructor(readonly status: Status) {
    super(status.message ?? `the server answered ${status.code ?? '?'}`);
    this.name = 'ApiClientError';
    this.code = status.code ?? 0;
    this.reason = status.reason ?? 'Unknown';
  }

  static fromAnswer(code: number, body: string): ApiClientError {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    const s = parsed as Partial<Status> | undefined;
    if (s && s.kind === 'Status') return new ApiClientError({ ...(s as Status), code: s.code ?? code });
    return new ApiClientError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason: 'Unknown', message: body.slice(0, 500) || `the server answered ${code}` });
  }
}

const hasReason = (reason: string) => (err: unknown): err is ApiClientError => err instanceof ApiClientError && err.reason === reason;
export const isNotFound = hasReason('NotFound');
export const isAlreadyExists = hasReason('AlreadyExists');
/** 409 Conflict: a stale resourceVersion; read again and retry. */
export const isConflict = hasReason('Conflict');
export const isInvalid = hasReason('Invalid');
export const isExpired = (err: unknown): err is ApiClientError => err instanceof ApiClientError && err.code === 410;

/**
 * What components need of an API client: the verbs of ApiClient, whatever carries them. The HTTP
 * ApiClient is one; the simulated cluster's in-process client (sim/in-process-client.ts), which
 * calls the API server's logic with no sockets, is another. Components take an `Api`, so the same
 * scheduler and controllers run in both.
 */
export type Api = Pick<ApiClient, 'get' | 'list' | 'create' | 'update' | 'updateStatus' | 'patch' | 'delete' | 'bind' | 'watch' | 'close'>;

/** The most connections one client keeps to the API server for requests (watches have their own). */
const CONNECTIONS = 256;

export class ApiClient {
  private readonly server: Origin;
  private readonly timeoutMs: number;
  // Requests share connections; every watch gets its own so that a long stream never blocks a request.
  // The connections a burst opens are all kept: a node simulator renewing 1,000 Leases at once
  // reconnected hundreds of sockets on every beat when only 256 were (10,000 pods Ready in 182 s
  // with them kept, 230 s before). Past 256 in flight, requests wait for a connection.
  private pool: Pool | undefined;

  private readonly userAgent: string;

  constructor(opts: ApiClientOptions) {
    this.server = origin(opts.server);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.userAgent = `${opts.userAgent ?? 'minik'}/v1.32.0 (minik)`;
  }

  /** `/api/v1/namespaces/{ns}/pods/{name}`, `/apis/apps/v1/deployments` (every namespace), `/api/v1/nodes/{name}`. */
  path(r: ResourceType, ns?: string, name?: string, sub?: string): string {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    let p = r.namespaced && ns ? `${base}/namespaces/${encodeURIComponent(ns)}/${r.resource}` : `${base}/${r.resource}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  get<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, name: string): Promise<T> {
    return this.call<T>('GET', this.path(r, ns, name));
  }

  async list<T extends KubeObject = KubeObject>(r: ResourceType, ns?: string, opts: ListOptions = {}): Promise<ListResult<T>> {
    const out = await this.call<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(
      'GET',
      this.path(r, ns) + query({ ...opts, limit: opts.limit === undefined ? undefined : String(opts.limit) }),
    );
    return {
      items: out.items ?? [],
      resourceVersion: out.metadata?.resourceVersion ?? '',
      ...(out.metadata?.continue ? { continue: out.metadata.continue } : {}),
    };
  }

  create<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, obj: T): Promise<T> {
    return this.call<T>('POST', this.path(r, ns), withType(r, obj));
  }

  /** PUT: conditional on metadata.resourceVersion when it is set (409 Conflict if stale). */
  update<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, obj: T): Promise<T> {
    return this.call<T>('PUT', this.path(r, ns, nameOf(obj)), withType(r, obj));
  }

  updateStatus<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, obj: T): Promise<T> {
    return this.call<T>('PUT', this.path(r, ns, nameOf(obj), 'status'), withType(r, obj));
  }

  patch<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, name: string, type: PatchType, patch: unknown): Promise<T> {
    return this.call<T>('PATCH', this.path(r, ns, name), patch, PATCH_TYPES[type]);
  }

  /** Answers the object (when finalizers keep it a while) or a Success Status. */
  delete(r: ResourceType, ns: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject> {
    return this.call('DELETE', this.path(r, ns, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
  }

  /** What the scheduler does: POST pods/{name}/binding, which sets spec.nodeName. */
  bind(ns: string, podName: string, nodeName: string): Promise<KubeObject> {
    const body = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: podName, namespace: ns },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    return this.call('POST', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(podName)}/binding`, body);
  }

  /**
   * Changes after `resourceVersion`, one event per line, until the server ends the stream (its
   * timeout, its shutdown, or a 410 Expired ERROR event) or `stop()` is called.
   */
  watch<T extends KubeObject = KubeObject>(r: ResourceType, ns: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent<T>) => void): Watch {
    const q = query({
      watch: 'true',
      resourceVersion: opts.resourceVersion,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: opts.timeoutSeconds === undefined ? undefined : String(opts.timeoutSeconds),
    });
    const stream = streamLines(
      { server: this.server, path: this.path(r, ns) + q, method: 'GET', userAgent: this.userAgent },
      (line) => {
        let e: WatchEvent<T>;
        try {
          e = JSON.parse(line) as WatchEvent<T>;
        } catch {
          // A garbled stream cannot be resumed mid-way; ending it makes the caller rewatch.
          return stream.abort();
        }
        onEvent(e);
      },
      (a) => ApiClientError.fromAnswer(a.status, a.body),
    );
    return { stop: () => stream.abort(), done: stream.done };
  }

  /** Lets the process exit: closes the idle connections the client keeps. */
  close(): void {
    // A client used again after this opens connections anew, as it did before its first request.
    void this.pool?.destroy().catch(() => undefined);
    this.pool = undefined;
  }

  private async call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const a = await send({
      server: this.server,
      path,
      method,
      pool: (this.pool ??= connections(this.server, CONNECTIONS)),
      timeoutMs: this.timeoutMs,
      userAgent: this.userAgent,
      ...(body === undefined ? {} : { body: JSON.stringify(body), contentType: contentType ?? 'application/json' }),
    });
    if (a.status < 200 || a.status >= 300) throw ApiClientError.fromAnswer(a.status, a.body);
    return JSON.parse(a.body) as T;
  }
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The server needs apiVersion and kind; callers may leave them to the table. */
function withType<T extends KubeObject>(r: ResourceType, obj: T): T {
  return { ...obj, apiVersion: obj.apiVersion ?? apiVersionOf(r), kind: obj.kind ?? r.kind };
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error(`Cannot write a ${obj.kind ?? 'object'} without metadata.name`);
  return name;
}
