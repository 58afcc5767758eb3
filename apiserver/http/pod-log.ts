import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { resolveResource } from '../../api/resources.js';
import { ApiError } from '../errors.js';
import type { Registry } from '../registry.js';

const nodesR = resolveResource('nodes')!;

type Query = Record<string, string | undefined>;

/** The query parameters of pods/log that the kubelet reads; `container` is the API server's to resolve. */
const PASSED_ON = ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'] as const;

type PodShape = {
  metadata?: { name?: string; namespace?: string };
  spec?: { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
};
type NodeShape = { status?: { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } } };

export interface PodLogDeps {
  registry: Pick<Registry, 'get'>;
  /** How long the kubelet may take to answer before the node counts as unreachable. */
  kubeletTimeoutMs?: number;
}

/**
 * `GET /api/v1/namespaces/{ns}/pods/{name}/log`: picks the container, finds the pod's node and
 * where its kubelet listens (status.addresses and status.daemonEndpoints), and streams the
 * kubelet's answer through chunk by chunk, so `kubectl logs -f` sees each line as it is written.
 * What the kubelet refuses comes back as a Status with its message; a node that cannot be reached
 * is a 503.
 *
 *   GET /api/v1/namespaces/default/pods/web-1/log?tailLines=1   (pod on node-1, kubelet at 127.0.0.1:10250)
 *   -> GET http://127.0.0.1:10250/containerLogs/default/web-1/web?tailLines=1, passed through
 *   GET /api/v1/namespaces/default/pods/two/log                  (containers a and b)
 *   -> 400 a container name must be specified for pod two, choose one of: [a b]
 */
export async function servePodLog(deps: PodLogDeps, q: Query, res: ServerResponse, pod: PodShape): Promise<void> {
  const podName = pod.metadata?.name ?? '';
  const container = chooseContainer(pod, q.container);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw ApiError.badRequest(`container "${container}" in pod "${podName}" is waiting to start: the pod is not scheduled to a node yet`);
  const endpoint = kubeletOf(nodeName, await nodeOf(deps, nodeName, podName));
  const params = new URLSearchParams();
  for (const key of PASSED_ON) if (q[key] !== undefined) params.set(key, q[key]!);
  const path = ['containerLogs', pod.metadata?.namespace ?? '', podName, container].map(encodeURIComponent).join('/');
  const url = `http://${endpoint}/${path}${params.size ? `?${params}` : ''}`;
  const upstream = await open(url, deps.kubeletTimeoutMs ?? 10_000, `Cannot read the logs of pod ${pod.metadata?.namespace}/${podName}: the kubelet of node ${nodeName} at ${endpoint}`);
  if (upstream.statusCode !== 200) {
    const body = (await readSome(upstream, 4096)).trim();
    throw new ApiError(upstream.statusCode ?? 500, reasonOf(upstream.statusCode ?? 500), body || `the kubelet of node ${nodeName} answered ${upstream.statusCode}`);
  }
  res.statusCode = 200;
  res.setHeader('Content-Type', upstream.headers['content-type'] ?? 'text/plain');
  res.flushHeaders();
  // Gone client, gone stream: a follower must not keep the kubelet writing to nobody.
  res.on('close', () => upstream.destroy());
  upstream.on('error', () => res.destroy());
  upstream.pipe(res);
}

/** upstream's validateContainer (pkg/registry/core/pod/strategy.go), with its messages. */
export function chooseContainer(pod: PodShape, requested: string | undefined): string {
  const name = pod.metadata?.name ?? '';
  const names = (list: { name: string }[] | undefined) => (list ?? []).map((c) => c.name);
  const containers = names(pod.spec?.containers);
  const init = names(pod.spec?.initContainers);
  const ephemeral = names(pod.spec?.ephemeralContainers);
  if (requested) {
    if (![...containers, ...init, ...ephemeral].includes(requested)) throw ApiError.badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  if (containers.length === 0) throw ApiError.badRequest(`a container name must be specified for pod ${name}`);
  let message = `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`;
  if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw ApiError.badRequest(message);
}

async function nodeOf(deps: PodLogDeps, nodeName: string, podName: string): Promise<NodeShape> {
  try {
    return (await deps.registry.get(nodesR, undefined, nodeName)) as NodeShape;
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) throw ApiError.unavailable(`Cannot read the logs of pod ${podName}: its node ${nodeName} is not registered`);
    throw err;
  }
}

/** `host:port` of a node's kubelet: its InternalIP (else Hostname) and the port it advertises. */
export function kubeletOf(nodeName: string, node: NodeShape): string {
  const addresses = node.status?.addresses ?? [];
  const address = (addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'Hostname'))?.address;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!address || !port) {
    throw ApiError.unavailable(`Cannot reach the kubelet of node ${nodeName}: the node advertises no ${address ? 'status.daemonEndpoints.kubeletEndpoint.Port' : 'InternalIP or Hostname in status.addresses'}`);
  }
  return `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

function open(url: string, timeoutMs: number, what: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      // Connected and answering: from here a follow may stay quiet for as long as it likes.
      req.setTimeout(0);
      resolve(res);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(ApiError.unavailable(`${what} cannot be reached: ${err.code ?? err.message}`)));
    req.end();
  });
}

function readSome(res: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (d: string) => {
      body += d;
      if (body.length >= max) res.destroy();
    });
    res.on('end', () => resolve(body.slice(0, max)));
    res.on('close', () => resolve(body.slice(0, max)));
    res.on('error', () => resolve(body.slice(0, max)));
  });
}

/** The Status reason the API server gives a kubelet's error code, as NewGenericServerResponse does. */
function reasonOf(code: number): string {
  return ({ 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 429: 'TooManyRequests', 503: 'ServiceUnavailable', 504: 'Timeout' } as Record<number, string>)[code] ?? 'InternalError';
}
