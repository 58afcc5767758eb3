import { randomUUID } from 'node:crypto';
import { ApiError, fieldError } from './errors.js';
import type { KubeObject } from './watch-cache.js';

/** The issuer and default audience a kube-apiserver started by kind or kubeadm names in its tokens. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const DEFAULT_SECONDS = 3600;
const MIN_SECONDS = 600;
const MAX_SECONDS = 2 ** 32;
const tokenRequest = { kind: 'TokenRequest', group: 'authentication.k8s.io' };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `POST serviceaccounts/NAME/token` (`kubectl create token NAME`): a token for the account, with
 * the claims a kube-apiserver puts in one (subject, audiences, expiry, the account's namespace, name
 * and uid). minik authenticates no one, so nothing will ever check it, and it says so: the token is
 * unsigned (`"alg": "none"`), where kube-apiserver signs with its service account key.
 *
 *   issueToken(default SA, { spec: { expirationSeconds: 600 } }, now)
 *   -> { kind: 'TokenRequest', spec: { audiences: [ISSUER], expirationSeconds: 600 },
 *        status: { token: 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOlsi...', expirationTimestamp } }
 */
export function issueToken(account: Readonly<KubeObject>, body: unknown, nowMs: number): Json {
  const sent = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Json;
  const spec = (sent.spec ?? {}) as Json;
  const seconds = spec.expirationSeconds === undefined || spec.expirationSeconds === 0 ? DEFAULT_SECONDS : Number(spec.expirationSeconds);
  const name = String(account.metadata?.name ?? '');
  if (!Number.isInteger(seconds) || seconds < MIN_SECONDS) {
    throw ApiError.invalid(tokenRequest, name, [fieldError.invalid('spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes')]);
  }
  if (seconds > MAX_SECONDS) throw ApiError.invalid(tokenRequest, name, [fieldError.invalid('spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds')]);
  const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences.map(String) : [ISSUER];
  const namespace = String(account.metadata?.namespace ?? '');
  const iat = Math.floor(nowMs / 1000);
  const claims = {
    aud: audiences,
    exp: iat + seconds,
    iat,
    iss: ISSUER,
    jti: randomUUID(),
    'kubernetes.io': { namespace, serviceaccount: { name, uid: account.metadata?.uid } },
    nbf: iat,
    sub: `system:serviceaccount:${namespace}:${name}`,
  };
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: new Date(iat * 1000).toISOString().replace('.000Z', 'Z') },
    spec: { audiences, expirationSeconds: seconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token: `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`, expirationTimestamp: new Date((iat + seconds) * 1000).toISOString().replace('.000Z', 'Z') },
  };
}
