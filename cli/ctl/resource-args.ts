import type { ApiResource } from './discovery.js';
import { CtlError } from './errors.js';

/** One resource type and the names asked of it; no names means "all of them". */
export interface ResourceRequest {
  resource: ApiResource;
  names: string[];
}

/**
 * The resource a word on the command line names: a plural, a singular, a kind or a short name,
 * any case, optionally qualified by group (`deployments.apps`). Short names come from discovery.
 *
 *   lookupResource(resources, 'deploy')   // the deployments resource
 *   lookupResource(resources, 'foo')      // throws: the server doesn't have a resource type "foo"
 */
export function lookupResource(resources: readonly ApiResource[], word: string): ApiResource {
  const found = findResource(resources, word);
  if (!found) throw new CtlError(`the server doesn't have a resource type "${word}"`);
  return found;
}

function findResource(resources: readonly ApiResource[], word: string): ApiResource | undefined {
  const lower = word.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  const inGroup = resources.filter((r) => group === undefined || r.group === group || `${r.version}.${r.group}` === group);
  // Names before short names, as kubectl's REST mapper prefers them.
  return (
    inGroup.find((r) => r.name === base || r.singularName === base || r.kind.toLowerCase() === base) ??
    inGroup.find((r) => r.shortNames.includes(base))
  );
}

/** A word that names a resource, or a category (`all`) that names several, in discovery order. */
export function expandResourceWord(resources: readonly ApiResource[], word: string): ApiResource[] {
  const found = findResource(resources, word);
  if (found) return [found];
  const inCategory = resources.filter((r) => r.categories.includes(word.toLowerCase()));
  if (inCategory.length > 0) return inCategory;
  throw new CtlError(`the server doesn't have a resource type "${word}"`);
}

/**
 * Reads arguments the ways kubectl accepts them: `TYPE[,TYPE...] [NAME...]` or `TYPE/NAME...`.
 * Requests for the same type are merged, in the order first named.
 *
 *   parseResourceArgs(resources, ['po,svc'])             // [{ pods, [] }, { services, [] }]
 *   parseResourceArgs(resources, ['deploy', 'a', 'b'])   // [{ deployments, ['a', 'b'] }]
 *   parseResourceArgs(resources, ['po/a', 'svc/b'])      // [{ pods, ['a'] }, { services, ['b'] }]
 *   parseResourceArgs(resources, ['all'])                // pods, services, deployments, replicasets
 */
export function parseResourceArgs(resources: readonly ApiResource[], args: readonly string[]): ResourceRequest[] {
  if (args.length === 0) throw new CtlError('You must specify the type of resource to get. Use "minikctl api-resources" for a complete list of supported resources.');
  const out: ResourceRequest[] = [];
  const add = (resource: ApiResource, names: string[]) => {
    const existing = out.find((r) => r.resource === resource);
    if (existing) existing.names.push(...names.filter((n) => !existing.names.includes(n)));
    else out.push({ resource, names: [...names] });
  };

  if (args.some((a) => a.includes('/'))) {
    for (const arg of args) {
      const slash = arg.indexOf('/');
      if (slash < 0) {
        throw new CtlError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'minikctl get resource/<resource_name>' instead of 'minikctl get resource resource/<resource_name>'`,
        );
      }
      const [word, name] = [arg.slice(0, slash), arg.slice(slash + 1)];
      if (!word || !name || name.includes('/')) throw new CtlError(`arguments in resource/name form must have a single resource and name`);
      add(lookupResource(resources, word), [name]);
    }
    return out;
  }

  const [types, ...names] = args as [string, ...string[]];
  const words = types.split(',').filter(Boolean);
  if (words.length === 0) throw new CtlError(`the server doesn't have a resource type "${types}"`);
  for (const word of words) {
    for (const resource of names.length > 0 ? [lookupResource(resources, word)] : expandResourceWord(resources, word)) add(resource, names);
  }
  return out;
}
