import { applyStrategicMergePatch } from '../../apiserver/patch/strategic-merge-patch.js';
import { strategyFor } from '../../apiserver/patch/strategies.js';
import type { CreateOutput } from './create-generators.js';
import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, CtlError, describeError } from './errors.js';
import type { Session } from './session.js';
import { selectObjects, type SelectOptions } from './targets.js';

type Json = Record<string, any>;

/**
 * Splits `set image` arguments into resources and `container=image` pairs, as kubectl does:
 * everything after the first pair is a pair.
 *
 *   splitImageArgs(['deploy/web', 'nginx=nginx:1.27'])   // { resourceArgs: ['deploy/web'], images: { nginx: 'nginx:1.27' } }
 */
export function splitImageArgs(args: readonly string[]): { resourceArgs: string[]; images: Record<string, string> } {
  const resourceArgs: string[] = [];
  const images: Record<string, string> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) {
      if (Object.keys(images).length > 0) throw new CtlError(`all resources must be specified before image changes: ${arg}`);
      resourceArgs.push(arg);
      continue;
    }
    if (eq === 0 || eq === arg.length - 1) throw new CtlError(`invalid image ${arg}`);
    images[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  if (Object.keys(images).length === 0) throw new CtlError('at least one image update is required');
  return { resourceArgs, images };
}

/**
 * The strategic merge patch that gives an object's containers their new images (`*` names every
 * container, init containers included), or undefined when every image is already right. A name
 * that matches no container is refused, as kubectl refuses it.
 *
 *   imagePatch(deployment, { nginx: 'nginx:1.27' })
 *     // { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }
 */
export function imagePatch(obj: Json, images: Readonly<Record<string, string>>): Json | undefined {
  const podSpec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const lists = { initContainers: (podSpec?.initContainers ?? []) as Json[], containers: (podSpec?.containers ?? []) as Json[] };
  const changes: Record<string, Json[]> = {};
  for (const [name, image] of Object.entries(images)) {
    let found = false;
    for (const [field, list] of Object.entries(lists)) {
      for (const c of list) {
        if (name !== '*' && c.name !== name) continue;
        found = true;
        if (c.image !== image) (changes[field] ??= []).push({ name: c.name, image });
      }
    }
    if (!found) throw new CtlError(`unable to find container named "${name}"`);
  }
  if (Object.keys(changes).length === 0) return undefined;
  return obj.kind === 'Pod' ? { spec: changes } : { spec: { template: { spec: changes } } };
}

/**
 * `minikctl set image deploy/web nginx=nginx:1.27`: `deployment.apps/web image updated`, or the
 * object with `-o`; nothing for an object already running those images. `--dry-run=client` changes the object as read, here, and sends nothing (what
 * `set image ... --dry-run=client -o yaml > web.yaml` keeps); `server` has the server check the
 * change without keeping it.
 */
export async function runSetImage(s: Session, args: string[], o: SelectOptions & CreateOutput): Promise<number> {
  const { resourceArgs, images } = splitImageArgs(args);
  const how = changeOutput(o);
  let failed = 0;
  for (const ref of await selectObjects(s, resourceArgs, o, 'set image')) {
    const path = resourcePath(ref.resource, ref.namespace, ref.name);
    try {
      const live = await s.rest.request<Json>('GET', path);
      const patch = imagePatch({ ...live, kind: ref.resource.kind }, images);
      // kubectl says nothing of an object whose images are already the ones asked for.
      if (!patch) continue;
      const changed =
        how.dryRun === 'client'
          ? (applyStrategicMergePatch(live, patch, strategyFor(ref.resource.kind)) as Json)
          : await s.rest.request<Json>('PATCH', `${path}${dryRunQuery(how)}`, { body: patch, contentType: 'application/strategic-merge-patch+json' });
      printChange(s, how, `${qualifiedKind(ref.resource)}/${ref.name}`, 'image updated', changed);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
