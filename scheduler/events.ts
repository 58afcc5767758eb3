import type { ApiClient } from '../api/client.js';
import { isNotFound } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import { resolveResource } from '../api/resources.js';
import type { Event } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';

const events = resolveResource('events')!;

/** Seconds, as Kubernetes timestamps are written. */
function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A core/v1 Event about a pod, as upstream's recorder writes it. */
export function podEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, name: string, at: string, component: string): Event {
  const m = pod.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: m?.namespace ?? 'default' },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: m?.namespace, name: m?.name, uid: m?.uid, resourceVersion: m?.resourceVersion },
    reason,
    message,
    type,
    source: { component },
    count: 1,
    firstTimestamp: at,
    lastTimestamp: at,
    reportingComponent: component,
  };
}

/**
 * Writes Events, folding a repeat (same pod, reason and message) into one Event whose count
 * grows, so a pod retried every few seconds does not fill the store with copies.
 */
export class EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number }>();
  private serial = 0;

  constructor(private readonly opts: { client: ApiClient; clock: Clock; component: string }) {}

  async record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const { client, clock, component } = this.opts;
    const ns = pod.metadata?.namespace ?? 'default';
    const key = `${ns}/${pod.metadata?.uid ?? pod.metadata?.name}/${reason}/${message}`;
    const at = timestamp(clock);
    const prior = this.seen.get(key);
    if (prior) {
      prior.count++;
      try {
        await client.patch(events, ns, prior.name, 'merge', { count: prior.count, lastTimestamp: at });
        return;
      } catch (err) {
        // Events expire; a repeat of one that is gone starts a fresh one.
        if (!isNotFound(err)) throw err;
      }
    }
    const name = `${pod.metadata?.name ?? 'pod'}.${(clock.now() * 1000 + this.serial++).toString(16)}`;
    await client.create(events, ns, podEvent(pod, type, reason, message, name, at, component));
    this.seen.set(key, { name, count: 1 });
  }

  /** The pod is gone or scheduled: its repeats need no more folding. */
  forget(pod: Pod): void {
    const prefix = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.uid ?? pod.metadata?.name}/`;
    for (const key of this.seen.keys()) if (key.startsWith(prefix)) this.seen.delete(key);
  }
}
