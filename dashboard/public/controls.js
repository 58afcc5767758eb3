// The page's controls, each one request to the public API, as kubectl would send it.
import { HEARTBEATS } from './node-view.js';

/** Where the speed lives: a ConfigMap every component can watch. */
export const SPEED_CONFIG = { namespace: 'kube-system', name: 'minik-config', key: 'speed' };

const MERGE = 'application/merge-patch+json';

/**
 * @typedef {{ method: string, path: string, contentType?: string, body?: unknown }} Call
 */

/**
 * `kubectl scale deploy/web --replicas=N`: a merge patch of the scale subresource.
 * @param {string} namespace
 * @param {string} name
 * @param {number} replicas
 * @returns {Call}
 */
export function scaleCall(namespace, name, replicas) {
  return {
    method: 'PATCH',
    path: `/apis/apps/v1/namespaces/${enc(namespace)}/deployments/${enc(name)}/scale`,
    contentType: MERGE,
    body: { spec: { replicas: Math.max(0, Math.floor(replicas)) } },
  };
}

/**
 * `kubectl delete pod NAME`: graceful, its dependents in the background.
 * @param {string} namespace
 * @param {string} name
 * @returns {Call}
 */
export function deletePodCall(namespace, name) {
  return { method: 'DELETE', path: `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`, body: { propagationPolicy: 'Background' } };
}

/**
 * Stops a node's heartbeats (`kubectl annotate node N minik.dev/heartbeats=stopped`) or starts
 * them again (the annotation removed: null in a merge patch deletes the key).
 * @param {string} node
 * @param {boolean} stopped
 * @returns {Call}
 */
export function heartbeatsCall(node, stopped) {
  return {
    method: 'PATCH',
    path: `/api/v1/nodes/${enc(node)}`,
    contentType: MERGE,
    body: { metadata: { annotations: { [HEARTBEATS]: stopped ? 'stopped' : null } } },
  };
}

/**
 * `kubectl cordon` / `uncordon`: spec.unschedulable true, or removed (as kubectl's patch does).
 * @param {string} node
 * @param {boolean} cordoned
 * @returns {Call}
 */
export function cordonCall(node, cordoned) {
  return { method: 'PATCH', path: `/api/v1/nodes/${enc(node)}`, contentType: MERGE, body: { spec: { unschedulable: cordoned ? true : null } } };
}

/**
 * The speed, written into the minik-config ConfigMap: a patch when it exists, else a create.
 * @param {number} speed
 * @param {boolean} exists
 * @returns {Call}
 */
export function speedCall(speed, exists) {
  const { namespace, name, key } = SPEED_CONFIG;
  const data = { [key]: String(speed) };
  if (exists) return { method: 'PATCH', path: `/api/v1/namespaces/${namespace}/configmaps/${name}`, contentType: MERGE, body: { data } };
  return {
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/configmaps`,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data },
  };
}

/**
 * The speed a ConfigMap says, or undefined when it says nothing usable.
 * @param {any} cm
 */
export function speedOf(cm) {
  const v = Number(cm?.data?.[SPEED_CONFIG.key]);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Sends a call; a refusal throws with the API's own message ("deployments.apps \"web\" not found").
 * @param {Call} call
 * @param {typeof fetch} [fetchFn]
 */
export async function send(call, fetchFn = fetch) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (call.body !== undefined) headers['Content-Type'] = call.contentType ?? 'application/json';
  const res = await fetchFn(call.path, {
    method: call.method,
    headers,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  });
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const err = new Error(body?.message ?? `${call.method} ${call.path}: HTTP ${res.status}`);
    /** @type {any} */ (err).code = res.status;
    throw err;
  }
  return body;
}

/** @param {string} s */
const enc = (s) => encodeURIComponent(s);
