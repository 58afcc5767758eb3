import { describe, expect, it } from 'vitest';
import { openapiDocument } from './openapi.js';

type Schemas = Record<string, { properties: Record<string, Record<string, unknown>> }>;
const schemas = (gv: string) => openapiDocument(gv)!.components.schemas as unknown as Schemas;

describe('patch strategies in the OpenAPI documents', () => {
  it('marks the lists kubectl merges by key, as in the doc example', () => {
    const core = schemas('api/v1');
    expect(core['io.k8s.api.core.v1.PodSpec']!.properties.containers).toMatchObject({
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(core['io.k8s.api.core.v1.Container']!.properties.ports).toMatchObject({ 'x-kubernetes-patch-merge-key': 'containerPort' });
    expect(core['io.k8s.api.core.v1.Container']!.properties.volumeMounts).toMatchObject({ 'x-kubernetes-patch-merge-key': 'mountPath' });
    expect(core['io.k8s.api.core.v1.ServiceSpec']!.properties.ports).toMatchObject({ 'x-kubernetes-patch-merge-key': 'port' });
    expect(core['io.k8s.api.core.v1.PodSpec']!.properties.volumes).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
  });

  it('leaves replaced lists unmarked, and reaches templates inside other groups', () => {
    const core = schemas('api/v1');
    expect(core['io.k8s.api.core.v1.PodSpec']!.properties.tolerations).not.toHaveProperty('x-kubernetes-patch-strategy');
    const apps = schemas('apis/apps/v1');
    expect(apps['io.k8s.api.apps.v1.DeploymentSpec']!.properties.strategy).toMatchObject({ 'x-kubernetes-patch-strategy': 'retainKeys' });
    expect(apps['io.k8s.api.core.v1.PodSpec']!.properties.containers).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name' });
  });
});
