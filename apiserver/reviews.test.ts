import { describe, expect, it } from 'vitest';
import { encodeProtobuf } from '../test/support/protobuf.js';
import { apiForSuite } from '../test/support/in-process-api.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

describe('self-reviews: kubectl auth can-i and whoami', () => {
  const api = apiForSuite();
  const post = async (path: string, body: string | Buffer, type = 'application/json', method = 'POST') => {
    const res = await fetch(`${api()}${path}`, { method, body, headers: { 'Content-Type': type } });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('allows every access, echoing what was asked, from JSON and from the protobuf kubectl sends', async () => {
    const spec = { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' } };
    const json = await post(SSAR, JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec }));
    expect(json).toMatchObject({ status: 201, body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', spec, status: { allowed: true } } });
    const proto = await post(SSAR, encodeProtobuf({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } }), PROTOBUF);
    expect(proto).toMatchObject({ status: 201, body: { spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { allowed: true } } });
  });

  it('lists every rule as allowed, and names the caller anonymous', async () => {
    const rules = await post('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', JSON.stringify({ spec: { namespace: 'default' } }));
    expect(rules.body.status).toEqual({ resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false });
    const whoami = await post('/apis/authentication.k8s.io/v1/selfsubjectreviews', encodeProtobuf({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} }), PROTOBUF);
    expect(whoami.body).toMatchObject({ kind: 'SelfSubjectReview', status: { userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] } } });
  });

  it('answers a review it cannot make with a Status: neither or both attributes, another kind, another verb, no such review', async () => {
    expect(await post(SSAR, JSON.stringify({ spec: {} }))).toMatchObject({ status: 422, body: { kind: 'Status', reason: 'Invalid' } });
    expect((await post(SSAR, JSON.stringify({ spec: { resourceAttributes: {}, nonResourceAttributes: {} } }))).status).toBe(422);
    expect(await post(SSAR, JSON.stringify({ kind: 'Pod', spec: {} }))).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect(await post(SSAR, '[1]')).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect(await post(SSAR, 'not json')).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
    expect((await post(SSAR, '', 'application/json', 'PUT')).status).toBe(405);
    expect((await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', '{}')).status).toBe(404);
  });
});
