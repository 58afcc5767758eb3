import { apiVersionOf, type ApiResource } from './discovery.js';
import { CtlError } from './errors.js';
import type { Session } from './session.js';
import { alignTabs } from './tabwriter.js';

export interface ApiResourcesOptions {
  output?: string;
  namespaced?: boolean;
  apiGroup?: string;
  noHeaders?: boolean;
}

/**
 * `minikctl api-resources`: what discovery lists, sorted by group then name as kubectl sorts it.
 *
 *   NAME          SHORTNAMES   APIVERSION   NAMESPACED   KIND
 *   configmaps    cm           v1           true         ConfigMap
 *   ...
 *   deployments   deploy       apps/v1      true         Deployment
 */
export function formatApiResources(resources: readonly ApiResource[], o: ApiResourcesOptions): string {
  const picked = resources
    .filter((r) => o.namespaced === undefined || r.namespaced === o.namespaced)
    .filter((r) => o.apiGroup === undefined || r.group === o.apiGroup)
    .slice()
    .sort((a, b) => (a.group === b.group ? a.name.localeCompare(b.name) : a.group.localeCompare(b.group)));
  if (o.output === 'name') return picked.map((r) => `${r.group ? `${r.name}.${r.group}` : r.name}\n`).join('');
  if (o.output !== undefined && o.output !== 'wide') throw new CtlError(`--output ${o.output} is not available`);
  const wide = o.output === 'wide';
  const lines = picked.map((r) => [r.name, r.shortNames.join(','), apiVersionOf(r), String(r.namespaced), r.kind, ...(wide ? [r.verbs.join(','), r.categories.join(',')] : [])]);
  if (!o.noHeaders) lines.unshift(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])]);
  return `${alignTabs(lines.map((l) => l.join('\t')).join('\n'), 3)}\n`;
}

export async function runApiResources(s: Session, o: ApiResourcesOptions): Promise<number> {
  s.out(formatApiResources(await s.resources(), o));
  return 0;
}
