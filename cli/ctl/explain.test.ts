import { describe, expect, it } from 'vitest';
import { explainText } from './explain.js';

const REF = '#/components/schemas/';
const schemas = {
  'io.k8s.api.apps.v1.Widget': {
    description: 'A widget.',
    type: 'object',
    required: ['spec'],
    properties: {
      kind: { type: 'string', description: 'The kind.' },
      spec: { allOf: [{ $ref: `${REF}io.k8s.api.apps.v1.WidgetSpec` }] },
      tags: { type: 'object', additionalProperties: { type: 'string' }, description: 'Tags.' },
    },
  },
  'io.k8s.api.apps.v1.WidgetSpec': {
    description: 'What a widget should be.',
    type: 'object',
    properties: {
      size: { type: 'integer', description: `How big it is. ${'word '.repeat(20).trim()}` },
      mode: { type: 'string', enum: ['a', 'b', 'c', 'd', 'e'] },
      parts: { type: 'array', items: { $ref: `${REF}io.k8s.api.apps.v1.Part` } },
    },
  },
  'io.k8s.api.apps.v1.Part': { type: 'object', properties: { name: { type: 'string' } } },
};
const widget = { group: 'apps', version: 'v1', kind: 'Widget' };

describe('explainText', () => {
  it("lays out a kind as kubectl's template does: types, -required-, descriptions", () => {
    expect(explainText(schemas, schemas['io.k8s.api.apps.v1.Widget'], widget, [], false)).toBe(
      [
        'GROUP:      apps', 'KIND:       Widget', 'VERSION:    v1', '',
        'DESCRIPTION:', '    A widget.', '    ',
        'FIELDS:',
        '  kind\t<string>', '    The kind.', '',
        '  spec\t<WidgetSpec> -required-', '    <no description>', '',
        '  tags\t<map[string]string>', '    Tags.', '', '', '',
      ].join('\n'),
    );
  });

  it("follows a field path, shows the field's type's description, wraps at 80 columns and cuts long enums", () => {
    const text = explainText(schemas, schemas['io.k8s.api.apps.v1.Widget'], widget, ['spec'], false);
    expect(text).toContain('FIELD: spec <WidgetSpec>\n\n\nDESCRIPTION:\n    What a widget should be.\n    \nFIELDS:\n');
    expect(text).toContain('  mode\t<string>\n  enum: a, b, c, d, ....\n');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain('  parts\t<[]Part>\n');
  });

  it('lists nested fields with --recursive, and refuses a field that does not exist', () => {
    expect(explainText(schemas, schemas['io.k8s.api.apps.v1.Widget'], widget, ['spec'], true)).toContain('  parts\t<[]Part>\n    name\t<string>\n');
    expect(() => explainText(schemas, schemas['io.k8s.api.apps.v1.Widget'], widget, ['nope'], false)).toThrow('field "nope" does not exist');
    for (const inherited of ['constructor', 'toString', '__proto__']) {
      expect(() => explainText(schemas, schemas['io.k8s.api.apps.v1.Widget'], widget, [inherited], false)).toThrow(`field "${inherited}" does not exist`);
    }
  });
});
