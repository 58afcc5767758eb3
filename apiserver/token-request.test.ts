import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeProtobuf } from '../test/support/protobuf.js';
import { apiForSuite } from '../test/support/in-process-api.js';
import { ISSUER, issueToken } from './token-request.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const account = { metadata: { name: 'builder', namespace: 'ci', uid: 'uid-sa' } };
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Json;

describe('issueToken', () => {
  it("puts the account's identity and the asked audiences and duration in an unsigned token", () => {
    fc.assert(
      fc.property(fc.integer({ min: 600, max: 2 ** 32 }), fc.array(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 3 }), fc.integer({ min: 1_600_000_000_000, max: 2_000_000_000_000 }), (seconds, audiences, now) => {
        const answer = issueToken(account, { spec: { expirationSeconds: seconds, audiences } }, now);
        const [header, , signature] = answer.status.token.split('.');
        expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'none', typ: 'JWT' });
        expect(signature).toBe('');
        const claims = claimsOf(answer.status.token);
        expect(claims).toMatchObject({ sub: 'system:serviceaccount:ci:builder', iss: ISSUER, aud: audiences.length ? audiences : [ISSUER], 'kubernetes.io': { namespace: 'ci', serviceaccount: { name: 'builder', uid: 'uid-sa' } } });
        expect(claims.exp - claims.iat).toBe(seconds);
        expect(Date.parse(answer.status.expirationTimestamp) / 1000).toBe(claims.exp);
      }),
    );
  });

  it('lasts an hour unless asked, and refuses less than ten minutes or more than 2^32 seconds', () => {
    expect(issueToken(account, {}, 0).spec.expirationSeconds).toBe(3600);
    expect(() => issueToken(account, { spec: { expirationSeconds: 599 } }, 0)).toThrow('TokenRequest.authentication.k8s.io "builder" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    expect(() => issueToken(account, { spec: { expirationSeconds: 2 ** 32 + 1 } }, 0)).toThrow('larger than 2^32 seconds');
  });
});

describe('POST serviceaccounts/NAME/token', () => {
  const api = apiForSuite();
  const post = async (path: string, body: string | Buffer, type = 'application/json') => {
    const res = await fetch(`${api()}${path}`, { method: 'POST', body, headers: { 'Content-Type': type } });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('answers the protobuf kubectl create token sends, for an account that exists, and 404 for one that does not', async () => {
    await post('/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'builder' } }));
    const request = encodeProtobuf({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'builder' }, spec: { audiences: ['api'], expirationSeconds: 1200 } });
    const answer = await post('/api/v1/namespaces/default/serviceaccounts/builder/token', request, 'application/vnd.kubernetes.protobuf');
    expect(answer).toMatchObject({ status: 201, body: { kind: 'TokenRequest', spec: { audiences: ['api'], expirationSeconds: 1200 } } });
    expect(claimsOf(answer.body.status.token).sub).toBe('system:serviceaccount:default:builder');
    expect(await post('/api/v1/namespaces/default/serviceaccounts/nope/token', '{}')).toMatchObject({ status: 404, body: { reason: 'NotFound', message: 'serviceaccounts "nope" not found' } });
    expect((await post('/api/v1/namespaces/default/serviceaccounts/builder/token', JSON.stringify({ spec: { expirationSeconds: 60 } }))).status).toBe(422);
  });
});
