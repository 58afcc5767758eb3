import type { Rest } from './rest.js';

/** One resource as discovery lists it (an APIResource, with its group and version beside it). */
export interface ApiResource {
  group: string;
  version: string;
  /** The plural, as it appears in paths: `deployments`. */
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** `status`, `scale`, ... as discovery lists them (`deployments/scale`). */
  subresources: string[];
}

interface ApiResourceList {
  groupVersion: string;
  resources: Array<Omit<ApiResource, 'group' | 'version'> & { shortNames?: string[]; categories?: string[] }>;
}

interface ApiGroupList {
  groups: Array<{ name: string; preferredVersion?: { version: string }; versions: Array<{ version: string }> }>;
}

/**
 * What the server serves, read as kubectl reads it: `/api/v1`, then `/apis` and each group's
 * preferred version. Subresources (`pods/status`) are left out: nobody names them on the command
 * line. Core resources come first, then the groups in the server's order, which is the order
 * `get all` prints them in.
 *
 *   await discover(rest)
 *     // [{ group: '', version: 'v1', name: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'], ... }, ...]
 */
export async function discover(rest: Rest): Promise<ApiResource[]> {
  const lists: ApiResourceList[] = [await rest.request<ApiResourceList>('GET', '/api/v1')];
  const groups = await rest.request<ApiGroupList>('GET', '/apis');
  lists.push(
    ...(await Promise.all(
      groups.groups.map((g) => rest.request<ApiResourceList>('GET', `/apis/${g.name}/${g.preferredVersion?.version ?? g.versions[0]!.version}`)),
    )),
  );
  return lists.flatMap((list) => {
    const [group, version] = list.groupVersion.includes('/') ? (list.groupVersion.split('/') as [string, string]) : ['', list.groupVersion];
    const subresources = (name: string) => list.resources.filter((r) => r.name.startsWith(`${name}/`)).map((r) => r.name.slice(name.length + 1));
    return list.resources
      .filter((r) => !r.name.includes('/'))
      .map((r) => ({
        group,
        version,
        name: r.name,
        singularName: r.singularName || r.kind.toLowerCase(),
        kind: r.kind,
        namespaced: r.namespaced,
        shortNames: r.shortNames ?? [],
        categories: r.categories ?? [],
        verbs: r.verbs ?? [],
        subresources: subresources(r.name),
      }));
  });
}

export function apiVersionOf(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `/api/v1/namespaces/default/pods/web`, `/apis/apps/v1/deployments`, `/api/v1/nodes/node-1/status`. */
export function resourcePath(r: ApiResource, namespace: string | undefined, name?: string, sub?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  let p = r.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.name}` : `${base}/${r.name}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (sub) p += `/${sub}`;
  return p;
}

/** How kubectl names a resource in its messages and `-o name`: `pod`, `deployment.apps`. */
export function qualifiedKind(r: Pick<ApiResource, 'kind' | 'group'>): string {
  return r.group ? `${r.kind.toLowerCase()}.${r.group}` : r.kind.toLowerCase();
}

/** The plural with its group, as Status messages name it: `pods`, `deployments.apps`. */
export function qualifiedResource(r: Pick<ApiResource, 'name' | 'group'>): string {
  return r.group ? `${r.name}.${r.group}` : r.name;
}
