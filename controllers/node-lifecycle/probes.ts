/**
 * When each node's kubelet was last seen alive, by this controller's clock (upstream's
 * nodeHealthMap): a probe is the pair (Ready lastHeartbeatTime, Lease renewTime), and its time is
 * when the pair last changed. A node seen for the first time counts as just probed, so a controller
 * that starts (or restarts) gives every node a full grace period before judging it.
 *
 *   const probes = new NodeProbes();
 *   probes.observe('node-1', { heartbeat: 'T0', renew: 'R0' }, 1_000);   // 1000 (first sight)
 *   probes.observe('node-1', { heartbeat: 'T0', renew: 'R0' }, 9_000);   // 1000 (nothing new)
 *   probes.observe('node-1', { heartbeat: 'T0', renew: 'R1' }, 9_500);   // 9500 (the Lease was renewed)
 */
export class NodeProbes {
  private readonly seen = new Map<string, { heartbeat?: string | undefined; renew?: string | undefined; at: number }>();

  observe(node: string, probe: { heartbeat?: string | undefined; renew?: string | undefined }, now: number): number {
    const prior = this.seen.get(node);
    if (prior && prior.heartbeat === probe.heartbeat && prior.renew === probe.renew) return prior.at;
    this.seen.set(node, { ...probe, at: now });
    return now;
  }

  forget(node: string): void {
    this.seen.delete(node);
  }
}
