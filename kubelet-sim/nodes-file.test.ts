import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadNodesFile, NodesFileError, parseNodesFile } from './nodes-file.js';

const defaults = { cpu: '4', memory: '8Gi', maxPods: 110 };
const parse = (text: string) => parseNodesFile(text, 'nodes.yaml', defaults);
const errorOf = (text: string) => {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(NodesFileError);
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
};

describe('parseNodesFile', () => {
  it('reads the worked example: one big node and a group of tainted gpu nodes, defaults from the flags', () => {
    const nodes = parse(`
nodes:
  - name: big-1
    cpu: "16"
    memory: 64Gi
    labels: { node.kubernetes.io/instance-type: large, topology.kubernetes.io/zone: zone-a }
  - namePrefix: gpu-
    count: 2
    pods: 30
    taints: [{ key: dedicated, value: gpu, effect: NoSchedule }]
`);
    expect(nodes).toEqual([
      {
        name: 'big-1', index: 1, cpu: '16', memory: '64Gi', maxPods: 110,
        labels: { 'node.kubernetes.io/instance-type': 'large', 'topology.kubernetes.io/zone': 'zone-a' }, taints: [],
      },
      { name: 'gpu-1', index: 2, cpu: '4', memory: '8Gi', maxPods: 30, labels: {}, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
      { name: 'gpu-2', index: 3, cpu: '4', memory: '8Gi', maxPods: 30, labels: {}, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    ]);
  });

  it('takes numbers where YAML reads them as numbers', () => {
    expect(parse('nodes: [{ name: a, cpu: 16, labels: { tier: 2 } }]')[0]).toMatchObject({ cpu: '16', labels: { tier: '2' } });
  });

  it.each([
    ['nodes: [{ name: Big }]', /^nodes\.yaml: nodes\[0\]\.name: "Big" is not a valid node name: a lowercase RFC 1123 subdomain/],
    ['nodes: [{ name: a }, { name: b }, { name: a }]', 'nodes.yaml: nodes[2].name: node name "a" is used twice (also by nodes[0].name)'],
    ['nodes: [{ name: gpu-2 }, { namePrefix: gpu-, count: 3 }]', 'nodes.yaml: nodes[1].namePrefix: node name "gpu-2" is used twice (also by nodes[0].name)'],
    ['nodes: [{ name: a, cpu: lots }]', /^nodes\.yaml: nodes\[0\]\.cpu: invalid quantity "lots"/],
    ['nodes: [{ name: a, memory: 8GB }]', /^nodes\.yaml: nodes\[0\]\.memory: invalid quantity "8GB"/],
    ['nodes: [{ name: a, pods: 0 }]', /^nodes\.yaml: nodes\[0\]\.pods: /],
    ['nodes: [{ name: a, colour: red }]', 'nodes.yaml: nodes[0]: Unrecognized key: "colour"'],
    ['nodes: [{ name: a, labels: { "bad key!": x } }]', /^nodes\.yaml: nodes\[0\]\.labels\["bad key!"\]: name part must consist/],
    ['nodes: [{ name: a, labels: { tier: "not ok!" } }]', /^nodes\.yaml: nodes\[0\]\.labels\.tier: a valid label must/],
    ['nodes: [{ name: a, labels: { kubernetes.io/hostname: b } }]', /^nodes\.yaml: nodes\[0\]\.labels\["kubernetes\.io\/hostname"\]: is set by the simulator itself/],
    ['nodes: [{ name: a, taints: [{ key: k, effect: Sometimes }] }]', /^nodes\.yaml: nodes\[0\]\.taints\[0\]\.effect: Invalid option/],
    ['nodes: [{ name: a, taints: [{ key: k, effect: NoSchedule }, { key: k, value: v, effect: NoSchedule }] }]', 'nodes.yaml: nodes[0].taints[1]: duplicate taint k with effect NoSchedule'],
    ['nodes: [{ count: 3 }]', 'nodes.yaml: nodes[0].name: give name (one node) or namePrefix with count (a group)'],
    ['nodes: [{ namePrefix: x- }]', 'nodes.yaml: nodes[0].count: give name (one node) or namePrefix with count (a group)'],
    ['nodes: [{ name: a, count: 2 }]', 'nodes.yaml: nodes[0].name: give either name (one node) or namePrefix with count (a group), not both'],
    ['nodes: [{ namePrefix: n-, count: 60000 }, { namePrefix: m-, count: 6000 }]', /^nodes\.yaml: nodes: more than 65535 nodes/],
    ['nodes: []', /^nodes\.yaml: nodes: Too small/],
    ['nodess: []', 'nodes.yaml: nodes: Invalid input: expected array, received undefined'],
    ['', 'nodes.yaml: the file is empty; it needs a list under nodes:'],
    ['nodes: [', /^nodes\.yaml: not valid YAML: /],
  ])('refuses %j with one line naming the file and the field', (text, message) => {
    const got = errorOf(text);
    expect(got).not.toContain('\n');
    if (typeof message === 'string') expect(got).toBe(message);
    else expect(got).toMatch(message);
  });

  it('loads from disk, and names a file that is not there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minik-nodes-'));
    try {
      writeFileSync(join(dir, 'n.yaml'), 'nodes: [{ name: solo, cpu: "2" }]');
      expect(loadNodesFile(join(dir, 'n.yaml'), defaults)).toMatchObject([{ name: 'solo', cpu: '2', index: 1 }]);
      expect(() => loadNodesFile(join(dir, 'gone.yaml'), defaults)).toThrow(`${join(dir, 'gone.yaml')}: cannot read the nodes file: ENOENT`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const quantity = fc.oneof(fc.integer({ min: 1, max: 64 }).map(String), fc.integer({ min: 1, max: 512 }).map((n) => `${n}Gi`), fc.integer({ min: 100, max: 9000 }).map((n) => `${n}m`));
const entry = fc.record(
  {
    naming: fc.oneof(label.map((name) => ({ name })), fc.record({ namePrefix: label.map((p) => `${p}-`), count: fc.integer({ min: 1, max: 4 }) })),
    cpu: quantity,
    memory: quantity,
    pods: fc.integer({ min: 1, max: 250 }),
    labels: fc.dictionary(label.map((k) => `example.com/${k}`), label, { maxKeys: 3 }),
    taints: fc.uniqueArray(fc.record({ key: label, value: label, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute') }), {
      maxLength: 2,
      selector: (t) => `${t.key}:${t.effect}`,
    }),
  },
  { requiredKeys: ['naming'] },
);

describe('parseNodesFile, for any file it accepts', () => {
  it('yields unique names, pod CIDR indexes 1..N, and each node with the capacity, labels and taints its entry declares', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (entries) => {
        const doc = { nodes: entries.map(({ naming, ...rest }) => ({ ...naming, ...rest })) };
        let nodes;
        try {
          nodes = parse(stringify(doc));
        } catch (err) {
          // Generated names may collide (a: name x-1 and namePrefix x- count 2): that is the one refusal allowed.
          expect((err as Error).message).toMatch(/is used twice/);
          return;
        }
        expect(new Set(nodes.map((n) => n.name)).size).toBe(nodes.length);
        expect(nodes.map((n) => n.index)).toEqual(nodes.map((_, i) => i + 1));
        let at = 0;
        for (const e of doc.nodes) {
          const group = nodes.slice(at, (at += 'count' in e ? e.count : 1));
          for (const [k, n] of group.entries()) {
            expect(n.name).toBe('name' in e ? e.name : `${e.namePrefix}${k + 1}`);
            expect(n.cpu).toBe(e.cpu ?? defaults.cpu);
            expect(n.memory).toBe(e.memory ?? defaults.memory);
            expect(n.maxPods).toBe(e.pods ?? defaults.maxPods);
            expect(n.labels).toEqual(e.labels ?? {});
            expect(n.taints).toEqual(e.taints ?? []);
          }
        }
        expect(at).toBe(nodes.length);
      }),
      { numRuns: 100 },
    );
  });
});
