import type { ResourceType, Subresource } from '../../api/resources.js';
import { componentName, META_V1 } from './component-names.js';
import { REF_PREFIX, type SchemaObject } from './openapi-schemas.js';
import type { GroupVersionKind } from './types.js';

type Operation = SchemaObject;
export type PathItem = { [method: string]: Operation | Parameter[] };
interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  required?: true;
  schema: { type: 'string' | 'boolean' | 'integer' };
}

/**
 * The OpenAPI paths of one resource, as the API server documents them. For pods:
 *
 *   /api/v1/namespaces/{namespace}/pods             get (list), post, delete (deletecollection)
 *   /api/v1/namespaces/{namespace}/pods/{name}      get, put, patch, delete
 *   /api/v1/namespaces/{namespace}/pods/{name}/...  one path per subresource: status, binding, ...
 *   /api/v1/pods                                    get (list in all namespaces)
 *
 * Every operation names the kind it acts on in `x-kubernetes-group-version-kind`; kubectl finds a
 * kind's patch operation by it and sends `fieldValidation=Strict` only when that operation lists
 * the `fieldValidation` parameter (otherwise it validates on the client, against OpenAPI v2).
 */
export function resourcePaths(r: ResourceType): Record<string, PathItem> {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = r.namespaced ? `${root}/namespaces/{namespace}/${r.resource}` : `${root}/${r.resource}`;
  const item = `${collection}/{name}`;
  const scope = r.namespaced ? [NAMESPACE] : [];
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const id = (verb: string, suffix = '') => operationId(verb, r, suffix);
  const kind = ref(componentName(gvk));
  const list = ref(componentName({ ...gvk, kind: `${r.kind}List` }));

  const paths: Record<string, PathItem> = {
    [collection]: {
      get: operation(gvk, 'list', id('list'), `list or watch objects of kind ${r.kind}`, LIST, { 200: list }),
      post: operation(gvk, 'post', id('create'), `create a ${r.kind}`, WRITE, { 200: kind, 201: kind, 202: kind }, kind),
      delete: operation(gvk, 'deletecollection', id('delete', 'Collection'), `delete a collection of ${r.kind}`, [...DELETE, ...LIST], {
        200: ref(`${META_V1}.Status`),
      }),
      parameters: [...scope, PRETTY],
    },
    [item]: {
      get: operation(gvk, 'get', id('read'), `read the specified ${r.kind}`, [], { 200: kind }),
      put: operation(gvk, 'put', id('replace'), `replace the specified ${r.kind}`, WRITE, { 200: kind, 201: kind }, kind),
      patch: operation(gvk, 'patch', id('patch'), `partially update the specified ${r.kind}`, PATCH, { 200: kind, 201: kind }, PATCH_BODY),
      delete: operation(gvk, 'delete', id('delete'), `delete a ${r.kind}`, DELETE, { 200: kind, 202: kind }),
      parameters: [NAME, ...scope, PRETTY],
    },
  };
  if (r.namespaced) {
    paths[`${root}/${r.resource}`] = {
      get: operation(gvk, 'list', operationId('list', { ...r, namespaced: false }, 'ForAllNamespaces'), `list or watch objects of kind ${r.kind}`, LIST, { 200: list }),
      parameters: [PRETTY],
    };
  }
  for (const s of r.subresources) paths[`${item}/${s.name}`] = { ...subresourceOperations(r, s, id), parameters: [NAME, ...scope, PRETTY] };
  return paths;
}

function subresourceOperations(r: ResourceType, s: Subresource, id: (verb: string, suffix?: string) => string): PathItem {
  const gvk = { group: s.group, version: s.version, kind: s.kind };
  const suffix = s.name[0]!.toUpperCase() + s.name.slice(1);
  const what = `${s.name} of the specified ${r.kind}`;
  if (s.name === 'log') {
    return { get: operation(gvk, 'get', id('read', suffix), `read ${what}`, LOG, { 200: { type: 'string' } }, undefined, 'text/plain') };
  }
  const kind = ref(componentName(gvk));
  const out: PathItem = {};
  if (s.verbs.includes('get')) out.get = operation(gvk, 'get', id('read', suffix), `read ${what}`, [], { 200: kind });
  if (s.verbs.includes('update')) out.put = operation(gvk, 'put', id('replace', suffix), `replace ${what}`, WRITE, { 200: kind, 201: kind }, kind);
  if (s.verbs.includes('patch')) out.patch = operation(gvk, 'patch', id('patch', suffix), `partially update ${what}`, PATCH, { 200: kind, 201: kind }, PATCH_BODY);
  if (s.verbs.includes('create')) out.post = operation(gvk, 'post', id('create', suffix), `create ${what}`, WRITE, { 200: kind, 201: kind, 202: kind }, kind);
  return out;
}

function operation(
  gvk: GroupVersionKind,
  action: string,
  operationId: string,
  description: string,
  parameters: Parameter[],
  responses: Record<number, SchemaObject>,
  body?: SchemaObject,
  contentType = 'application/json',
): Operation {
  return {
    description,
    operationId,
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: body === PATCH_BODY ? PATCH_BODY : { content: { 'application/json': { schema: body } }, required: true } } : {}),
    responses: Object.fromEntries(
      Object.entries(responses).map(([code, schema]) => [code, { description: STATUS_TEXT[code] ?? 'OK', content: { [contentType]: { schema } } }]),
    ),
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
  };
}

/** `readCoreV1NamespacedPodStatus`, `listAppsV1DeploymentForAllNamespaces`: unique, as client generators need. */
function operationId(verb: string, r: ResourceType, suffix = ''): string {
  const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const group = pascal(r.group === '' ? 'core' : (r.group.split('.')[0] ?? r.group));
  // "deleteCoreV1CollectionNamespacedPod": the API server puts Collection before the scope.
  const [before, after] = suffix === 'Collection' ? ['Collection', ''] : ['', suffix];
  return `${verb}${group}${pascal(r.version)}${before}${r.namespaced ? 'Namespaced' : ''}${r.kind}${after}`;
}

const ref = (name: string): SchemaObject => ({ $ref: REF_PREFIX + name });

const STATUS_TEXT: Record<string, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted' };

const query = (name: string, type: Parameter['schema']['type'], description: string): Parameter => ({
  name,
  in: 'query',
  description,
  schema: { type },
});

const NAME: Parameter = { name: 'name', in: 'path', description: 'name of the object', required: true, schema: { type: 'string' } };
const NAMESPACE: Parameter = { name: 'namespace', in: 'path', description: 'object name and auth scope, such as for teams and projects', required: true, schema: { type: 'string' } };
const PRETTY = query('pretty', 'string', "If 'true', the output is pretty printed.");
const DRY_RUN = query('dryRun', 'string', 'When present, modifications are not persisted. The only valid value is All.');
const FIELD_MANAGER = query('fieldManager', 'string', 'A name for the actor making these changes.');
const FIELD_VALIDATION = query('fieldValidation', 'string', 'What to do with unknown or duplicate fields in the body: Ignore, Warn (the default) or Strict.');

const WRITE = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
const PATCH = [...WRITE, query('force', 'boolean', 'Force an apply patch to take over fields owned by other managers.')];
const DELETE = [
  DRY_RUN,
  query('gracePeriodSeconds', 'integer', 'Seconds before the object should be deleted.'),
  query('propagationPolicy', 'string', 'Whether and how dependents are garbage collected: Orphan, Background or Foreground.'),
];
const LIST = [
  query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK watch events.'),
  query('continue', 'string', 'The continue token of the previous page.'),
  query('fieldSelector', 'string', 'Restrict the list by fields.'),
  query('labelSelector', 'string', 'Restrict the list by labels.'),
  query('limit', 'integer', 'The most items to return in one page.'),
  query('resourceVersion', 'string', 'Which version of the list to answer with, or to watch from.'),
  query('resourceVersionMatch', 'string', 'How resourceVersion applies to a list.'),
  query('sendInitialEvents', 'boolean', 'Begin a watch with the current state as ADDED events.'),
  query('timeoutSeconds', 'integer', 'End the call after this many seconds.'),
  query('watch', 'boolean', 'Watch for changes and stream them as events.'),
];
const LOG = [
  query('container', 'string', 'The container to stream logs of; optional when the pod has one container.'),
  query('follow', 'boolean', 'Follow the log stream.'),
  query('limitBytes', 'integer', 'The most bytes of log to return.'),
  query('previous', 'boolean', 'The log of the previous, terminated container.'),
  query('sinceSeconds', 'integer', 'Only log lines newer than this many seconds.'),
  query('tailLines', 'integer', 'Only this many lines from the end of the log.'),
  query('timestamps', 'boolean', 'Prefix each line with its timestamp.'),
];

/** Any of the four patch flavours; the body is a patch, not an object, so its schema is open. */
const PATCH_BODY: SchemaObject = {
  content: Object.fromEntries(
    ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'].map((t) => [
      t,
      { schema: { $ref: `${REF_PREFIX}${META_V1}.Patch` } },
    ]),
  ),
  required: true,
};
