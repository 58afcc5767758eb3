import type { JsonValue } from '../../apiserver/patch/json-value.js';
import { strategyFor } from '../../apiserver/patch/strategies.js';
import { qualifiedKind, qualifiedResource, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange, type ChangeOutput } from './dry-run.js';
import { ApiError, describeError, isNotFound } from './errors.js';
import { targetOf } from './manifest-target.js';
import { readManifests, type Manifest } from './manifests.js';
import type { Session } from './session.js';
import { threeWayMergePatch } from './three-way-patch.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type JsonMap = { [key: string]: JsonValue };

/**
 * `minikctl apply -f`: client-side apply as kubectl does it. Each object is created with the
 * manifest recorded in the `last-applied-configuration` annotation, or patched with the
 * three-way strategic merge patch between that record, the new manifest and the live object.
 * Prints one line per object and carries on past a failing one; answers the exit code.
 *
 *   minikctl apply -f web.yaml    deployment.apps/web created
 *   minikctl apply -f web.yaml    deployment.apps/web unchanged
 *   (edit the image)              deployment.apps/web configured
 */
export async function runApply(s: Session, files: string[], opts: { recursive?: boolean; dryRun?: string; output?: string }): Promise<number> {
  const how = changeOutput(opts);
  const manifests = await readManifests(files, { recursive: Boolean(opts.recursive), readStdin: () => s.readStdin() });
  let failed = 0;
  for (const m of manifests) {
    try {
      const { label, word, object } = await applyOne(s, m, how);
      printChange(s, how, label, word, object);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  if (manifests.length === 0) s.err('error: no objects passed to apply\n');
  return failed > 0 || manifests.length === 0 ? 1 : 0;
}

/**
 * One manifest applied: the words for what happened and the object to print with `-o`. A client
 * dry run sends nothing: a new object is the manifest as it would be sent, an existing one is
 * `configured` whatever the patch, and prints as it is live, as kubectl prints it.
 */
async function applyOne(s: Session, m: Manifest, how: ChangeOutput): Promise<{ label: string; word: string; object: JsonMap }> {
  const t = await targetOf(s, m);
  const path = resourcePath(t.resource, t.namespace, t.name);
  const label = `${qualifiedKind(t.resource)}/${t.name}`;
  const modified = withLastApplied(m.object as JsonMap, t.namespace);
  let live: JsonMap;
  try {
    live = await s.rest.request<JsonMap>('GET', path);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    if (how.dryRun === 'client') return { label, word: 'created', object: modified };
    const created = await s.rest
      .request<JsonMap>('POST', `${resourcePath(t.resource, t.namespace)}${dryRunQuery(how)}`, { body: modified })
      .catch(failedWhen(`error when creating "${m.source}"`));
    return { label, word: 'created', object: created };
  }
  const annotation = ((live.metadata as JsonMap | undefined)?.annotations as Record<string, string> | undefined)?.[LAST_APPLIED];
  if (annotation === undefined) {
    s.err(
      `Warning: resource ${qualifiedResource(t.resource)}/${t.name} is missing the ${LAST_APPLIED} annotation which is required by minikctl apply. minikctl apply should only be used on resources created declaratively by either minikctl create --save-config or minikctl apply. The missing annotation will be patched automatically.\n`,
    );
  }
  if (how.dryRun === 'client') return { label, word: 'configured', object: live };
  const original = annotation === undefined ? undefined : parseLastApplied(annotation);
  const patch = threeWayMergePatch(original, modified, live, strategyFor(t.resource.kind));
  if (Object.keys(patch).length === 0) return { label, word: 'unchanged', object: live };
  const patched = await s.rest
    .request<JsonMap>('PATCH', `${path}${dryRunQuery(how)}`, { body: patch, contentType: 'application/strategic-merge-patch+json' })
    .catch(failedWhen(`error when applying patch to "${m.source}"`));
  return { label, word: 'configured', object: patched };
}

/**
 * The manifest as apply sends it: with itself recorded in the annotation, serialized as kubectl
 * serializes it (keys sorted, the namespace filled in, `annotations` present even when empty), so
 * that kubectl and minikctl read each other's records as "unchanged".
 *
 *   withLastApplied({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, 'default')
 *     // metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'] =
 *     //   '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"a","namespace":"default"}}\n'
 */
export function withLastApplied(manifest: JsonMap, namespace?: string): JsonMap {
  const metadata: JsonMap = { ...((manifest.metadata as JsonMap | undefined) ?? {}), ...(namespace ? { namespace } : {}) };
  const annotations = { ...((metadata.annotations as JsonMap | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  const record = `${JSON.stringify(sorted({ ...manifest, metadata: { ...metadata, annotations } }))}\n`;
  return { ...manifest, metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: record } } };
}

/** Says which step failed, as kubectl does: `error when creating "web.yaml": ...`. */
export function failedWhen(what: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof ApiError) throw new ApiError({ ...err.status, message: `${what}: ${err.message}` });
    throw err;
  };
}

function parseLastApplied(text: string): JsonMap | undefined {
  try {
    const v = JSON.parse(text) as JsonValue;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function sorted(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k]!)]));
}
