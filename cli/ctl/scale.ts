import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, CtlError, describeError, isNotFound } from './errors.js';
import type { Session } from './session.js';
import { selectObjects, type SelectOptions } from './targets.js';

export interface ScaleOptions extends SelectOptions {
  replicas: number;
  currentReplicas?: number;
  dryRun?: string;
  output?: string;
}

/**
 * `minikctl scale --replicas=N TYPE NAME`: a merge patch on the object's `scale` subresource, as
 * kubectl sends it, so that anything with a scale subresource scales and nothing else is touched.
 * `--current-replicas` makes it conditional. With `-o` it prints the object as it was read before
 * the scale, as kubectl does; `--dry-run=client` sends nothing, `server` has the server check it.
 *
 *   minikctl scale --replicas=5 deploy/web   deployment.apps/web scaled
 *   minikctl scale --replicas=5 pod/web      error: no scaler has been implemented for {"" "Pod"}
 */
export async function runScale(s: Session, args: string[], o: ScaleOptions): Promise<number> {
  if (!Number.isInteger(o.replicas) || o.replicas < 0) throw new CtlError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  const how = changeOutput(o);
  const objects = await selectObjects(s, args, o, 'scale');
  let failed = 0;
  for (const ref of objects) {
    if (!ref.resource.subresources.includes('scale')) {
      throw new CtlError(`no scaler has been implemented for {"${ref.resource.group}" "${ref.resource.kind}"}`);
    }
    const path = resourcePath(ref.resource, ref.namespace, ref.name, 'scale');
    const named = `${qualifiedKind(ref.resource)}/${ref.name}`;
    try {
      const read = how.format ? await s.rest.request<Record<string, unknown>>('GET', resourcePath(ref.resource, ref.namespace, ref.name)) : {};
      if (how.dryRun === 'client') {
        printChange(s, how, named, 'scaled', read);
        continue;
      }
      if (o.currentReplicas !== undefined) {
        // The precondition holds at the write: the PUT carries the resourceVersion that was checked.
        const scale = await s.rest.request<{ metadata?: object; spec?: { replicas?: number } }>('GET', path);
        const now = scale.spec?.replicas ?? 0;
        if (now !== o.currentReplicas) throw new CtlError(`Expected replicas to be ${o.currentReplicas}, was ${now}`);
        await s.rest.request('PUT', `${path}${dryRunQuery(how)}`, { body: { ...scale, spec: { ...scale.spec, replicas: o.replicas } } });
      } else {
        await s.rest.request('PATCH', `${path}${dryRunQuery(how)}`, { body: { spec: { replicas: o.replicas } }, contentType: 'application/merge-patch+json' });
      }
      printChange(s, how, named, 'scaled', read);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      // kubectl words a scale of nothing in its own way.
      s.err(`${isNotFound(err) ? `error: no objects passed to scale ${err.message}` : describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
