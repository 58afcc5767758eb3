import { failedWhen, withLastApplied } from './apply.js';
import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, describeError } from './errors.js';
import { targetOf } from './manifest-target.js';
import { readManifests } from './manifests.js';
import type { Session } from './session.js';

/**
 * `minikctl create -f`: POSTs each object as written (no apply record unless `--save-config`),
 * printing `deployment.apps/web created`; an object that exists is an error for that one only.
 *
 *   minikctl create -f web.yaml   deployment.apps/web created
 *   minikctl create -f web.yaml   Error from server (AlreadyExists): error when creating "web.yaml": deployments.apps "web" already exists
 */
export async function runCreate(s: Session, files: string[], opts: { recursive?: boolean; saveConfig?: boolean; dryRun?: string; output?: string }): Promise<number> {
  const how = changeOutput(opts);
  const manifests = await readManifests(files, { recursive: Boolean(opts.recursive), readStdin: () => s.readStdin() });
  let failed = 0;
  for (const m of manifests) {
    try {
      const t = await targetOf(s, m, { needName: false });
      const object = opts.saveConfig ? withLastApplied(m.object as never, t.namespace) : m.object;
      const body = { ...object, metadata: { ...(object.metadata as object), ...(t.namespace ? { namespace: t.namespace } : {}) } };
      const created =
        how.dryRun === 'client'
          ? (body as Record<string, unknown> & { metadata?: { name?: string } })
          : await s.rest
              .request<Record<string, unknown> & { metadata?: { name?: string } }>('POST', `${resourcePath(t.resource, t.namespace)}${dryRunQuery(how)}`, { body })
              .catch(failedWhen(`error when creating "${m.source}"`));
      printChange(s, how, `${qualifiedKind(t.resource)}/${created.metadata?.name ?? t.name}`, 'created', created);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  if (manifests.length === 0) s.err('error: no objects passed to create\n');
  return failed > 0 || manifests.length === 0 ? 1 : 0;
}
