import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { assertSupportedFields, escapeFieldValue, FieldSelectorError, parseFieldSelector } from './fields.js';

function parseError(s: string): string {
  try {
    parseFieldSelector(s);
  } catch (e) {
    expect(e).toBeInstanceOf(FieldSelectorError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(s)} parsed`);
}

const object = (fields: Record<string, string>) => (f: string) => fields[f];

describe('parseFieldSelector', () => {
  it('reads the doc example', () => {
    const sel = parseFieldSelector('status.phase!=Running,metadata.name=web');
    expect(sel.requirements()).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
    ]);
    expect(sel.matches(object({ 'metadata.name': 'web', 'status.phase': 'Pending' }))).toBe(true);
    expect(sel.matches(object({ 'metadata.name': 'web', 'status.phase': 'Running' }))).toBe(false);
    expect(parseFieldSelector('spec.nodeName=a\\,b').requirements()[0]?.value).toBe('a,b');
    expect(parseError('metadata.name')).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  });

  it('reads == as =, and prints terms sorted with values escaped', () => {
    const sel = parseFieldSelector('spec.nodeName==node\\=1,metadata.namespace=default');
    expect(sel.requirements().map((r) => r.operator)).toEqual(['=', '=']);
    expect(sel.toString()).toBe('metadata.namespace=default,spec.nodeName=node\\=1');
    expect(sel.requiresExactMatch('spec.nodeName')).toBe('node=1');
    expect(sel.requiresExactMatch('metadata.name')).toBeUndefined();
  });

  it('treats an absent field as the empty string', () => {
    expect(parseFieldSelector('spec.nodeName!=a').matches(object({}))).toBe(true);
    expect(parseFieldSelector('spec.nodeName=').matches(object({}))).toBe(true);
    expect(parseFieldSelector('spec.nodeName=a').matches(object({}))).toBe(false);
  });

  it('selects everything when empty, skipping empty terms', () => {
    expect(parseFieldSelector('').isEmpty()).toBe(true);
    expect(parseFieldSelector(',,').isEmpty()).toBe(true);
    expect(parseFieldSelector('=').isEmpty()).toBe(true);
    expect(parseFieldSelector('a=b,,').requirements()).toHaveLength(1);
    expect(parseFieldSelector('').matches(object({}))).toBe(true);
  });

  it('splits at the first operator; the field cannot be escaped', () => {
    expect(parseFieldSelector('a!=b').requirements()).toEqual([{ field: 'a', operator: '!=', value: 'b' }]);
    expect(parseFieldSelector('a=\\=b').requirements()).toEqual([{ field: 'a', operator: '=', value: '=b' }]);
    expect(parseFieldSelector('a\\b=c').requirements()[0]?.field).toBe('a\\b');
  });

  it('rejects bad escapes with the messages kubectl prints', () => {
    // The rune is printed as a number, a quirk of upstream's %v.
    expect(parseError('a=b=c')).toBe('invalid field selector: unescaped character in value: 61');
    expect(parseError('a==b=c')).toBe('invalid field selector: unescaped character in value: 61');
    expect(parseError('a=b\\n')).toBe('invalid field selector: invalid escape sequence: \\n');
    expect(parseError('a=b\\')).toBe('invalid field selector: invalid escape sequence: \\');
    expect(parseError('a=b,c')).toBe("invalid selector: 'a=b,c'; can't understand 'c'");
  });

  it('lets the caller reject fields it does not index, with the API server’s message', () => {
    const sel = parseFieldSelector('metadata.name=a,spec.color=red');
    expect(() => assertSupportedFields(sel, ['metadata.name', 'metadata.namespace'])).toThrow(
      new FieldSelectorError('field label not supported: spec.color'),
    );
    expect(() => assertSupportedFields(sel, ['metadata.name', 'spec.color'])).not.toThrow();
  });

  const text = fc.string({ unit: fc.constantFrom('a', 'b', '.', ',', '=', '\\', '!', 'é', '😀'), maxLength: 8 });

  test.prop([fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z.]{0,8}$/), fc.boolean(), text), { maxLength: 4 })])(
    'any value survives escaping, and toString parses back to the same requirements',
    (terms) => {
      const written = terms.map(([field, equal, value]) => `${field}${equal ? '=' : '!='}${escapeFieldValue(value)}`).join(',');
      const sel = parseFieldSelector(written);
      const values = sel.requirements().map((r) => r.value).sort();
      expect(values).toEqual(terms.map(([, , v]) => v).sort());
      expect(parseFieldSelector(sel.toString()).requirements()).toEqual(sel.requirements());
    },
  );
});
