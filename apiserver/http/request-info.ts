import { findResource, type ResourceType } from '../../api/resources.js';
import { ApiError } from '../errors.js';

/**
 * What a resource path names, as kube-apiserver's RequestInfoFactory reads it:
 *
 *   /api/v1/namespaces/default/pods/web/status  -> pods, ns default, name web, subresource status
 *   /api/v1/namespaces/default                   -> namespaces, name default
 *   /api/v1/namespaces/default/status            -> namespaces, name default, subresource status
 *   /apis/apps/v1/deployments                    -> deployments in every namespace
 */
export interface ResourceRequest {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** undefined when the path is not a resource path at all; a 404 ApiError when it names no resource. */
export function parseResourcePath(path: string): ResourceRequest | undefined {
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw ApiError.badRequest(`malformed escape in the path: ${path}`);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) rest = rest.slice(2);
    else namespace = undefined;
  }
  const [resourceName, name, subresource, ...extra] = rest;
  const resource = resourceName ? findResource(group, version, resourceName) : undefined;
  if (!resource || extra.length > 0) throw ApiError.pathNotFound(path);
  if (resource.kind === 'Pod' && subresource && STREAMS.has(subresource)) {
    throw ApiError.badRequest(
      `pods/${subresource} is not supported: minik's containers are simulated, so there is no process to ${STREAMS.get(subresource)}; \`kubectl logs\` shows what a container prints`,
    );
  }
  if (subresource && !resource.subresources.some((s) => s.name === subresource) && !(resource.kind === 'Namespace' && subresource === 'finalize')) {
    throw ApiError.pathNotFound(path);
  }
  if (!resource.namespaced && namespace !== undefined) throw ApiError.pathNotFound(path);
  const out: ResourceRequest = { resource };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  return out;
}

/** A pod's streaming subresources, which need a real container behind them. */
const STREAMS = new Map([
  ['exec', 'run a command in'],
  ['attach', 'attach to'],
  ['portforward', 'forward a port to'],
]);
