import { keyOf } from '../api/informer.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import { newNodeInfo, type NodeInfo } from './plugins/index.js';

/**
 * The NodeInfos one scheduling cycle works on: every node, with the pods the cache shows bound to
 * it plus the pods this scheduler has bound but the cache does not yet show bound (reservations).
 * Without the reservations, a burst of pods would all see the same free room and over-commit it.
 * Nodes come sorted by name, so that a seeded tie-break picks the same node on every run.
 *
 *   snapshot([node-1], [web-1 bound to node-1], new Map([['default/web-2', web-2 on node-1]]))
 *     = [NodeInfo(node-1, pods [web-1, web-2])]
 */
export function snapshot(nodes: readonly Node[], pods: readonly Pod[], reserved: ReadonlyMap<string, Pod>): NodeInfo[] {
  const byNode = new Map<string, Pod[]>();
  const place = (pod: Pod) => {
    const node = pod.spec?.nodeName;
    if (!node) return;
    const list = byNode.get(node) ?? [];
    list.push(pod);
    byNode.set(node, list);
  };
  const counted = new Set<string>();
  for (const pod of pods) {
    if (!pod.spec?.nodeName) continue;
    counted.add(keyOf(pod));
    place(pod);
  }
  for (const [key, pod] of reserved) if (!counted.has(key)) place(pod);
  return [...nodes]
    .sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1))
    .map((node) => newNodeInfo(node, byNode.get(node.metadata?.name ?? '') ?? []));
}
