import type { Clock } from '../../api/clock.js';

/** Upstream's ExpectationsTimeout: a controller stuck waiting for a lost event syncs again after this. */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  dels: number;
  /** Keys (`namespace/name`) of the pods whose deletion is awaited, so that one seen twice counts once. */
  deleting: Set<string>;
  at: number;
}

export interface PodExpectationsOptions {
  clock: Clock;
  timeoutMs?: number;
  /**
   * False turns expectations off: every controller counts as satisfied. Only for showing, in
   * tests, what they prevent; a real controller without them creates pods twice from stale caches.
   */
  enabled?: boolean;
}

/**
 * Upstream's UIDTrackingControllerExpectations: per controller key, the pod creations and
 * deletions it has asked for and not yet seen in its pod cache. A sync that acts on a cache still
 * missing its own writes would act twice, so the sync waits until they are seen or time out.
 *
 *   const exp = new PodExpectations({ clock });
 *   exp.satisfied('default/web')                       = true   (nothing asked for yet)
 *   exp.expectCreations('default/web', 2);
 *   exp.creationObserved('default/web');
 *   exp.satisfied('default/web')                       = false  (one create not yet seen)
 *   exp.creationObserved('default/web');
 *   exp.satisfied('default/web')                       = true
 *   exp.expectDeletions('default/web', ['default/web-a']);
 *   exp.deletionObserved('default/web', 'default/web-a');   // deletionTimestamp seen
 *   exp.deletionObserved('default/web', 'default/web-a');   // the delete itself: counted once
 *   exp.satisfied('default/web')                       = true
 */
export class PodExpectations {
  private readonly byKey = new Map<string, Expectation>();
  private readonly timeoutMs: number;
  private readonly enabled: boolean;

  constructor(private readonly opts: PodExpectationsOptions) {
    this.timeoutMs = opts.timeoutMs ?? EXPECTATIONS_TIMEOUT_MS;
    this.enabled = opts.enabled ?? true;
  }

  /** True when nothing asked for is still unseen, or the wait has timed out, or nothing was ever asked. */
  satisfied(key: string): boolean {
    if (!this.enabled) return true;
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.dels <= 0) return true;
    return this.opts.clock.now() - e.at > this.timeoutMs;
  }

  /** Replaces whatever was expected: a sync only sets expectations once the previous ones are met. */
  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { adds: n, dels: 0, deleting: new Set(), at: this.opts.clock.now() });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, dels: podKeys.length, deleting: new Set(podKeys), at: this.opts.clock.now() });
  }

  /** A pod controlled by `key` appeared in the cache (or a create was never sent). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  /** `podKey` was seen terminating or gone (or its delete failed); only awaited pods count. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.byKey.get(key);
    if (e?.deleting.delete(podKey)) e.dels--;
  }

  /** The controller is gone: forget it, so a new one of the same name starts clean. */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** What is still awaited, for logs and tests. */
  pending(key: string): { adds: number; dels: number } | undefined {
    const e = this.byKey.get(key);
    return e ? { adds: e.adds, dels: e.dels } : undefined;
  }
}
