import { isConflict, isNotFound, type Api, type KubeObject } from '../api/client.js';
import type { Clock, Timer } from '../api/clock.js';
import { resolveResource } from '../api/resources.js';
import { microTimestamp } from './timestamp.js';

const leases = resolveResource('leases')!;
export const LEASE_NAMESPACE = 'kube-node-lease';
export const LEASE_DURATION_SECONDS = 40;
export const RENEW_INTERVAL_MS = 10_000;
/**
 * How many parts an interval's renewals are spread over: a tick every interval / SLICES renews
 * every SLICES-th node, so each node is still renewed once an interval but 1,000 nodes send 100
 * PUTs a second instead of 1,000 at one instant, as real kubelets, each on its own phase, do.
 */
export const SLICES = 10;

export interface LeaseKeeperOptions {
  client: Api;
  clock: Clock;
  nodes: readonly string[];
  /** Read at every beat, so a speed changed while running takes effect at the next one. */
  speed: number | (() => number);
  /** A node whose heartbeats a fault has stopped: its Lease is left to expire. */
  paused?(node: string): boolean;
  onError?(node: string, err: unknown): void;
}

/**
 * Renews one Lease per node in kube-node-lease, as the kubelet does every 10 s (divided by the
 * speed), the nodes spread over the interval (see SLICES); the node lifecycle controller reads them
 * to tell a live node from a dead one. It creates a missing Lease, so a deleted one comes back at
 * the node's next renewal.
 */
export class LeaseKeeper {
  private timer: Timer | undefined;
  /** The slice of the nodes the next tick renews. */
  private slice = 0;
  private stopped = false;
  /** Each node's Lease as this keeper last wrote it: the next renewal starts from it. */
  private readonly written = new Map<string, KubeObject>();
  /**
   * Nodes whose renewal is still under way. A tick skips them, as a kubelet's lease controller
   * waits for one renewal before it starts the next: two PUTs of the same copy would conflict, and
   * each conflict costs a GET and a third write, on a server already too slow to answer in a beat.
   */
  private readonly renewing = new Set<string>();

  constructor(private readonly opts: LeaseKeeperOptions) {}

  /** Renews every lease now, then each once an interval, a slice of them at a time. */
  async start(): Promise<void> {
    this.tick();
    await this.renewAll();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** The speed changed: the next tick comes at the new interval, not after the old one. */
  rearm(): void {
    if (this.stopped || !this.timer) return;
    this.timer.cancel();
    this.tick();
  }

  private tick(): void {
    const speed = typeof this.opts.speed === 'function' ? this.opts.speed() : this.opts.speed;
    const slices = Math.max(1, Math.min(SLICES, this.opts.nodes.length));
    this.timer = this.opts.clock.setTimeout(() => {
      if (this.stopped) return;
      const slice = this.slice % slices;
      this.slice = (slice + 1) % slices;
      this.tick();
      void this.renewNodes(this.opts.nodes.filter((_, i) => i % slices === slice));
    }, RENEW_INTERVAL_MS / slices / speed);
  }

  /** Renews every node's Lease at once (but those still being renewed). */
  renewAll(): Promise<void> {
    return this.renewNodes(this.opts.nodes);
  }

  private async renewNodes(nodes: readonly string[]): Promise<void> {
    const live = nodes.filter((n) => !this.opts.paused?.(n) && !this.renewing.has(n));
    await Promise.all(
      live.map(async (n) => {
        this.renewing.add(n);
        try {
          await this.renew(n);
        } catch (err) {
          this.opts.onError?.(n, err);
        } finally {
          this.renewing.delete(n);
        }
      }),
    );
  }

  /**
   * One renewal, as the kubelet does it: a PUT of the Lease it last wrote (one request a beat), and
   * a GET only when that copy is stale (409) or missing, or a create when the Lease is gone.
   */
  private async renew(node: string): Promise<void> {
    const { client, clock } = this.opts;
    const now = microTimestamp(clock);
    const renewed = (lease: KubeObject): KubeObject => ({
      ...lease,
      spec: { ...(lease.spec as object), holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
    });
    const last = this.written.get(node);
    if (last) {
      try {
        this.written.set(node, await client.update(leases, LEASE_NAMESPACE, renewed(last)));
        return;
      } catch (err) {
        this.written.delete(node);
        if (!isConflict(err) && !isNotFound(err)) throw err;
      }
    }
    let lease: KubeObject;
    try {
      lease = await client.get(leases, LEASE_NAMESPACE, node);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const spec = { holderIdentity: node, leaseDurationSeconds: LEASE_DURATION_SECONDS, acquireTime: now, renewTime: now };
      this.written.set(node, await client.create(leases, LEASE_NAMESPACE, { metadata: { name: node, namespace: LEASE_NAMESPACE }, spec }));
      return;
    }
    this.written.set(node, await client.update(leases, LEASE_NAMESPACE, renewed(lease)));
  }
}
