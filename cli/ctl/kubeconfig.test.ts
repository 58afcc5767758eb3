import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { contextRows, kubeconfigPath, loadKubeconfig, resolveConnection, saveKubeconfig, setContext, useContext, type Kubeconfig } from './kubeconfig.js';

const config = (): Kubeconfig => ({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    { name: 'minik', cluster: { server: 'http://127.0.0.1:6443' } },
    { name: 'lab', cluster: { server: 'http://10.0.0.5:6443' } },
  ],
  users: [{ name: 'minik', user: {} }],
  contexts: [
    { name: 'minik', context: { cluster: 'minik', user: 'minik', namespace: 'default' } },
    { name: 'lab', context: { cluster: 'lab', user: 'minik', namespace: 'class' } },
  ],
  'current-context': 'minik',
});

describe('kubeconfigPath', () => {
  const none = () => false;
  it('prefers --kubeconfig, then KUBECONFIG, then ~/.minik/config, then ~/.kube/config', () => {
    expect(kubeconfigPath({ flag: '/f', env: { KUBECONFIG: '/e' }, home: '/h', exists: none })).toBe('/f');
    expect(kubeconfigPath({ env: { KUBECONFIG: '/e' }, home: '/h', exists: () => true })).toBe('/e');
    expect(kubeconfigPath({ env: {}, home: '/h', exists: (p) => p === '/h/.minik/config' })).toBe('/h/.minik/config');
    expect(kubeconfigPath({ env: {}, home: '/h', exists: none })).toBe('/h/.kube/config');
  });

  it('takes the first existing file of a KUBECONFIG list, or its first entry if none exists', () => {
    expect(kubeconfigPath({ env: { KUBECONFIG: '/a:/b' }, home: '/h', exists: (p) => p === '/b' })).toBe('/b');
    expect(kubeconfigPath({ env: { KUBECONFIG: '/a:/b' }, home: '/h', exists: none })).toBe('/a');
  });
});

describe('resolveConnection', () => {
  it('uses the current context for the server and the namespace', () => {
    expect(resolveConnection(config(), {})).toMatchObject({ server: 'http://127.0.0.1:6443', namespace: 'default', namespaceFromFlag: false, context: 'minik' });
  });

  it('lets --context, --server and -n override', () => {
    expect(resolveConnection(config(), { context: 'lab' })).toMatchObject({ server: 'http://10.0.0.5:6443', namespace: 'class' });
    expect(resolveConnection(config(), { server: '127.0.0.1:7000', namespace: 'x' })).toMatchObject({ server: 'http://127.0.0.1:7000', namespace: 'x', namespaceFromFlag: true });
  });

  it('refuses a context that does not exist', () => {
    expect(() => resolveConnection(config(), { context: 'nope' })).toThrow('context was not found for specified context: nope');
  });

  it('talks to localhost:8080 in the default namespace without any config, as kubectl does', () => {
    expect(resolveConnection({}, {})).toMatchObject({ server: 'http://localhost:8080', namespace: 'default' });
  });
});

describe('contexts', () => {
  it('lists contexts with the current one starred', () => {
    expect(contextRows(config())).toEqual([
      ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
      ['', 'lab', 'lab', 'minik', 'class'],
      ['*', 'minik', 'minik', 'minik', 'default'],
    ]);
  });

  it('switches context, and refuses an unknown one', () => {
    const c = config();
    useContext(c, 'lab');
    expect(resolveConnection(c, {}).namespace).toBe('class');
    expect(() => useContext(c, 'nope')).toThrow('no context exists with the name: "nope"');
  });

  it('sets the namespace of the current context, or creates a named one', () => {
    const c = config();
    expect(setContext(c, undefined, { namespace: 'kube-system' })).toEqual({ name: 'minik', created: false });
    expect(resolveConnection(c, {}).namespace).toBe('kube-system');
    expect(setContext(c, 'new', { cluster: 'lab', namespace: 'n' })).toEqual({ name: 'new', created: true });
    expect(resolveConnection(c, { context: 'new' })).toMatchObject({ server: 'http://10.0.0.5:6443', namespace: 'n' });
  });
});

describe('the file', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('is written back where it was read, keeping what minikctl does not use', () => {
    dir = mkdtempSync(join(tmpdir(), 'minikctl-kc-'));
    const path = join(dir, 'config');
    writeFileSync(path, `${JSON.stringify({ ...config(), preferences: { colors: true }, extensions: [{ name: 'x' }] })}\n`);
    const kc = loadKubeconfig(path);
    useContext(kc.config, 'lab');
    saveKubeconfig(kc);
    const again = loadKubeconfig(path).config;
    expect(again['current-context']).toBe('lab');
    expect(again.preferences).toEqual({ colors: true });
    expect(again.extensions).toEqual([{ name: 'x' }]);
    expect(readFileSync(path, 'utf8')).toContain('current-context: lab');
  });

  it('reads a missing file as an empty config, and a broken one as a one-line error naming it', () => {
    const d = (dir = mkdtempSync(join(tmpdir(), 'minikctl-kc-')));
    expect(loadKubeconfig(join(d, 'none')).config).toEqual({});
    writeFileSync(join(d, 'bad'), 'clusters: [\n');
    expect(() => loadKubeconfig(join(d, 'bad'))).toThrow(/^error loading config file ".*bad": [^\n]+$/);
  });
});
