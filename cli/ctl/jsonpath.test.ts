import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatValue, renderJsonPath } from './jsonpath.js';

const pods = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'web' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'b' }, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] } },
  ],
};

describe('renderJsonPath', () => {
  it('renders the doc comment examples', () => {
    expect(renderJsonPath('{.items[*].metadata.name}', pods)).toBe('a b');
    expect(renderJsonPath('{range .items[*]}{.metadata.name}{"\\n"}{end}', pods)).toBe('a\nb\n');
    // Keys in order, as Go writes a map.
    expect(renderJsonPath('{.items[0].metadata}', pods)).toBe('{"labels":{"app.kubernetes.io/name":"web"},"name":"a"}');
  });

  it('reads indexes, slices, filters, recursive descent and quoted keys', () => {
    expect(renderJsonPath('{.items[-1].metadata.name}', pods)).toBe('b');
    expect(renderJsonPath('{.items[0:1].metadata.name}', pods)).toBe('a');
    expect(renderJsonPath('{.items[?(@.status.phase=="Pending")].metadata.name}', pods)).toBe('b');
    expect(renderJsonPath('{..phase}', pods)).toBe('Running Pending');
    expect(renderJsonPath("{.items[0].metadata.labels['app.kubernetes.io/name']}", pods)).toBe('web');
    expect(renderJsonPath('{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', pods)).toBe('web');
    expect(renderJsonPath('{range .items[*]}{.metadata.name}:{.status.conditions[?(@.type=="Ready")].status} {end}', pods)).toBe('a:True b:False ');
  });

  it('keeps the text around actions, and prints nothing for a missing key', () => {
    expect(renderJsonPath('name={.items[0].metadata.name} ns={.items[0].metadata.namespace}.', pods)).toBe('name=a ns=.');
    expect(renderJsonPath('{$.kind}', pods)).toBe('List');
  });

  it('refuses a malformed template in one line', () => {
    expect(() => renderJsonPath('{.items[*}', pods)).toThrow(/^error parsing jsonpath/);
    expect(() => renderJsonPath('{end}', pods)).toThrow('not in range');
    expect(() => renderJsonPath('{range .items[*]}', pods)).toThrow('unclosed range');
  });

  // Plain keys only: the property is about walking, not about quoting.
  const key = fc.constantFrom('a', 'b', 'name', 'spec', 'x1', 'replicas');
  const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean());
  const tree = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(key, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
  })).node;

  it('agrees with direct property access for simple paths', () => {
    fc.assert(
      fc.property(tree, fc.array(key, { minLength: 1, maxLength: 4 }), (data, path) => {
        let direct: unknown = data;
        for (const k of path) direct = direct !== null && typeof direct === 'object' && !Array.isArray(direct) && Object.hasOwn(direct, k) ? (direct as Record<string, unknown>)[k] : undefined;
        expect(renderJsonPath(`{.${path.join('.')}}`, data)).toBe(direct === undefined ? '' : formatValue(direct));
      }),
    );
  });

  it('lists every element of an array with [*], space-separated', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes(' ')), { maxLength: 5 }), (values) => {
        expect(renderJsonPath('{.items[*].v}', { items: values.map((v) => ({ v })) })).toBe(values.join(' '));
      }),
    );
  });
});
