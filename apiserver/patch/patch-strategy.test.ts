import { describe, expect, it } from 'vitest';
import { compileStrategy, nestStrategy, type FieldStrategy, type PatchStrategy } from './patch-strategy.js';

const byName: FieldStrategy = { kind: 'merge', mergeKey: 'name' };
const byPort: FieldStrategy = { kind: 'merge', mergeKey: 'port' };

describe('strategy tables', () => {
  it('nests a table under a prefix (the doc example)', () => {
    expect(nestStrategy('spec.template.spec', { 'containers[].env': byName })).toEqual({
      'spec.template.spec.containers[].env': byName,
    });
  });

  it('compiles paths into a tree of fields and list elements (the doc example)', () => {
    expect(compileStrategy({ 'spec.ports': byPort }).fields.get('spec')?.fields.get('ports')?.strategy).toBe(byPort);
    const root = compileStrategy({ 'spec.containers': byName, 'spec.containers[].env': byName });
    const containers = root.fields.get('spec')?.fields.get('containers');
    expect(containers?.strategy).toBe(byName);
    expect(containers?.items?.fields.get('env')?.strategy).toBe(byName);
    expect(containers?.fields.get('env')).toBeUndefined();
  });

  it('compiles a table once', () => {
    const table: PatchStrategy = { a: byName };
    expect(compileStrategy(table)).toBe(compileStrategy(table));
  });

  it('never takes a dotted key for a path', () => {
    const root = compileStrategy({ 'metadata.labels.app': byName });
    expect(root.fields.get('metadata')?.fields.get('labels')?.fields.get('app.kubernetes.io/name')).toBeUndefined();
  });

  it.each(['', 'spec..ports', 'spec.[]', 'spec.ports[', 'spec.ports[]x'])('refuses the malformed path %j', (path) => {
    expect(() => compileStrategy({ [path]: byName })).toThrow(/invalid strategy path/);
  });
});
