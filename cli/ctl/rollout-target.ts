import { qualifiedKind, qualifiedResource, resourcePath, type ApiResource } from './discovery.js';
import { ApiError, CtlError, describeError } from './errors.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

/** A Deployment named on the command line, read from the server, and where it lives. */
export interface DeploymentTarget {
  resource: ApiResource;
  namespace: string;
  name: string;
  path: string;
  /** `deployment.apps/web`, as kubectl's messages name it. */
  display: string;
  /** `deployments.apps "web"`, as kubectl's per-object errors name it. */
  quoted: string;
}

/**
 * The Deployments a `rollout` subcommand acts on: `deploy/web`, `deployment web db`. Only
 * Deployments roll out in minik; another kind is refused with kubectl's words for it.
 *
 *   await rolloutTargets(s, ['deploy/web'], 'status')   // [{ name: 'web', display: 'deployment.apps/web', ... }]
 *   await rolloutTargets(s, ['pod/web'], 'status')      // throws: no status viewer has been implemented for {"" "Pod"}
 */
export async function rolloutTargets(s: Session, args: string[], what: string): Promise<DeploymentTarget[]> {
  if (args.length === 0) throw new CtlError('required resource not specified');
  const out: DeploymentTarget[] = [];
  for (const { resource, names } of parseResourceArgs(await s.resources(), args)) {
    if (resource.kind !== 'Deployment') throw new CtlError(`no ${what} has been implemented for {"${resource.group}" "${resource.kind}"}`);
    if (names.length === 0) throw new CtlError(`resource(s) were provided, but no name was specified`);
    for (const name of names) {
      out.push({
        resource,
        namespace: s.namespace,
        name,
        path: resourcePath(resource, s.namespace, name),
        display: `${qualifiedKind(resource)}/${name}`,
        quoted: `${qualifiedResource(resource)} "${name}"`,
      });
    }
  }
  return out;
}

/** The ReplicaSets a Deployment controls (by controller ownerReference), as upstream's GetAllReplicaSets finds them. */
export async function ownedReplicaSets(s: Session, deployment: Json): Promise<Json[]> {
  const ns = deployment.metadata?.namespace ?? s.namespace;
  const list = await s.rest.request<{ items?: Json[] }>('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/replicasets`);
  return (list.items ?? []).filter((rs) => rs.metadata?.ownerReferences?.some((o: Json) => o.controller && o.uid === deployment.metadata?.uid));
}

/** Runs `each` for every target, printing a failure as one line and going on; answers the exit code. */
export async function forEachTarget(s: Session, targets: DeploymentTarget[], each: (t: DeploymentTarget) => Promise<void>): Promise<number> {
  let failed = 0;
  for (const t of targets) {
    try {
      await each(t);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
