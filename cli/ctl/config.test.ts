import { describe, expect, it } from 'vitest';
import { runConfig } from './config.js';
import type { LoadedKubeconfig } from './kubeconfig.js';

const kc = (): LoadedKubeconfig => ({
  path: '/nowhere/config',
  config: {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'minik', cluster: { server: 'http://127.0.0.1:6443' } }],
    users: [{ name: 'minik', user: {} }],
    contexts: [{ name: 'minik', context: { cluster: 'minik', user: 'minik', namespace: 'default' } }],
    'current-context': 'minik',
  },
});

describe('config view', () => {
  it('prints YAML by default, JSON with -o json', () => {
    expect(runConfig(kc(), 'view', [], {})).toMatch(/^apiVersion: v1\nclusters:\n- cluster:\n    server: http:\/\/127\.0\.0\.1:6443\n/);
    expect(JSON.parse(runConfig(kc(), 'view', [], { output: 'json' }))).toMatchObject({ 'current-context': 'minik' });
  });

  it('answers a JSONPath, as `kubectl config view -o jsonpath=...` does; a missing field prints nothing', () => {
    expect(runConfig(kc(), 'view', [], { output: 'jsonpath={.clusters[0].cluster.server}' })).toBe('http://127.0.0.1:6443');
    expect(runConfig(kc(), 'view', [], { output: "jsonpath='{.contexts[*].name}'" })).toBe('minik');
    expect(runConfig(kc(), 'view', [], { output: 'jsonpath={.__proto__}' })).toBe('');
  });

  it('refuses an output format it cannot print', () => {
    expect(() => runConfig(kc(), 'view', [], { output: 'wide' })).toThrow('unable to match a printer suitable for the output format "wide", allowed formats are: json,jsonpath,yaml');
    expect(() => runConfig(kc(), 'view', [], { output: 'xml' })).toThrow(/unable to match a printer/);
  });
});
