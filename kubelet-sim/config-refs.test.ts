import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/client.js';
import { missingConfig, type ConfigLookup } from './config-refs.js';

const store = (objs: Record<string, KubeObject>): ConfigLookup => (kind, ns, name) => objs[`${kind}/${ns}/${name}`];
const pod = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p', namespace: 'default' }, spec });
const container = (c: Record<string, unknown>) => pod({ containers: [{ name: 'c', image: 'nginx', ...c }] });

describe('missingConfig', () => {
  it('reports a missing ConfigMap or Secret behind an env key ref, in upstream words', () => {
    const env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'db-config', key: 'url' } } }];
    expect(missingConfig(container({ env }), store({}))).toBe('configmap "db-config" not found');
    const secretEnv = [{ name: 'A', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }];
    expect(missingConfig(container({ env: secretEnv }), store({}))).toBe('secret "x" not found');
  });

  it('reports a missing key, and nothing once the key is there', () => {
    const env = [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'db-config', key: 'url' } } }];
    const without = store({ 'ConfigMap/default/db-config': { data: { other: '1' } } });
    expect(missingConfig(container({ env }), without)).toBe("couldn't find key url in ConfigMap default/db-config");
    const withKey = store({ 'ConfigMap/default/db-config': { data: { url: 'pg://' } } });
    expect(missingConfig(container({ env }), withKey)).toBeUndefined();
  });

  it('covers envFrom and volumes, and ignores optional references', () => {
    expect(missingConfig(container({ envFrom: [{ secretRef: { name: 's' } }] }), store({}))).toBe('secret "s" not found');
    expect(missingConfig(container({ envFrom: [{ configMapRef: { name: 'c', optional: true } }] }), store({}))).toBeUndefined();
    expect(missingConfig(pod({ containers: [], volumes: [{ name: 'v', secret: { secretName: 'tls' } }] }), store({}))).toBe('secret "tls" not found');
    expect(missingConfig(pod({ containers: [], volumes: [{ name: 'v', configMap: { name: 'cfg' } }] }), store({}))).toBe('configmap "cfg" not found');
    expect(missingConfig(pod({ containers: [], volumes: [{ name: 'v', configMap: { name: 'cfg', optional: true } }] }), store({}))).toBeUndefined();
  });

  it('looks in the pod namespace', () => {
    const envFrom = [{ configMapRef: { name: 'c' } }];
    expect(missingConfig(container({ envFrom }), store({ 'ConfigMap/other/c': {} }))).toBe('configmap "c" not found');
    expect(missingConfig(container({ envFrom }), store({ 'ConfigMap/default/c': {} }))).toBeUndefined();
  });
});
