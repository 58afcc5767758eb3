import { CtlError } from './errors.js';
import { changeOutput } from './dry-run.js';
import { formatObjects } from './output.js';
import { lookupResource } from './resource-args.js';
import type { Session } from './session.js';
import { alignTabs } from './tabwriter.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CanIOptions {
  list?: boolean;
  quiet?: boolean;
  allNamespaces?: boolean;
  subresource?: string;
}

/**
 * `minikctl auth can-i VERB TYPE[/NAME]` (or `VERB /PATH`, or `--list`): what the API server's
 * SelfSubjectAccessReview says, `yes` (exit 0) or `no` (exit 1), as kubectl asks and prints it.
 * minik lets everyone do everything, and says so when asked: this shows a class the question
 * RBAC would answer.
 *
 *   minikctl auth can-i delete deployments -n kube-system   // yes
 */
export async function runCanI(s: Session, args: string[], o: CanIOptions): Promise<number> {
  if (o.list) return listRules(s, o);
  if (args.length !== 2) throw new CtlError("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'minikctl auth can-i -h' for help and examples.");
  const [verb, what] = args as [string, string];
  let attributes: Json;
  if (what.startsWith('/')) {
    attributes = { nonResourceAttributes: { verb, path: what } };
  } else {
    const [type, name] = what.split('/', 2) as [string, string | undefined];
    let resource = type;
    let group = '';
    try {
      const r = type === '*' ? undefined : lookupResource(await s.resources(), type);
      if (r) [resource, group] = [r.name, r.group];
      else if (type === '*') group = '*';
    } catch {
      // kubectl asks about a type the server does not serve all the same, and warns.
      s.err(`Warning: the server doesn't have a resource type '${type}'\n\n`);
    }
    const namespace = o.allNamespaces ? '' : s.namespace;
    attributes = { resourceAttributes: { namespace, verb, group, resource, ...(o.subresource ? { subresource: o.subresource } : {}), ...(name ? { name } : {}) } };
  }
  const review = await s.rest.request<Json>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: attributes },
  });
  const allowed = review.status?.allowed === true;
  if (!o.quiet) s.out(allowed ? 'yes\n' : `no${review.status?.reason ? ` - ${review.status.reason}` : ''}\n`);
  return allowed ? 0 : 1;
}

/** `auth can-i --list`: the rules a SelfSubjectRulesReview gives, as kubectl tabulates them. */
async function listRules(s: Session, o: CanIOptions): Promise<number> {
  const review = await s.rest.request<Json>('POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: o.allNamespaces ? '' : s.namespace } },
  });
  const list = (xs: unknown[] | undefined) => `[${(xs ?? []).join(' ')}]`;
  const rows = [['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']];
  for (const r of review.status?.resourceRules ?? []) {
    const resources = (r.resources ?? []).flatMap((res: string) => (r.apiGroups ?? ['']).map((g: string) => (g ? `${res}.${g}` : res)));
    rows.push([resources.join(' '), '[]', list(r.resourceNames), list(r.verbs)]);
  }
  for (const r of review.status?.nonResourceRules ?? []) rows.push(['', list(r.nonResourceURLs), '[]', list(r.verbs)]);
  s.out(`${alignTabs(rows.map((r) => r.join('\t')).join('\n'), 3)}\n`);
  return 0;
}

/**
 * `minikctl auth whoami`: who the API server takes the caller for (a SelfSubjectReview). minik
 * authenticates no one, so everyone is `system:anonymous`.
 *
 *   ATTRIBUTE   VALUE
 *   Username    system:anonymous
 *   Groups      [system:unauthenticated]
 */
export async function runWhoami(s: Session, o: { output?: string }): Promise<number> {
  const { format } = changeOutput(o);
  const review = await s.rest.request<Json>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  if (format) {
    s.out(formatObjects([review], format, true, () => undefined));
    return 0;
  }
  const u = review.status?.userInfo ?? {};
  const rows = [['ATTRIBUTE', 'VALUE'], ['Username', String(u.username ?? '')]];
  if (u.uid) rows.push(['UID', String(u.uid)]);
  if (u.groups) rows.push(['Groups', `[${u.groups.join(' ')}]`]);
  for (const [k, v] of Object.entries<string[]>(u.extra ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) rows.push([`Extra: ${k}`, `[${v.join(' ')}]`]);
  s.out(`${alignTabs(rows.map((r) => r.join('\t')).join('\n'), 3)}\n`);
  return 0;
}
