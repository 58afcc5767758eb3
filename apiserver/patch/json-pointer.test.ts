import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatJsonPointer, parseJsonPointer } from './json-pointer.js';
import { PatchError } from './patch-error.js';

describe('JSON pointers', () => {
  it('decodes and encodes escapes (the doc examples)', () => {
    expect(parseJsonPointer('/metadata/annotations/kubectl.kubernetes.io~1restartedAt')).toEqual([
      'metadata',
      'annotations',
      'kubectl.kubernetes.io/restartedAt',
    ]);
    expect(parseJsonPointer('/~01')).toEqual(['~1']);
    expect(formatJsonPointer(['a/b', 'c~'])).toBe('/a~1b/c~0');
  });

  it('reads the RFC 6901 examples', () => {
    expect(parseJsonPointer('')).toEqual([]);
    expect(parseJsonPointer('/')).toEqual(['']);
    expect(parseJsonPointer('/foo/0')).toEqual(['foo', '0']);
    expect(parseJsonPointer('/a~1b')).toEqual(['a/b']);
    expect(parseJsonPointer('/m~0n')).toEqual(['m~n']);
    expect(parseJsonPointer('/ ')).toEqual([' ']);
  });

  it('refuses pointers that do not start with / and bad escapes', () => {
    expect(() => parseJsonPointer('spec')).toThrow(PatchError);
    expect(() => parseJsonPointer('/a~2')).toThrow(/~" must be followed by 0 or 1/);
    expect(() => parseJsonPointer('/a~')).toThrow(PatchError);
  });

  test.prop([fc.array(fc.string())])('format then parse is the identity', (tokens) => {
    expect(parseJsonPointer(formatJsonPointer(tokens))).toEqual(tokens);
  });
});
