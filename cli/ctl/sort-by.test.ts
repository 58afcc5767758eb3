import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortByPath } from './sort-by.js';

const pod = (name: string, ip?: string, restarts?: number) => ({ metadata: { name }, status: { ...(ip ? { podIP: ip } : {}), containerStatuses: restarts === undefined ? [] : [{ restartCount: restarts }] } });
const names = (xs: Array<{ metadata: { name: string } }>) => xs.map((x) => x.metadata.name);

describe('--sort-by', () => {
  it('sorts strings byte by byte, as its doc comment says, with objects lacking the field first', () => {
    const pods = [pod('pod9', '10.244.1.9'), pod('pending'), pod('pod10', '10.244.1.10')];
    expect(names(sortByPath(pods, '.status.podIP'))).toEqual(['pending', 'pod10', 'pod9']);
    expect(names(sortByPath(pods, '{.metadata.name}'))).toEqual(['pending', 'pod10', 'pod9']);
  });

  it('sorts numbers by value, and keeps the order of ties', () => {
    const pods = [pod('a', undefined, 10), pod('b', undefined, 9), pod('c', undefined, 10), pod('d', undefined, 0)];
    expect(names(sortByPath(pods, 'status.containerStatuses[0].restartCount'))).toEqual(['d', 'b', 'a', 'c']);
  });

  it("refuses, in kubectl's words, a path no object has and values it cannot order", () => {
    expect(() => sortByPath([pod('a')], '.spec.nope')).toThrow('couldn\'t find any field with path "{.spec.nope}" in the list of objects');
    expect(() => sortByPath([pod('a')], '{.bad')).toThrow("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
    expect(() => sortByPath([pod('a'), pod('b')], '.metadata')).toThrow('field {.metadata} is an unsortable type: map');
    expect(sortByPath([], '.spec.nope')).toEqual([]);
  });

  it('gives a permutation of the objects, in order of the field', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.option(fc.integer(), { nil: undefined })), { maxLength: 30 }), (rows) => {
        const objects = rows.map(([name, n], i) => ({ i, metadata: { name }, spec: n === undefined ? {} : { n } }));
        if (objects.length > 0 && objects.every((o) => !('n' in o.spec))) return;
        const sorted = sortByPath(objects, '.spec.n');
        expect([...sorted].map((o) => o.i).sort((a, b) => a - b)).toEqual(objects.map((o) => o.i));
        const keys = sorted.map((o) => ('n' in o.spec ? (o.spec as { n: number }).n : -Infinity));
        for (let k = 1; k < keys.length; k++) expect(keys[k - 1]! <= keys[k]!).toBe(true);
      }),
    );
  });
});
