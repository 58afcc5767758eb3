import type { Session } from './session.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `minikctl api-versions`: every group/version the server serves, `v1` for the core group, sorted
 * as kubectl sorts them (byte order).
 *
 *   apps/v1
 *   authentication.k8s.io/v1
 *   ...
 *   v1
 */
export async function runApiVersions(s: Session): Promise<number> {
  const core = await s.rest.request<{ versions?: string[] }>('GET', '/api');
  const groups = await s.rest.request<{ groups?: Array<{ versions?: Array<{ groupVersion: string }> }> }>('GET', '/apis');
  const all = [...(core.versions ?? []), ...(groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion))];
  s.out(all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((v) => `${v}\n`).join(''));
  return 0;
}

/**
 * `minikctl cluster-info`: where the control plane answers, and any kube-system Service labelled
 * `kubernetes.io/cluster-service=true` (an add-on a cluster advertises), as kubectl prints them.
 *
 *   Kubernetes control plane is running at http://127.0.0.1:6443
 */
export async function runClusterInfo(s: Session): Promise<number> {
  const lines = [`Kubernetes control plane is running at ${s.rest.server}`];
  const services = await s.rest.request<{ items?: Json[] }>('GET', '/api/v1/namespaces/kube-system/services', { query: { labelSelector: 'kubernetes.io/cluster-service=true' } });
  for (const svc of services.items ?? []) {
    const name = svc.metadata?.labels?.['kubernetes.io/name'] ?? svc.metadata?.name;
    const port = svc.spec?.ports?.[0];
    const scheme = port?.name === 'https' ? 'https:' : '';
    const portName = port?.name ? `:${port.name}` : '';
    lines.push(`${name} is running at ${s.rest.server}/api/v1/namespaces/kube-system/services/${scheme}${svc.metadata?.name}${portName}/proxy`);
  }
  // kubectl points to `cluster-info dump`, which minikctl has not: these show what went wrong.
  s.out(`${lines.join('\n')}\n\nTo further debug and diagnose cluster problems, use 'minikctl get events -A' and 'minik status'.\n`);
  return 0;
}
