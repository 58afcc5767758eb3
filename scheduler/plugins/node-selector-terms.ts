import type { z } from 'zod';
import type { Node } from '../../api/schemas/cluster.js';
import type { NodeSelectorRequirement, NodeSelectorTerm } from '../../api/schemas/pod.js';

type Requirement = z.infer<typeof NodeSelectorRequirement>;
type Term = z.infer<typeof NodeSelectorTerm>;

/**
 * Upstream's NodeSelector.Match: the terms are ORed, the requirements within a term ANDed. A term
 * with no requirements, or with one upstream would reject as malformed (`In` without values, `Gt`
 * with a non-integer), matches nothing, while the other terms still can.
 *
 *   matchesNodeSelectorTerms([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }],
 *     node labelled cores=8) = true
 */
export function matchesNodeSelectorTerms(terms: readonly Term[], node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  const fields: Record<string, string> = { 'metadata.name': node.metadata?.name ?? '' };
  return terms.some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fieldReqs = term.matchFields ?? [];
    if (exprs.length === 0 && fieldReqs.length === 0) return false;
    return exprs.every((r) => matchesLabel(r, labels)) && fieldReqs.every((r) => matchesField(r, fields));
  });
}

function matchesLabel(r: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const values = r.values ?? [];
  const has = Object.hasOwn(labels, r.key);
  const label = labels[r.key];
  switch (r.operator) {
    case 'In':
      return values.length > 0 && label !== undefined && values.includes(label);
    case 'NotIn':
      return values.length > 0 && (label === undefined || !values.includes(label));
    case 'Exists':
      return values.length === 0 && has;
    case 'DoesNotExist':
      return values.length === 0 && !has;
    case 'Gt':
    case 'Lt': {
      const [bound, ...rest] = values;
      const b = bound === undefined || rest.length > 0 ? undefined : integer(bound);
      const v = label === undefined ? undefined : integer(label);
      if (b === undefined || v === undefined) return false;
      return r.operator === 'Gt' ? v > b : v < b;
    }
  }
}

/** Fields allow only In and NotIn with a single value, and only the fields upstream indexes. */
function matchesField(r: Requirement, fields: Readonly<Record<string, string>>): boolean {
  const values = r.values ?? [];
  const field = fields[r.key];
  if (field === undefined || values.length !== 1) return false;
  if (r.operator === 'In') return values[0] === field;
  if (r.operator === 'NotIn') return values[0] !== field;
  return false;
}

/** Go's ParseInt in base 10, 64 bits; bigint keeps values past 2^53 exact. */
function integer(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}
