import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseManifests, readManifests } from './manifests.js';

describe('parseManifests', () => {
  it('reads every document of a file, skipping empty ones, and expands a List', () => {
    const text = [
      'kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}',
      '',
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n- {apiVersion: v1, kind: Service, metadata: {name: c}}',
    ].join('\n---\n');
    expect(parseManifests(text, 'a.yaml').map((m) => `${m.object.kind}/${m.object.metadata.name}`)).toEqual(['ConfigMap/a', 'Secret/b', 'Service/c']);
  });

  it('reports malformed YAML in one line that names the file', () => {
    expect(() => parseManifests('kind: ConfigMap\nmetadata: {name: x\n', 'bad.yaml')).toThrow(/^error parsing bad\.yaml: [^\n]+$/);
  });

  it('reports a document without apiVersion or kind', () => {
    expect(() => parseManifests('metadata: {name: x}\n', 'x.yaml')).toThrow('error validating "x.yaml": error validating data: [apiVersion not set, kind not set]');
    expect(() => parseManifests('- a\n- b\n', 'l.yaml')).toThrow('a manifest must be a map of fields');
  });
});

describe('readManifests', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('reads files, folders in name order (recursively with -R) and stdin', async () => {
    dir = mkdtempSync(join(tmpdir(), 'minikctl-mf-'));
    const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\n`;
    writeFileSync(join(dir, 'b.yaml'), cm('b'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'c.yml'), cm('c'));
    const names = async (paths: string[], recursive = false) =>
      (await readManifests(paths, { recursive, readStdin: async () => cm('stdin') })).map((m) => m.object.metadata.name);
    expect(await names([dir])).toEqual(['a', 'b']);
    expect(await names([dir], true)).toEqual(['a', 'b', 'c']);
    expect(await names([join(dir, 'b.yaml'), '-'])).toEqual(['b', 'stdin']);
    await expect(names([join(dir, 'none.yaml')])).rejects.toThrow('does not exist');
  });
});
