import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { validateLabelKey, validateLabelValue } from '../api/labels.js';
import { validateDns1123Subdomain } from '../api/names.js';
import { QuantityError, parseQuantity } from '../api/quantity.js';
import { wellKnownLabels, type NodeShape, type SimNode } from './node-object.js';

/** A bound on a file's size; the pod network (--cluster-cidr) sets the real limit. */
const MAX_NODES = 65_535;
const RESERVED_LABELS = Object.keys(wellKnownLabels(''));

const problems = (check: (v: string) => string[]) => (v: string, ctx: z.RefinementCtx) => {
  for (const message of check(v)) ctx.addIssue({ code: 'custom', message });
};

/** YAML reads `cpu: 16` as a number; a quantity is a string either way. */
const Quantity = z
  .union([z.string(), z.number()])
  .transform(String)
  .superRefine((v, ctx) => {
    try {
      parseQuantity(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid quantity "${v}"${err instanceof QuantityError ? `: ${err.message}` : ''}` });
    }
  });

const LabelKey = z.string().superRefine(problems(validateLabelKey));
const LabelValue = z.union([z.string(), z.number(), z.boolean()]).transform(String).superRefine(problems(validateLabelValue));

const Taint = z
  .object({
    key: LabelKey,
    value: LabelValue.optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  })
  .strict();

/** A node, or with `count` and `namePrefix` a group of alike nodes. */
const NodeEntry = z
  .object({
    name: z.string().optional(),
    namePrefix: z.string().optional(),
    count: z.number().int().min(1).max(MAX_NODES).optional(),
    cpu: Quantity.optional(),
    memory: Quantity.optional(),
    pods: z.number().int().min(1).optional(),
    labels: z.record(LabelKey, LabelValue).optional(),
    taints: z.array(Taint).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.name !== undefined && (e.namePrefix !== undefined || e.count !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'give either name (one node) or namePrefix with count (a group), not both' });
    } else if (e.name === undefined && (e.namePrefix === undefined || e.count === undefined)) {
      ctx.addIssue({ code: 'custom', path: [e.namePrefix === undefined ? 'name' : 'count'], message: 'give name (one node) or namePrefix with count (a group)' });
    }
    for (const key of Object.keys(e.labels ?? {})) {
      if (RESERVED_LABELS.includes(key)) ctx.addIssue({ code: 'custom', path: ['labels', key], message: `is set by the simulator itself (${RESERVED_LABELS.join(', ')})` });
    }
    const seen = new Set<string>();
    for (const [i, t] of (e.taints ?? []).entries()) {
      const id = `${t.key}:${t.effect}`;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['taints', i], message: `duplicate taint ${t.key} with effect ${t.effect}` });
      seen.add(id);
    }
  });

export const NodesFile = z.object({ nodes: z.array(NodeEntry).min(1) }).strict();
export type NodesFile = z.input<typeof NodesFile>;

/** A nodes file that cannot be used; the message names the file and the bad field, on one line. */
export class NodesFileError extends Error {
  override name = 'NodesFileError';
}

/**
 * The nodes a nodes file describes, in file order, numbered for their pod CIDRs from 1. Fields left
 * out come from `defaults` (the --cpu, --memory and --max-pods flags).
 *
 *   parseNodesFile(`
 *   nodes:
 *     - name: big-1
 *       cpu: "16"
 *       memory: 64Gi
 *       labels: { node.kubernetes.io/instance-type: large }
 *     - namePrefix: gpu-
 *       count: 2
 *       taints: [{ key: dedicated, value: gpu, effect: NoSchedule }]
 *   `, 'nodes.yaml', { cpu: '4', memory: '8Gi', maxPods: 110 })
 *   // [ { name: 'big-1', index: 1, cpu: '16', memory: '64Gi', maxPods: 110, labels: {...}, taints: [] },
 *   //   { name: 'gpu-1', index: 2, cpu: '4',  memory: '8Gi',  maxPods: 110, labels: {}, taints: [dedicated=gpu:NoSchedule] },
 *   //   { name: 'gpu-2', index: 3, ... } ]
 *
 *   parseNodesFile('nodes: [{ name: Big }]', 'nodes.yaml', defaults)
 *   // throws NodesFileError: nodes.yaml: nodes[0].name: "Big" is not a valid node name: a lowercase RFC 1123 subdomain ...
 */
export function parseNodesFile(text: string, source: string, defaults: NodeShape): SimNode[] {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new NodesFileError(`${source}: not valid YAML: ${oneLine((err as Error).message)}`);
  }
  if (raw === null || raw === undefined) throw new NodesFileError(`${source}: the file is empty; it needs a list under nodes:`);
  const parsed = NodesFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // A bad label key is reported on the record, with the reason one level down.
    const inner = issue.code === 'invalid_key' ? issue.issues[0] : undefined;
    const where = pathOf(issue.path);
    throw new NodesFileError(`${source}: ${where ? `${where}: ` : ''}${oneLine(inner?.message ?? issue.message)}`);
  }
  const out: SimNode[] = [];
  const from = new Map<string, string>();
  for (const [i, e] of parsed.data.nodes.entries()) {
    const names = e.name !== undefined ? [e.name] : Array.from({ length: e.count! }, (_, k) => `${e.namePrefix}${k + 1}`);
    const field = `nodes[${i}].${e.name !== undefined ? 'name' : 'namePrefix'}`;
    for (const name of names) {
      const bad = validateDns1123Subdomain(name)[0] ?? validateLabelValue(name)[0];
      if (bad) throw new NodesFileError(`${source}: ${field}: "${name}" is not a valid node name: ${bad}`);
      const earlier = from.get(name);
      if (earlier) throw new NodesFileError(`${source}: ${field}: node name "${name}" is used twice (also by ${earlier})`);
      from.set(name, field);
      if (out.length === MAX_NODES) throw new NodesFileError(`${source}: nodes: more than ${MAX_NODES} nodes`);
      out.push({
        name,
        index: out.length + 1,
        cpu: e.cpu ?? defaults.cpu,
        memory: e.memory ?? defaults.memory,
        maxPods: e.pods ?? defaults.maxPods,
        labels: { ...e.labels },
        taints: (e.taints ?? []).map((t) => ({ ...t })),
      });
    }
  }
  return out;
}

/** `--nodes-file FILE`: reads and parses it; a missing file is a NodesFileError too. */
export function loadNodesFile(path: string, defaults: NodeShape): SimNode[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new NodesFileError(`${path}: cannot read the nodes file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseNodesFile(text, path, defaults);
}

/** `nodes[1].labels["topology.kubernetes.io/zone"]`, as a reader of the file finds the field. */
function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(p))) out += `${out ? '.' : ''}${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}
