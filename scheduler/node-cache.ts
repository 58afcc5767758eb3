import { keyOf } from '../api/informer.js';
import type { Node } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import type { NodeList } from './decide.js';
import { newNodeInfo, type NodeInfo } from './plugins/index.js';

/**
 * The NodeInfos the scheduler decides on, kept up to date by informer events instead of being
 * rebuilt from every pod for every decision (upstream's scheduler cache). It holds what `snapshot`
 * computes, incrementally: each node with the pods bound to it, plus the pods this scheduler has
 * assumed onto a node (bound by it, not yet seen bound). A node's NodeInfo is rebuilt only when one
 * of its pods changed.
 *
 *   const cache = new NodeCache();
 *   cache.setNode(node1);
 *   cache.assume('default/web-2', { ...web2, spec: { ...web2.spec, nodeName: 'node-1' } });
 *   cache.setPod(web1BoundToNode1);
 *   cache.infos();            // [NodeInfo(node-1, pods [web-2, web-1])]
 *   cache.forget('default/web-2');   // its bind failed: node-1 has room again
 */
export class NodeCache {
  /** Each node, with its NodeInfo once built (until one of its pods or the node changes). */
  private readonly nodes = new Map<string, Slot>();
  /** Per node, the pods that count against it, by pod key. */
  private readonly podsOn = new Map<string, Map<string, Pod>>();
  /** Where each counted pod is, and whether only our assumption puts it there. */
  private readonly placed = new Map<string, { node: string; assumed: boolean }>();
  /** The slots sorted by node name; a decision reads hundreds of them, with no lookup by name. */
  private sorted: Slot[] | undefined;

  setNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const slot = this.nodes.get(name);
    if (slot) {
      slot.node = node;
      slot.info = undefined;
    } else {
      this.nodes.set(name, { name, node, info: undefined });
      this.sorted = undefined;
    }
  }

  deleteNode(name: string): void {
    if (this.nodes.delete(name)) this.sorted = undefined;
  }

  /** A pod as the cache shows it: bound ones count against their node; others only if assumed. */
  setPod(pod: Pod): void {
    const key = keyOf(pod);
    const node = pod.spec?.nodeName;
    if (node) this.place(key, pod, node, false);
    else if (!this.placed.get(key)?.assumed) this.remove(key);
  }

  deletePod(key: string): void {
    this.remove(key);
  }

  /** This scheduler bound `pod` (its nodeName filled in): count it before the cache shows it. */
  assume(key: string, pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (!node || this.placed.get(key)?.assumed === false) return;
    this.place(key, pod, node, true);
  }

  /** The bind failed: drop the assumption, unless the cache has meanwhile shown the pod bound. */
  forget(key: string): void {
    if (this.placed.get(key)?.assumed) this.remove(key);
  }

  /** Every node's NodeInfo, nodes sorted by name so that a seeded tie-break replays. */
  infos(): NodeInfo[] {
    const nodes = this.nodeList();
    return Array.from({ length: nodes.length }, (_, i) => nodes.at(i)!);
  }

  /**
   * The same nodes, each NodeInfo built only when asked for: a decision in a cluster of 5,000
   * nodes looks at about 500 of them, and pays for those alone.
   */
  nodeList(): NodeList {
    const sorted = (this.sorted ??= [...this.nodes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    return { length: sorted.length, at: (i) => this.info(sorted[i]!) };
  }

  private info(slot: Slot): NodeInfo {
    return (slot.info ??= newNodeInfo(slot.node, [...(this.podsOn.get(slot.name)?.values() ?? [])]));
  }

  /** A node's pods changed: its NodeInfo is built again when next asked for. */
  private stale(node: string): void {
    const slot = this.nodes.get(node);
    if (slot) slot.info = undefined;
  }

  private place(key: string, pod: Pod, node: string, assumed: boolean): void {
    this.remove(key);
    let pods = this.podsOn.get(node);
    if (!pods) this.podsOn.set(node, (pods = new Map()));
    pods.set(key, pod);
    this.placed.set(key, { node, assumed });
    this.stale(node);
  }

  private remove(key: string): void {
    const at = this.placed.get(key);
    if (!at) return;
    this.placed.delete(key);
    this.podsOn.get(at.node)?.delete(key);
    this.stale(at.node);
  }
}

interface Slot {
  readonly name: string;
  node: Node;
  info: NodeInfo | undefined;
}
