import { z } from 'zod';
import { RESOURCES, SUBRESOURCE_SCHEMAS } from '../../api/resources.js';
import * as cluster from '../../api/schemas/cluster.js';
import * as config from '../../api/schemas/config.js';
import * as meta from '../../api/schemas/meta.js';
import * as pod from '../../api/schemas/pod.js';
import * as service from '../../api/schemas/service.js';
import * as workloads from '../../api/schemas/workloads.js';
import type { GroupVersionKind } from './types.js';

export const META_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/**
 * The OpenAPI component name of a kind, as clients expect it: the Go package path of the API
 * server's types. `{group:'apps', version:'v1', kind:'Deployment'}` -> `io.k8s.api.apps.v1.Deployment`;
 * the core group's package is `core`, a dotted group's package its first label
 * (`coordination.k8s.io` -> `io.k8s.api.coordination.v1.Lease`).
 */
export function componentName({ group, version, kind }: GroupVersionKind): string {
  return `io.k8s.api.${group === '' ? 'core' : group.split('.')[0]}.${version}.${kind}`;
}

/** A kind served somewhere, and the zod schema of its objects. */
export interface NamedKind extends GroupVersionKind {
  schema: z.ZodType;
}

/** Every kind: each resource's, and those its subresources take (Scale, Binding, Eviction). */
export function namedKinds(): NamedKind[] {
  const out: NamedKind[] = [];
  const add = (k: NamedKind) => {
    if (!out.some((o) => o.group === k.group && o.version === k.version && o.kind === k.kind)) out.push(k);
  };
  for (const r of RESOURCES) add({ group: r.group, version: r.version, kind: r.kind, schema: r.schema });
  for (const r of RESOURCES) {
    for (const s of r.subresources) {
      const schema = SUBRESOURCE_SCHEMAS[s.kind] ?? RESOURCES.find((o) => o.group === s.group && o.version === s.version && o.kind === s.kind)?.schema;
      if (schema) add({ group: s.group, version: s.version, kind: s.kind, schema });
    }
  }
  return out;
}

// Shared structures are named so that they appear once per document and `kubectl explain` shows
// their names; each schema module's package is where its non-kind exports are named.
const MODULES: Array<[Record<string, unknown>, string]> = [
  [meta, META_V1],
  [pod, 'io.k8s.api.core.v1'],
  [service, 'io.k8s.api.core.v1'],
  [config, 'io.k8s.api.core.v1'],
  [cluster, 'io.k8s.api.core.v1'],
  [workloads, 'io.k8s.api.apps.v1'],
];

/** Exports spelled differently from their component; null: a bare map, kept inline as the API server does. */
const RENAMED: Record<string, string | null> = {
  QuantityValue: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  ResourceList: null,
};

/**
 * The component name of every named zod schema: every kind first (so a kind exported from a module
 * of another group, like Eviction, is named by its own group), then the modules' other exports.
 */
export function componentNames(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const k of namedKinds()) if (!names.has(k.schema)) names.set(k.schema, componentName(k));
  for (const [module, pkg] of MODULES) {
    for (const [exported, value] of Object.entries(module)) {
      if (!(value instanceof z.ZodType) || names.has(value)) continue;
      const renamed = RENAMED[exported];
      if (renamed !== null) names.set(value, renamed ?? `${pkg}.${exported}`);
    }
  }
  return names;
}
