import { describe, expect, it } from 'vitest';
import { parseCustomColumns, renderCustomColumns } from './custom-columns.js';

const pods = [
  { metadata: { name: 'web-1', labels: { app: 'web', tier: 'front' } }, spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx' }, { name: 'log', image: 'busybox' }] } },
  { metadata: { name: 'db' }, spec: { containers: [{ name: 'db', image: 'postgres', ports: [{ containerPort: 5432 }] }] } },
];

describe('custom columns', () => {
  it('reads the spec of its doc comment, paths with or without braces and dot', () => {
    expect(parseCustomColumns('NAME:.metadata.name,NODE:spec.nodeName')).toEqual([
      { header: 'NAME', template: '{.metadata.name}' },
      { header: 'NODE', template: '{.spec.nodeName}' },
    ]);
    expect(parseCustomColumns('L:{.metadata.labels}')).toEqual([{ header: 'L', template: '{.metadata.labels}' }]);
  });

  it("refuses a spec kubectl refuses, in its words", () => {
    expect(() => parseCustomColumns('')).toThrow('custom-columns format specified but no custom columns given');
    expect(() => parseCustomColumns('NAME')).toThrow('unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>');
  });

  it("prints a row an object, several values joined by commas, maps and lists as Go prints them, <none> for nothing", () => {
    const columns = parseCustomColumns('NAME:.metadata.name,IMAGES:.spec.containers[*].image,N:.spec.nodeName,L:.metadata.labels,P:.spec.containers[0].ports');
    expect(renderCustomColumns(pods, columns)).toBe(
      [
        'NAME    IMAGES          N        L                         P',
        'web-1   nginx,busybox   node-1   map[app:web tier:front]   <none>',
        'db      postgres        <none>   <none>                    [map[containerPort:5432]]',
        '',
      ].join('\n'),
    );
    expect(renderCustomColumns(pods, parseCustomColumns('N:.metadata.name'), true)).toBe('web-1\ndb\n');
    expect(renderCustomColumns([], parseCustomColumns('N:.metadata.name'))).toBe('N\n');
  });

  it('makes a column at least 6 wide, as kubectl’s tab writer does', () => {
    expect(renderCustomColumns([{ a: 'x', b: 'y' }], parseCustomColumns('A:.a,B:.b'))).toBe('A     B\nx     y\n');
  });
});
