import { ApiError, CtlError } from './errors.js';
import { changeOutput } from './dry-run.js';
import { formatObjects } from './output.js';
import type { Session } from './session.js';
import { oneName } from './create-generators.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TokenOptions {
  /** Nanoseconds, from a Go duration (`--duration=1h`); 0 or unset: the server's default. */
  duration?: bigint;
  audience?: string[];
  output?: string;
}

const SECOND = 1_000_000_000n;

/**
 * `minikctl create token ACCOUNT`: a token for a service account, through the TokenRequest API, as
 * `kubectl create token` asks for one. It prints the token alone, with no newline unless to a
 * terminal (so that `TOKEN=$(minikctl create token default)` is exactly the token), or the whole
 * TokenRequest with `-o`.
 *
 *   minikctl create token default --duration=15m   // eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJhdWQiOlsi...
 */
export async function runCreateToken(s: Session, names: string[], o: TokenOptions, terminal: boolean): Promise<number> {
  const name = oneName(names, 'create token');
  const duration = o.duration ?? 0n;
  if (duration < 0n) throw new CtlError('--duration must be greater than or equal to 0');
  if (duration % SECOND !== 0n) throw new CtlError('--duration cannot be expressed in units less than seconds');
  if ((o.audience ?? []).some((a) => a === '')) throw new CtlError('--audience must not be an empty string');
  const { format } = changeOutput(o);
  const body = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { creationTimestamp: null },
    spec: { audiences: o.audience ?? null, ...(duration > 0n ? { expirationSeconds: Number(duration / SECOND) } : {}), boundObjectRef: null },
  };
  let answer: Json;
  try {
    answer = await s.rest.request<Json>('POST', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/serviceaccounts/${encodeURIComponent(name)}/token`, { body });
  } catch (err) {
    if (err instanceof ApiError) throw new CtlError(`failed to create token: ${err.message}`);
    throw err;
  }
  const token = answer.status?.token;
  if (typeof token !== 'string' || token === '') throw new CtlError('failed to create token: no token in server response');
  if (format) s.out(formatObjects([answer], format, true, () => undefined));
  else s.out(terminal ? `${token}\n` : token);
  return 0;
}
