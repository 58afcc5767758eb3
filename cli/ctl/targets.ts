import { resourcePath, type ApiResource } from './discovery.js';
import { CtlError, listFailure } from './errors.js';
import { targetOf } from './manifest-target.js';
import { readManifests } from './manifests.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

/** An object a command acts on. */
export interface ObjectRef {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
}

export interface SelectOptions {
  filenames?: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
}

/** What each command says to `--all` with `-l` (the trailing space of delete's is kubectl's); for scale --all wins, for the others -l does. */
const ALL_WITH_SELECTOR: Readonly<Record<string, string>> = {
  delete: "setting 'all' parameter but found a non empty selector. ",
  label: 'cannot set --all and --selector at the same time',
  annotation: 'cannot set --all and --selector at the same time',
  'set image': 'cannot set --all and --selector at the same time',
  taint: "setting 'all' parameter with a non empty selector is prohibited",
};

/**
 * The objects that `delete`, `label`, `annotate` and `scale` act on, picked the ways kubectl
 * lets you pick them: `TYPE NAME...`, `TYPE/NAME...`, `-f FILE`, or `TYPE` with `-l SELECTOR` or
 * `--all` (listed now, in the namespace or with `-A` in all of them).
 *
 *   await selectObjects(s, ['deploy', 'web'], {})          // [{ deployments, 'default', 'web' }]
 *   await selectObjects(s, ['pods'], { selector: 'app=web' }) // every pod labelled app=web
 */
export async function selectObjects(s: Session, args: string[], o: SelectOptions, verb: string): Promise<ObjectRef[]> {
  if (o.filenames && o.filenames.length > 0) {
    if (args.length > 0) throw new CtlError(`when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well`);
    const manifests = await readManifests(o.filenames, { recursive: Boolean(o.recursive), readStdin: () => s.readStdin() });
    return Promise.all(manifests.map((m) => targetOf(s, m)));
  }
  if (args.length === 0) throw new CtlError(`You must provide one or more resources by argument or filename.`);
  if (o.all && o.selector) {
    // Each of kubectl's commands refuses both in words of its own, or lets --all win.
    const refusal = ALL_WITH_SELECTOR[verb];
    if (refusal) throw new CtlError(refusal);
    if (verb === 'scale') o = { ...o, selector: undefined };
  }
  const requests = parseResourceArgs(await s.resources(), args);
  const out: ObjectRef[] = [];
  for (const { resource, names } of requests) {
    const namespace = resource.namespaced ? s.namespace : undefined;
    if (names.length > 0) {
      if (o.selector || o.all) throw new CtlError(`name cannot be provided when a selector is specified`);
      out.push(...names.map((name) => ({ resource, namespace, name })));
      continue;
    }
    if (!o.selector && !o.all && !o.fieldSelector) {
      throw new CtlError('resource(s) were provided, but no name was specified');
    }
    const listNs = o.allNamespaces ? undefined : namespace;
    const list = await s.rest
      .request<{ items?: Array<{ metadata?: { name?: string; namespace?: string } }> }>('GET', resourcePath(resource, listNs), {
        query: { labelSelector: o.selector, fieldSelector: o.fieldSelector },
      })
      .catch((err: unknown) => {
        throw listFailure(err, resource, o.selector, o.fieldSelector);
      });
    for (const item of list.items ?? []) out.push({ resource, namespace: resource.namespaced ? item.metadata?.namespace : undefined, name: item.metadata?.name ?? '' });
  }
  return out;
}
