import { describe, expect, it } from 'vitest';
import { editorCommand, mergePatch, readEdited } from './edit.js';

describe('editorCommand', () => {
  it('prefers KUBE_EDITOR, then EDITOR, then vi', () => {
    expect(editorCommand({ KUBE_EDITOR: 'nano', EDITOR: 'emacs' })).toBe('nano');
    expect(editorCommand({ EDITOR: 'emacs' })).toBe('emacs');
    expect(editorCommand({})).toBe('vi');
  });
});

describe('mergePatch', () => {
  it('sets what changed, nulls what went, replaces lists whole', () => {
    expect(mergePatch({ spec: { replicas: 1, paused: true, ports: [1, 2] } }, { spec: { replicas: 2, ports: [1] }, extra: 'x' })).toEqual({
      spec: { replicas: 2, paused: null, ports: [1] },
      extra: 'x',
    });
  });

  it('is undefined when nothing changed', () => {
    expect(mergePatch({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } })).toBeUndefined();
  });
});

describe('readEdited', () => {
  it('drops comment lines and reads the YAML', () => {
    expect(readEdited('# Please edit\n#\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n')).toEqual({ empty: false, object: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } } });
  });

  it('is empty when only comments are left, and refuses what is not an object', () => {
    expect(readEdited('# nothing\n\n')).toEqual({ empty: true });
    expect(() => readEdited('- a\n- b\n')).toThrow('the edited file is not a YAML object');
  });
});
