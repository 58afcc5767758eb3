import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { encodeProtobuf, protobufBody } from '../../test/support/protobuf.js';
import { apiForSuite } from '../../test/support/in-process-api.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

describe('the API server takes protobuf bodies, as typed clients send them', () => {
  const api = apiForSuite();

  async function send(method: string, path: string, body: Buffer | string, type: string): Promise<{ status: number; body: Json; warning: string | null }> {
    const res = await fetch(`${api()}${path}`, { method, body, headers: { 'Content-Type': type, Accept: `${PROTOBUF},application/json` } });
    return { status: res.status, body: (await res.json()) as Json, warning: res.headers.get('warning') };
  }

  /** What two creates of the same object share: everything the server did not make up. */
  const comparable = (o: Json) => {
    const { uid: _u, creationTimestamp: _c, resourceVersion: _r, name: _n, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };

  const dns = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
  const deployment = (name: string) =>
    fc.record({
      apiVersion: fc.constant('apps/v1'),
      kind: fc.constant('Deployment'),
      metadata: fc.record({ name: fc.constant(name), labels: fc.dictionary(dns, dns, { minKeys: 1, maxKeys: 2 }) }),
      spec: fc.record({
        replicas: fc.nat(5),
        selector: fc.constant({ matchLabels: { app: 'web' } }),
        template: fc.record({
          metadata: fc.constant({ labels: { app: 'web' } }),
          spec: fc.record({
            containers: fc.array(
              fc.record({ name: dns, image: dns, resources: fc.record({ requests: fc.record({ cpu: fc.constantFrom('100m', '1'), memory: fc.constantFrom('64Mi', '1G') }) }) }),
              { minLength: 1, maxLength: 1 },
            ),
          }),
        }),
      }),
    });

  let n = 0;
  test.prop([deployment('x')], { numRuns: 25 })('a Deployment created from protobuf is the one created from the same JSON', async (d) => {
    const i = n++;
    const fromJson = await send('POST', '/apis/apps/v1/namespaces/default/deployments', JSON.stringify({ ...d, metadata: { ...d.metadata, name: `json-${i}` } }), 'application/json');
    const fromProto = await send('POST', '/apis/apps/v1/namespaces/default/deployments', encodeProtobuf({ ...d, metadata: { ...d.metadata, name: `proto-${i}` } }), PROTOBUF);
    expect(fromJson.status).toBe(201);
    expect(fromProto.status).toBe(201);
    expect(comparable(fromProto.body)).toEqual(comparable(fromJson.body));
  });

  it("creates a Service from a Go client's zero values: a cluster IP is allocated, the target port defaults, no node port", async () => {
    const r = await send(
      'POST',
      '/api/v1/namespaces/default/services?fieldValidation=Strict',
      protobufBody('v1', 'Service', {
        metadata: { name: 'web', namespace: '', resourceVersion: '', creationTimestamp: {} },
        spec: {
          ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: { type: 0, intVal: 0 }, nodePort: 0 }],
          selector: { app: 'web' },
          clusterIP: '',
          type: 'ClusterIP',
          sessionAffinity: '',
          healthCheckNodePort: 0,
          publishNotReadyAddresses: false,
        },
        status: { loadBalancer: {} },
      }),
      PROTOBUF,
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.warning).toBeNull();
    expect(r.body.spec.clusterIP).toMatch(/^10\./);
    expect(r.body.spec.ports).toEqual([{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 80 }]);
    expect(r.body.spec.sessionAffinity).toBe('None');
  });

  it('creates an EndpointSlice from protobuf, its conditions and references as JSON has them', async () => {
    const slice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-proto', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }],
      ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    };
    const created = await send('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', encodeProtobuf(slice), PROTOBUF);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ addressType: 'IPv4', endpoints: slice.endpoints, ports: slice.ports });
  });

  it('takes protobuf DeleteOptions on a DELETE: a grace period of 0 deletes a scheduled pod at once', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bound' }, spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] } };
    expect((await send('POST', '/api/v1/namespaces/default/pods', encodeProtobuf(pod), PROTOBUF)).status).toBe(201);
    const del = await send('DELETE', '/api/v1/namespaces/default/pods/bound', protobufBody('v1', 'DeleteOptions', { gracePeriodSeconds: 0 }), PROTOBUF);
    expect(del.status).toBe(200);
    expect((await fetch(`${api()}/api/v1/namespaces/default/pods/bound`)).status).toBe(404);
  });

  it('answers a malformed protobuf body with a 400 Status and writes nothing', async () => {
    const good = encodeProtobuf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'half' }, data: { a: 'b' } });
    const r = await send('POST', '/api/v1/namespaces/default/configmaps', good.subarray(0, good.length - 2), PROTOBUF);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest' });
    expect(r.body.message).toMatch(/not valid protobuf/);
    expect((await fetch(`${api()}/api/v1/namespaces/default/configmaps/half`)).status).toBe(404);
  });
});
