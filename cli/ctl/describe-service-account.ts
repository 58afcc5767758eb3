import type { DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/**
 * A ServiceAccount as `kubectl describe serviceaccount` shows it: its image pull secrets, the
 * secrets pods running as it may mount (each marked if it does not exist), and the token secrets
 * made for it.
 *
 *   Image pull secrets:  <none>
 *   Mountable secrets:   <none>
 *   Tokens:              <none>
 */
export function describeServiceAccount(w: DescribeWriter, sa: Json, secrets: readonly Json[]): void {
  w.header(sa.metadata);
  const tokens = secrets
    .filter((s) => s.type === 'kubernetes.io/service-account-token' && s.metadata?.annotations?.['kubernetes.io/service-account.name'] === sa.metadata?.name)
    .map((s) => String(s.metadata?.name ?? ''));
  const existing = new Set(secrets.map((s) => s.metadata?.name));
  const named = (refs: Json[] | undefined) => (refs ?? []).map((s) => String(s.name ?? '')).map((n) => (existing.has(n) ? n : `${n} (not found)`));
  // kubectl pads the three headers to one width and lists them in that (sorted) order.
  const sections: Array<[string, string[]]> = [
    ['Image pull secrets:', named(sa.imagePullSecrets)],
    ['Mountable secrets: ', named(sa.secrets)],
    ['Tokens:            ', tokens.sort()],
  ];
  for (const [header, names] of sections) {
    if (names.length === 0) w.line(0, header, '<none>');
    else names.forEach((n, i) => w.line(0, i === 0 ? header : ' '.repeat(header.length), n));
  }
}
