import { describe, expect, it } from 'vitest';
import { splitShortEquals } from './program.js';

describe("kubectl's -o=yaml", () => {
  it('is split into the flag and its value, but not after --', () => {
    expect(splitShortEquals(['get', 'pods', '-o=yaml', '--', 'a=b'])).toEqual(['get', 'pods', '-o', 'yaml', '--', 'a=b']);
    expect(splitShortEquals(['-n=kube-system', 'get', 'pods', '-v=6', '--sort-by=.metadata.name', '-l', 'a=b'])).toEqual(['-n', 'kube-system', 'get', 'pods', '-v', '6', '--sort-by=.metadata.name', '-l', 'a=b']);
    expect(splitShortEquals(['exec', 'p', '--', 'sh', '-c=1'])).toEqual(['exec', 'p', '--', 'sh', '-c=1']);
  });
});
