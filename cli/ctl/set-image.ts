import { qualifiedKind, resourcePath } from './discovery.js';
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

/** `minikctl set image deploy/web nginx=nginx:1.27`: `deployment.apps/web image updated`. */
export async function runSetImage(s: Session, args: string[], o: SelectOptions): Promise<number> {
  const { resourceArgs, images } = splitImageArgs(args);
  let failed = 0;
  for (const ref of await selectObjects(s, resourceArgs, o, 'set image')) {
    const path = resourcePath(ref.resource, ref.namespace, ref.name);
    try {
      const live = await s.rest.request<Json>('GET', path);
      const patch = imagePatch({ ...live, kind: ref.resource.kind }, images);
      if (patch) await s.rest.request('PATCH', path, { body: patch, contentType: 'application/strategic-merge-patch+json' });
      s.out(`${qualifiedKind(ref.resource)}/${ref.name} image updated\n`);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
