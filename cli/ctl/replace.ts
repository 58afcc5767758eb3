import { failedWhen, withLastApplied } from './apply.js';
import { waitGone } from './delete.js';
import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, CtlError, describeError, isNotFound } from './errors.js';
import { targetOf } from './manifest-target.js';
import { readManifests } from './manifests.js';
import type { Session } from './session.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const WEEK_MS = 7 * 24 * 3600_000;

export interface ReplaceOptions {
  recursive?: boolean;
  force?: boolean;
  saveConfig?: boolean;
  dryRun?: string;
  output?: string;
}

/**
 * `minikctl replace -f FILE`: each object PUT as written, at the live resourceVersion unless the
 * file names one (so the whole object is the file's: what it leaves out is gone), printing
 * `configmap/app replaced`. `--force` deletes it, waits until it is gone, and creates it again: how
 * a pod, whose spec cannot change, is given a new one.
 *
 *   minikctl replace -f app.yaml            configmap/app replaced
 *   minikctl replace --force -f pod.yaml    pod "web" deleted
 *                                           pod/web replaced
 */
export async function runReplace(s: Session, files: string[], o: ReplaceOptions): Promise<number> {
  if (files.length === 0) throw new CtlError('must specify one of -f and -k');
  const how = changeOutput(o);
  if (o.force && how.dryRun !== 'none') throw new CtlError('--dry-run can not be used when --force is set');
  const manifests = await readManifests(files, { recursive: Boolean(o.recursive), readStdin: () => s.readStdin() });
  let failed = 0;
  for (const m of manifests) {
    try {
      const t = await targetOf(s, m);
      const path = resourcePath(t.resource, t.namespace, t.name);
      const object = o.saveConfig ? withLastApplied(m.object as never, t.namespace) : (m.object as Json);
      const body: Json = { ...object, metadata: { ...(object.metadata as Json), ...(t.namespace ? { namespace: t.namespace } : {}) } };
      const label = `${qualifiedKind(t.resource)}/${t.name}`;
      if (o.force) {
        await s.rest.request('DELETE', path).then(
          () => s.out(`${qualifiedKind(t.resource)} "${t.name}" deleted\n`),
          (err: unknown) => {
            if (!isNotFound(err)) throw err;
          },
        );
        // A pod's graceful deletion, finalizers, a foreground cascade: the name is free only once it is gone.
        await waitGone(s, { resource: t.resource, namespace: t.namespace, name: t.name }, undefined, WEEK_MS);
        const created = await s.rest.request<Json>('POST', resourcePath(t.resource, t.namespace), { body }).catch(failedWhen(`error when replacing "${m.source}"`));
        printChange(s, how, label, 'replaced', created);
        continue;
      }
      if (!body.metadata.resourceVersion) {
        const live = await s.rest.request<Json>('GET', path).catch(failedWhen(`error when replacing "${m.source}"`));
        body.metadata.resourceVersion = live.metadata?.resourceVersion;
      }
      const replaced =
        how.dryRun === 'client'
          ? body
          : await s.rest.request<Json>('PUT', `${path}${dryRunQuery(how)}`, { body }).catch(failedWhen(`error when replacing "${m.source}"`));
      printChange(s, how, label, 'replaced', replaced);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  if (manifests.length === 0) s.err('error: no objects passed to replace\n');
  return failed > 0 || manifests.length === 0 ? 1 : 0;
}
