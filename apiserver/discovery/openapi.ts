import { createHash } from 'node:crypto';
import { apiVersionOf, groupVersions, type ResourceType } from '../../api/resources.js';
import { compare } from './_util.js';
import { componentName, componentNames, META_V1, namedKinds } from './component-names.js';
import { resourcePaths, type PathItem } from './openapi-paths.js';
import { annotatePatchStrategies } from './openapi-patch-extensions.js';
import { openapiSchemas, REF_PREFIX, type SchemaObject } from './openapi-schemas.js';
import type { GroupVersionKind } from './types.js';

/**
 * OpenAPI v3, as the API server publishes it: `GET /openapi/v3` lists one document per
 * group-version, and each document holds that group-version's paths and every schema they reach.
 *
 *   GET /openapi/v3              {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=9A3F..."},
 *                                          "apis/apps/v1":{...},"apis/coordination.k8s.io/v1":{...}}}
 *   GET /openapi/v3/apis/apps/v1 {"openapi":"3.0.0","paths":{...},"components":{"schemas":{
 *                                   "io.k8s.api.apps.v1.Deployment":{...},"io.k8s.api.core.v1.PodSpec":{...},...}}}
 *
 * The hash is the document's sha512, so clients that cache by URL refetch only what changed.
 * kubectl needs this to apply and create from files, and `kubectl explain` reads its schemas.
 */
export interface OpenAPIDocument {
  openapi: '3.0.0';
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, SchemaObject> };
}

/** `GET /openapi/v3`. */
export function openapiIndex(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, { hash }] of documents()) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  return { paths };
}

/**
 * `GET /openapi/v3/{path}`, where `path` is a key of the index: `api/v1`, `apis/apps/v1`. Undefined
 * for a group-version this server does not serve. The document is shared: do not change it.
 */
export function openapiDocument(path: string): OpenAPIDocument | undefined {
  return documents().get(path.replace(/^\/+/, ''))?.document;
}

let cache: Map<string, { document: OpenAPIDocument; hash: string }> | undefined;

// Built once: RESOURCES and the schemas do not change while the process runs.
function documents(): Map<string, { document: OpenAPIDocument; hash: string }> {
  if (cache) return cache;
  const components = allComponents();
  cache = new Map();
  for (const gv of groupVersions()) {
    const document = groupVersionDocument(gv, components);
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
    cache.set(gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`, { document, hash });
  }
  return cache;
}

function groupVersionDocument(
  gv: { group: string; version: string; resources: ResourceType[] },
  components: Record<string, SchemaObject>,
): OpenAPIDocument {
  const paths: Record<string, PathItem> = {};
  for (const r of gv.resources) Object.assign(paths, resourcePaths(r));
  const sorted = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => compare(a, b)));
  return {
    openapi: '3.0.0',
    info: { title: 'minik', version: apiVersionOf(gv) },
    paths: sorted,
    components: { schemas: reachable(sorted, components) },
  };
}

/** The components `root` refers to, directly or through other components, sorted by name. */
function reachable(root: unknown, components: Record<string, SchemaObject>): Record<string, SchemaObject> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(REF_PREFIX)) {
        const name = value.slice(REF_PREFIX.length);
        if (names.has(name)) continue;
        const target = components[name];
        if (!target) throw new Error(`OpenAPI: ${value} refers to no component`);
        names.add(name);
        visit(target);
      } else visit(value);
    }
  };
  visit(root);
  return Object.fromEntries([...names].sort().map((n) => [n, components[n]!]));
}

/**
 * Every component: the zod schemas, a list kind per resource, and the few the operations name
 * besides; each kind tagged with `x-kubernetes-group-version-kind`, which is how kubectl finds the
 * schema of a kind it was asked to explain.
 */
function allComponents(): Record<string, SchemaObject> {
  const components = openapiSchemas(componentNames());
  for (const k of namedKinds()) {
    const name = componentName(k);
    const schema = components[name];
    if (schema) components[name] = withTypeMeta(schema, { group: k.group, version: k.version, kind: k.kind });
  }
  for (const r of groupVersions().flatMap((gv) => gv.resources)) {
    const list = { group: r.group, version: r.version, kind: `${r.kind}List` };
    components[componentName(list)] = listSchema(r, list);
  }
  annotatePatchStrategies(components, (kind) => {
    const k = namedKinds().find((x) => x.kind === kind);
    return k && componentName(k);
  });
  const status = components[`${META_V1}.Status`];
  if (status) components[`${META_V1}.Status`] = { ...status, [GVK]: [{ group: '', version: 'v1', kind: 'Status' }] };
  components[`${META_V1}.Patch`] = { type: 'object', description: 'A patch: a JSON patch, a merge patch, a strategic merge patch or an apply configuration.' };
  return components;
}

const GVK = 'x-kubernetes-group-version-kind';

const TYPE_META: Record<string, string> = {
  apiVersion: 'The versioned schema of this object, such as apps/v1.',
  kind: 'The kind of this object, such as Deployment.',
  metadata: "Standard object's metadata.",
};

/** The kind's schema with its GVK, and the type fields every kind shares described. */
function withTypeMeta(schema: SchemaObject, gvk: GroupVersionKind): SchemaObject {
  const properties = { ...(schema.properties as Record<string, SchemaObject> | undefined) };
  for (const [field, description] of Object.entries(TYPE_META)) {
    const p = properties[field];
    if (p && p.description === undefined) properties[field] = { description, ...p };
  }
  return { ...schema, properties, [GVK]: [gvk] };
}

function listSchema(r: ResourceType, gvk: GroupVersionKind): SchemaObject {
  return {
    description: `A list of ${r.kind} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: TYPE_META.apiVersion, type: 'string' },
      items: { description: `The ${r.resource}.`, type: 'array', items: { $ref: REF_PREFIX + componentName(r) } },
      kind: { description: TYPE_META.kind, type: 'string' },
      metadata: { description: 'Standard list metadata.', allOf: [{ $ref: `${REF_PREFIX}${META_V1}.ListMeta` }] },
    },
    [GVK]: [gvk],
  };
}
