import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isAlreadyExists, isConflict, isNotFound, type Api, type KubeObject } from './client.js';
import type { Clock, Timer } from './clock.js';
import type { Logger } from './log.js';
import { resolveResource } from './resources.js';

const leases = resolveResource('leases')!;

/** How a component takes part in leader election: the flags kube-scheduler and kube-controller-manager share. */
export interface LeaderElectionConfig {
  enabled: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export interface LeaderElectionOptions {
  client: Api;
  clock: Clock;
  /** The Lease, in kube-system: `kube-controller-manager`, `kube-scheduler`. */
  name: string;
  namespace?: string;
  /** Who this copy is, unique among the copies: `host_pid_random`. */
  identity: string;
  /** How long a leader's claim holds without renewal; a standby takes over after it. */
  leaseDurationMs: number;
  /** How long a leader keeps trying to renew before it gives up leading. */
  renewDeadlineMs: number;
  /** How often to try to acquire, and to renew. */
  retryPeriodMs: number;
  logger?: Logger;
  /** Called once this copy leads. */
  onStartedLeading(): void;
  /** Called once if this copy led and lost the lease: the process should stop doing work (upstream exits). */
  onStoppedLeading(): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };

/** The first quick retry while the API server has not yet answered; see untilFirstAnswer. */
const STARTUP_RETRY_MS = 50;

/** What changes each time the holder renews: seeing it change is seeing the holder alive. */
const recordOf = (s: LeaseSpec) => JSON.stringify([s.holderIdentity, s.renewTime, s.leaseDurationSeconds]);

/** Kubernetes writes lease times with microseconds. */
export const microTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000Z');

/**
 * Leader election through a coordination.k8s.io Lease, as client-go's leaderelection does it, so
 * that a second copy of a component waits as a hot standby and takes over when the leader dies.
 * A lease counts as expired when this copy has seen no change to it for the lease's duration on
 * its own clock: clocks of different machines are never compared.
 *
 *   const election = new LeaderElection({ client, clock, name: 'kube-controller-manager',
 *     identity: 'host_123_ab12', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000,
 *     onStartedLeading: () => manager.start(), onStoppedLeading: () => process.exit(1) });
 *   election.start();
 *   await election.release();   // on SIGTERM: the standby need not wait out the lease
 */
export class LeaderElection {
  private timer: Timer | undefined;
  private startupTimer: Timer | undefined;
  private observed: { record: string; at: number } | undefined;
  private leading = false;
  private lastRenew = 0;
  private running = false;
  private busy = false;
  private answered = false;
  private written: string | undefined;

  constructor(private readonly opts: LeaderElectionOptions) {}

  isLeader(): boolean {
    return this.leading;
  }

  /**
   * Whether the last attempt on the lease got an answer from the API server, held or not: a standby
   * that cannot reach the server could not take over, so it is not ready to.
   */
  inContact(): boolean {
    return this.answered;
  }

  /** The resourceVersion of this copy's last write of the Lease: a leader's caches start no older than it. */
  leaseVersion(): string | undefined {
    return this.written;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick().then(() => this.untilFirstAnswer(STARTUP_RETRY_MS));
    this.timer = this.opts.clock.setInterval(() => void this.tick(), this.opts.retryPeriodMs);
  }

  /**
   * A cluster starts all its processes at once, so the first attempt often finds the API server not
   * yet listening; waiting a whole retry period for the next would add it to every start. Until the
   * server first answers, attempts come sooner, doubling up to the retry period.
   */
  private untilFirstAnswer(delayMs: number): void {
    if (!this.running || this.answered || delayMs >= this.opts.retryPeriodMs) return;
    this.startupTimer = this.opts.clock.setTimeout(() => void this.tick().then(() => this.untilFirstAnswer(delayMs * 2)), delayMs);
  }

  /** Stops trying; if leading, gives the lease up so that a standby takes over at once. */
  async release(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.startupTimer?.cancel();
    if (!this.leading) return;
    this.leading = false;
    const { client, namespace = 'kube-system', name, identity } = this.opts;
    try {
      const lease = await client.get<Lease>(leases, namespace, name);
      if (lease.spec?.holderIdentity !== identity) return;
      const now = microTime(this.opts.clock.now());
      await client.update(leases, namespace, { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now } });
    } catch (err) {
      this.opts.logger?.warn({ err: (err as Error).message, lease: name }, 'could not release the leader lease; the standby waits it out');
    }
  }

  private async tick(): Promise<void> {
    if (!this.running || this.busy) return;
    this.busy = true;
    try {
      const held = await this.tryAcquireOrRenew().then(
        (h) => {
          this.answered = true;
          return h;
        },
        (err: unknown) => {
          this.answered = false;
          this.opts.logger?.warn({ err: (err as Error).message, lease: this.opts.name }, 'leader lease: the API server did not answer');
          return false;
        },
      );
      const now = this.opts.clock.now();
      if (held) {
        this.lastRenew = now;
        if (!this.leading && this.running) {
          this.leading = true;
          this.opts.logger?.info({ lease: this.opts.name, identity: this.opts.identity }, 'became leader');
          this.opts.onStartedLeading();
        }
      } else if (this.leading && now - this.lastRenew >= this.opts.renewDeadlineMs) {
        this.leading = false;
        this.running = false;
        this.timer?.cancel();
        this.opts.logger?.error({ lease: this.opts.name, identity: this.opts.identity }, 'lost the leader lease');
        this.opts.onStoppedLeading();
      }
    } finally {
      this.busy = false;
    }
  }

  /** One attempt, as client-go's tryAcquireOrRenew: true when this copy holds the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, clock, namespace = 'kube-system', name, identity, leaseDurationMs } = this.opts;
    const now = clock.now();
    const spec: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.max(1, Math.round(leaseDurationMs / 1000)),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    let lease: Lease;
    try {
      lease = await client.get<Lease>(leases, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      try {
        const created = await client.create<Lease>(leases, namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec });
        this.written = created.metadata?.resourceVersion;
        this.observed = { record: recordOf(spec), at: now };
        return true;
      } catch (createErr) {
        if (isAlreadyExists(createErr)) return false;
        throw createErr;
      }
    }
    const old = lease.spec ?? {};
    const record = recordOf(old);
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const holder = old.holderIdentity ?? '';
    const durationMs = (old.leaseDurationSeconds ?? 0) * 1000;
    if (holder !== '' && holder !== identity && this.observed.at + durationMs > now) return false;
    const next: LeaseSpec =
      holder === identity
        ? { ...spec, acquireTime: old.acquireTime ?? spec.acquireTime, leaseTransitions: old.leaseTransitions ?? 0 }
        : { ...spec, leaseTransitions: (old.leaseTransitions ?? 0) + 1 };
    try {
      this.written = (await client.update<Lease>(leases, namespace, { ...lease, spec: next })).metadata?.resourceVersion;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
    this.observed = { record: recordOf(next), at: now };
    return true;
  }
}

/**
 * Runs `lead` at once when election is off, or once this copy wins the Lease `name` in
 * kube-system; calls `lost` if it later loses it. Returns the election, to release on shutdown.
 */
export function leadWhenElected(
  config: LeaderElectionConfig,
  opts: { client: Api; clock: Clock; name: string; identity: string; logger?: Logger; lead(): void; lost(): void },
): LeaderElection | undefined {
  if (!config.enabled) {
    opts.lead();
    return undefined;
  }
  const election = new LeaderElection({
    client: opts.client,
    clock: opts.clock,
    name: opts.name,
    identity: opts.identity,
    leaseDurationMs: config.leaseDurationMs,
    renewDeadlineMs: config.renewDeadlineMs,
    retryPeriodMs: config.retryPeriodMs,
    ...(opts.logger ? { logger: opts.logger } : {}),
    onStartedLeading: opts.lead,
    onStoppedLeading: opts.lost,
  });
  election.start();
  return election;
}

/** Unique among the copies of a component: `host_pid_random`, as client-go builds it from the hostname. */
export function candidateIdentity(): string {
  return `${hostname()}_${process.pid}_${randomBytes(4).toString('hex')}`;
}
