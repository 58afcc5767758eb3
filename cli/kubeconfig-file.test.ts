import { fc, test } from '@fast-check/vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveConnection, type Kubeconfig } from './ctl/kubeconfig.js';
import { removeMinikKubeconfig, withMinikContext, withoutMinikContext, writeMinikKubeconfig } from './kubeconfig-file.js';

const lab: Kubeconfig = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'lab', cluster: { server: 'https://10.0.0.5:6443', 'certificate-authority-data': 'Q0E=' } }],
  users: [{ name: 'ada', user: { token: 's3cret' } }],
  contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'ada', namespace: 'class' } }],
  'current-context': 'lab',
  preferences: {},
};

describe('withMinikContext', () => {
  it('adds minik and makes it current, keeping every other entry as it was', () => {
    const merged = withMinikContext(lab, 'http://127.0.0.1:6443');
    expect(merged.clusters).toEqual([...lab.clusters!, { name: 'minik', cluster: { server: 'http://127.0.0.1:6443' } }]);
    expect(merged.users).toEqual([...lab.users!, { name: 'minik', user: {} }]);
    expect(merged.contexts).toContainEqual(lab.contexts![0]);
    expect(resolveConnection(merged, {})).toMatchObject({ server: 'http://127.0.0.1:6443', namespace: 'default', context: 'minik' });
    expect(resolveConnection(merged, { context: 'lab' })).toMatchObject({ server: 'https://10.0.0.5:6443', namespace: 'class' });
  });

  it('moves minik to a new port and keeps the namespace chosen for its context', () => {
    const first = withMinikContext({}, 'http://127.0.0.1:6443');
    first.contexts![0]!.context.namespace = 'shop';
    const again = withMinikContext(first, 'http://127.0.0.1:7443');
    expect(again.clusters).toHaveLength(1);
    expect(resolveConnection(again, {})).toMatchObject({ server: 'http://127.0.0.1:7443', namespace: 'shop' });
  });

  const names = fc.constantFrom('minik', 'lab', 'prod', 'kind-kind', 'a');
  const configs = fc.record({
    clusters: fc.uniqueArray(fc.record({ name: names, cluster: fc.record({ server: fc.webUrl() }) }), { selector: (e) => e.name }),
    contexts: fc.uniqueArray(fc.record({ name: names, context: fc.record({ cluster: names, user: names }) }), { selector: (e) => e.name }),
    users: fc.uniqueArray(fc.record({ name: names, user: fc.constant({}) }), { selector: (e) => e.name }),
  });

  test.prop([configs, fc.integer({ min: 1, max: 65535 })])('never loses another entry, and merging twice is merging once', (config, port) => {
    const server = `http://127.0.0.1:${port}`;
    const merged = withMinikContext(config, server);
    for (const key of ['clusters', 'contexts', 'users'] as const) {
      for (const entry of config[key]) if (entry.name !== 'minik') expect(merged[key]).toContainEqual(entry);
      expect(merged[key]!.filter((e) => e.name === 'minik')).toHaveLength(1);
    }
    expect(withMinikContext(merged, server)).toEqual(merged);
    expect(resolveConnection(merged, {}).server).toBe(server);
    // Removing minik again gives back the others untouched.
    for (const key of ['clusters', 'contexts', 'users'] as const) {
      expect(withoutMinikContext(merged)[key]).toEqual(config[key].filter((e) => e.name !== 'minik'));
    }
  });
});

describe('withoutMinikContext', () => {
  it('unsets the current context only if it was minik', () => {
    expect(withoutMinikContext(withMinikContext(lab, 'http://127.0.0.1:6443'))['current-context']).toBeUndefined();
    expect(withoutMinikContext(lab)['current-context']).toBe('lab');
  });
});

describe('the kubeconfig file', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created readable only by its owner, merged into an existing file, and cleaned on purge', () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-kcfg-'));
    const path = join(dir, 'sub', 'config');
    writeMinikKubeconfig(path, 'http://127.0.0.1:6443');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(path, 'utf8'))).toMatchObject({ apiVersion: 'v1', kind: 'Config', 'current-context': 'minik' });

    const other = join(dir, 'other');
    writeFileSync(other, JSON.stringify(lab));
    writeMinikKubeconfig(other, 'http://127.0.0.1:6443');
    const merged = parse(readFileSync(other, 'utf8')) as Kubeconfig;
    expect(merged.users).toContainEqual({ name: 'ada', user: { token: 's3cret' } });
    removeMinikKubeconfig(other);
    const purged = parse(readFileSync(other, 'utf8')) as Kubeconfig;
    expect({ clusters: purged.clusters, users: purged.users, contexts: purged.contexts }).toEqual({ clusters: lab.clusters, users: lab.users, contexts: lab.contexts });
    expect(purged['current-context']).toBeUndefined();
  });

  it('refuses to overwrite a file that is not YAML', () => {
    dir = mkdtempSync(join(tmpdir(), 'minik-kcfg-'));
    const path = join(dir, 'config');
    writeFileSync(path, 'clusters: [unclosed');
    expect(() => writeMinikKubeconfig(path, 'http://127.0.0.1:6443')).toThrow(/error loading config file/);
    expect(readFileSync(path, 'utf8')).toBe('clusters: [unclosed');
  });
});
