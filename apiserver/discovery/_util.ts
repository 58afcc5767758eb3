import { groupVersions, type ResourceType } from '../../api/resources.js';

/** The group-versions of one half of discovery: the core group lives at /api, the named groups at /apis. */
export function groupVersionsOf(scope: 'core' | 'groups'): ReturnType<typeof groupVersions> {
  return groupVersions().filter((gv) => (scope === 'core') === (gv.group === ''));
}

/** Resources sorted by plural, as the API server installs its routes and so lists them. */
export function sortedResources(resources: readonly ResourceType[]): ResourceType[] {
  return [...resources].sort((a, b) => compare(a.resource, b.resource));
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
