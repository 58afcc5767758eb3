/**
 * The message a pod that fits nowhere carries, as upstream's FitError prints it: each reason with
 * the number of nodes that gave it, sorted as strings (count first, so "1 ..." before "2 ..."). A
 * node may give several reasons, so the counts can add up to more than the nodes.
 *
 *   failureMessage(3, [['node(s) were unschedulable'], ['Insufficient cpu'], ['Insufficient cpu']])
 *     = '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.'
 */
export function failureMessage(numAllNodes: number, reasonsPerNode: Iterable<readonly string[]>): string {
  const counts = new Map<string, number>();
  for (const reasons of reasonsPerNode) {
    for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort(byCodeUnit);
  const head = `0/${numAllNodes} nodes are available:`;
  return histogram.length === 0 ? head : `${head} ${histogram.join(', ')}.`;
}

// Go's sort.Strings compares bytes; for these ASCII strings that is code-unit order.
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
