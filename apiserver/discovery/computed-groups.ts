import { METRICS_GROUP, METRICS_RESOURCES, METRICS_VERBS, METRICS_VERSION } from '../metrics-api.js';
import { REVIEW_GROUPS } from '../reviews.js';

/**
 * The API groups whose resources are computed on request, never stored, so they are not in the
 * resource table: the resource metrics (what metrics-server serves) and the self-reviews that
 * `kubectl auth can-i` and `kubectl auth whoami` create. Discovery lists them after the stored ones.
 */
export interface ComputedGroup {
  group: string;
  version: string;
  resources: ReadonlyArray<{ name: string; singularName: string; namespaced: boolean; kind: string; verbs: readonly string[] }>;
}

export const COMPUTED_GROUPS: readonly ComputedGroup[] = [
  ...REVIEW_GROUPS,
  { group: METRICS_GROUP, version: METRICS_VERSION, resources: METRICS_RESOURCES.map((r) => ({ ...r, verbs: METRICS_VERBS })) },
];
