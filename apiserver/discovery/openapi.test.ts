import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RESOURCES, type ResourceType } from '../../api/resources.js';
import { componentName } from './component-names.js';
import { openapiDocument, openapiIndex, type OpenAPIDocument } from './openapi.js';

const PATHS = ['api/v1', 'apis/apps/v1', 'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1'];
const docPath = (r: { group: string; version: string }) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);
const doc = (r: { group: string; version: string }): OpenAPIDocument => openapiDocument(docPath(r))!;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const itemPath = (r: ResourceType) =>
  `/${docPath(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}/{name}`;

type Op = { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { content: Record<string, { schema: unknown }> }> };
const op = (d: OpenAPIDocument, path: string, method: string) => d.paths[path]?.[method] as unknown as Op & Record<string, unknown>;

function refsOf(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsOf(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') out.push(v as string);
      else refsOf(v, out);
    }
  }
  return out;
}

describe('openapiIndex', () => {
  it('lists one document per group-version, each URL carrying the hash of its document', () => {
    const { paths } = openapiIndex();
    expect(Object.keys(paths)).toStrictEqual(PATHS);
    for (const path of PATHS) {
      const hash = createHash('sha512').update(JSON.stringify(openapiDocument(path))).digest('hex').toUpperCase();
      expect(paths[path]).toStrictEqual({ serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` });
    }
    expect(openapiIndex()).toStrictEqual(openapiIndex());
  });
});

describe('openapiDocument', () => {
  it('knows only the group-versions it lists', () => {
    expect(openapiDocument('apis/policy/v1')).toBeUndefined();
    expect(openapiDocument('/apis/apps/v1')).toBe(openapiDocument('apis/apps/v1'));
  });

  it('is plain JSON, and every $ref resolves to a component of the same document', () => {
    for (const path of PATHS) {
      const d = openapiDocument(path)!;
      expect(JSON.parse(JSON.stringify(d))).toStrictEqual(d);
      expect(d.openapi).toBe('3.0.0');
      const refs = refsOf(d);
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) {
        expect(r).toMatch(/^#\/components\/schemas\//);
        expect(d.components.schemas, `${path}: ${r}`).toHaveProperty([r.slice('#/components/schemas/'.length)]);
      }
    }
  });

  it('documents the item path of every resource, each operation naming its kind and taking fieldValidation', () => {
    for (const r of RESOURCES) {
      const d = doc(r);
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      const path = itemPath(r);
      for (const [method, action] of [['get', 'get'], ['put', 'put'], ['patch', 'patch'], ['delete', 'delete']] as const) {
        const o = op(d, path, method);
        expect(o, `${method} ${path}`).toMatchObject({ 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': action });
        expect(o.responses['200']!.content['application/json']!.schema).toStrictEqual(ref(componentName(r)));
      }
      for (const method of ['put', 'patch']) {
        expect(op(d, path, method).parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }));
      }
      expect(d.paths[path]!.parameters).toContainEqual(expect.objectContaining({ name: 'name', in: 'path', required: true }));
    }
  });

  it('documents the collection path of every resource: list, create, delete the collection', () => {
    for (const r of RESOURCES) {
      const d = doc(r);
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      const path = itemPath(r).replace(/\/\{name\}$/, '');
      expect(op(d, path, 'get')).toMatchObject({ 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': 'list' });
      expect(op(d, path, 'get').responses['200']!.content['application/json']!.schema).toStrictEqual(ref(componentName({ ...gvk, kind: `${r.kind}List` })));
      expect(op(d, path, 'post')).toMatchObject({ 'x-kubernetes-group-version-kind': gvk, 'x-kubernetes-action': 'post' });
      expect(op(d, path, 'post').parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
      expect(op(d, path, 'delete')).toMatchObject({ 'x-kubernetes-action': 'deletecollection' });
    }
  });

  it('documents the subresources of pods, eviction as policy/v1 Eviction and log as text', () => {
    const pods = RESOURCES.find((r) => r.resource === 'pods')!;
    const d = doc(pods);
    const item = '/api/v1/namespaces/{namespace}/pods/{name}';
    const pod = { group: '', version: 'v1', kind: 'Pod' };
    for (const method of ['get', 'put', 'patch']) {
      expect(op(d, `${item}/status`, method)).toMatchObject({ 'x-kubernetes-group-version-kind': pod });
    }
    expect(op(d, `${item}/status`, 'patch').parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation' }));
    expect(op(d, `${item}/binding`, 'post')).toMatchObject({
      'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Binding' },
      operationId: 'createCoreV1NamespacedPodBinding',
    });
    expect(op(d, `${item}/eviction`, 'post')).toMatchObject({
      'x-kubernetes-group-version-kind': { group: 'policy', version: 'v1', kind: 'Eviction' },
      requestBody: { content: { 'application/json': { schema: ref('io.k8s.api.policy.v1.Eviction') } } },
    });
    expect(op(d, `${item}/log`, 'get').responses['200']!.content['text/plain']!.schema).toStrictEqual({ type: 'string' });
    expect(op(d, '/api/v1/pods', 'get')).toMatchObject({ 'x-kubernetes-action': 'list', operationId: 'listCoreV1PodForAllNamespaces' });
    expect(op(d, item, 'get').operationId).toBe('readCoreV1NamespacedPod');
  });

  it('documents the scale of deployments as autoscaling/v1 Scale, a component of the apps document', () => {
    const d = openapiDocument('apis/apps/v1')!;
    const scale = '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale';
    for (const method of ['get', 'put', 'patch']) {
      expect(op(d, scale, method)).toMatchObject({ 'x-kubernetes-group-version-kind': { group: 'autoscaling', version: 'v1', kind: 'Scale' } });
    }
    expect(d.components.schemas['io.k8s.api.autoscaling.v1.Scale']).toMatchObject({
      'x-kubernetes-group-version-kind': [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }],
    });
  });

  it('documents nodes at cluster scope only', () => {
    const d = openapiDocument('api/v1')!;
    expect(d.paths).toHaveProperty(['/api/v1/nodes/{name}']);
    expect(d.paths).toHaveProperty(['/api/v1/nodes/{name}/status']);
    expect(Object.keys(d.paths).filter((p) => p.includes('{namespace}/nodes'))).toStrictEqual([]);
    expect(d.paths['/api/v1/nodes/{name}']!.parameters).not.toContainEqual(expect.objectContaining({ name: 'namespace' }));
  });

  it('tags every kind, its list and the kinds its subresources take with their group-version-kind', () => {
    for (const r of RESOURCES) {
      const schemas = doc(r).components.schemas;
      const kinds = [
        { group: r.group, version: r.version, kind: r.kind },
        { group: r.group, version: r.version, kind: `${r.kind}List` },
        ...r.subresources.map((s) => ({ group: s.group, version: s.version, kind: s.kind })),
      ];
      for (const gvk of kinds) {
        expect(schemas[componentName(gvk)], componentName(gvk)).toMatchObject({ 'x-kubernetes-group-version-kind': [gvk] });
      }
    }
  });

  it('carries the schemas\' descriptions, with metadata a reference to ObjectMeta', () => {
    const schemas = openapiDocument('apis/apps/v1')!.components.schemas;
    const deployment = schemas['io.k8s.api.apps.v1.Deployment'] as { description: string; properties: Record<string, unknown> };
    expect(deployment.description).toBe('Declarative updates for Pods and ReplicaSets.');
    expect(deployment.properties.metadata).toMatchObject({ allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')] });
    expect(deployment.properties.spec).toMatchObject({ allOf: [ref('io.k8s.api.apps.v1.DeploymentSpec')] });
    expect(schemas['io.k8s.api.apps.v1.DeploymentSpec']).toMatchObject({
      description: 'The desired behaviour of a Deployment.',
      properties: {
        replicas: { type: 'integer', description: 'Number of desired pods. Defaults to 1.' },
        selector: { description: "Label selector for pods; must match the template's labels.", allOf: [ref('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')] },
      },
    });
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toMatchObject({
      properties: { name: { type: 'string', description: 'Name must be unique within a namespace.' } },
    });
  });
});
