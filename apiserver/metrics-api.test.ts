import { describe, expect, it } from 'vitest';
import { apiForSuite } from '../test/support/in-process-api.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BASE = '/apis/metrics.k8s.io/v1beta1';
const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const readyNode = (name: string, annotations: Record<string, string> = {}) => ({
  metadata: { name, labels: { zone: name === 'node-1' ? 'a' : 'b' }, annotations },
  status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now }] },
});

describe('the resource metrics API', () => {
  const api = apiForSuite();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api()}${path}`, { method, ...(body ? { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } } : {}) });
    return { status: res.status, body: (await res.json()) as Json };
  };

  async function runningPod(name: string, node: string, labels: Record<string, string>, annotations: Record<string, string> = {}): Promise<void> {
    await call('POST', '/api/v1/namespaces/default/pods', { metadata: { name, labels, annotations }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '200m', memory: '128Mi' } } }] } });
    const pod = (await call('GET', `/api/v1/namespaces/default/pods/${name}`)).body;
    await call('PUT', `/api/v1/namespaces/default/pods/${name}/status`, { ...pod, status: { phase: 'Running', podIP: '10.244.1.5' } });
  }

  it('reports running pods on Ready nodes and those nodes, by name and by selector, as metrics-server does', async () => {
    await call('POST', '/api/v1/nodes', readyNode('node-1'));
    await call('POST', '/api/v1/nodes', readyNode('node-2', { 'minik.dev/heartbeats': 'stopped' }));
    await runningPod('web-1', 'node-1', { app: 'web' }, { 'minik.dev/cpu-usage': '300m', 'minik.dev/memory-usage': '100Mi' });
    await runningPod('web-2', 'node-2', { app: 'web' });
    await call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

    const pods = await call('GET', `${BASE}/namespaces/default/pods?labelSelector=app%3Dweb`);
    expect(pods.body).toMatchObject({ kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1' });
    // web-2's node stopped its heartbeats: it cannot be scraped.
    expect(pods.body.items.map((p: Json) => [p.metadata.name, p.window, p.containers])).toEqual([['web-1', '20s', [{ name: 'c', usage: { cpu: '300000000n', memory: '102400Ki' } }]]]);
    expect((await call('GET', `${BASE}/pods`)).body.items.map((p: Json) => p.metadata.name)).toEqual(['web-1']);
    expect((await call('GET', `${BASE}/namespaces/default/pods/web-1`)).body).toMatchObject({ kind: 'PodMetrics', metadata: { name: 'web-1', namespace: 'default' } });

    const nodes = await call('GET', `${BASE}/nodes`);
    expect(nodes.body.items.map((n: Json) => [n.metadata.name, n.usage])).toEqual([['node-1', { cpu: '350000000n', memory: '364544Ki' }]]);
    expect((await call('GET', `${BASE}/nodes?labelSelector=zone%3Db`)).body.items).toEqual([]);
    expect((await call('GET', `${BASE}/nodes/node-1`)).body).toMatchObject({ kind: 'NodeMetrics', metadata: { name: 'node-1' } });
  });

  it('answers what it cannot do with a Status: a missing object, a write, a watch, another resource', async () => {
    expect(await call('GET', `${BASE}/namespaces/default/pods/nope`)).toMatchObject({ status: 404, body: { kind: 'Status', reason: 'NotFound', message: 'podmetrics.metrics.k8s.io "default/nope" not found' } });
    expect(await call('GET', `${BASE}/nodes/nope`)).toMatchObject({ status: 404, body: { reason: 'NotFound' } });
    expect(await call('POST', `${BASE}/namespaces/default/pods`, { metadata: { name: 'x' } })).toMatchObject({ status: 405, body: { kind: 'Status', reason: 'MethodNotAllowed' } });
    expect((await call('GET', `${BASE}/pods?watch=true`)).status).toBe(405);
    expect((await call('GET', `${BASE}/deployments`)).status).toBe(404);
    expect(await call('GET', `${BASE}/namespaces/%zz/pods`)).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect(await call('GET', `${BASE}/pods?labelSelector=app+in+(x`)).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect(await call('GET', `${BASE}/nodes?fieldSelector=metadata.name%3Dx`)).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect((await call('GET', `${BASE}/namespaces/default/nodes`)).status).toBe(404);
    const discovery = (await call('GET', '/apis/metrics.k8s.io/v1beta1')).body;
    expect(discovery.resources.map((r: Json) => `${r.name} ${r.kind} ${r.verbs.join(',')}`)).toEqual(['nodes NodeMetrics get,list', 'pods PodMetrics get,list']);
  });
});
