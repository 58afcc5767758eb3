import type { Api, KubeObject } from './client.js';
import { isAlreadyExists, isNotFound } from './client.js';
import type { Clock } from './clock.js';
import { resolveResource } from './resources.js';
import type { Event } from './schemas/cluster.js';

const events = resolveResource('events')!;

/** Seconds, as Kubernetes timestamps are written. */
function timestamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type EventType = 'Normal' | 'Warning';

/** A core/v1 Event about an object (which carries its apiVersion and kind), as upstream's recorder writes it. */
export function objectEvent(obj: KubeObject, type: EventType, reason: string, message: string, name: string, at: string, component: string): Event {
  const m = obj.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: m?.namespace ?? 'default' },
    involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, namespace: m?.namespace, name: m?.name, uid: m?.uid, resourceVersion: m?.resourceVersion },
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
 * Writes Events, folding a repeat (same object, reason and message) into one Event whose count
 * grows, so an object retried every few seconds does not fill the store with copies. Events of
 * cluster-scoped objects (nodes) go to `default`, as upstream's do.
 */
const NAME_ATTEMPTS = 5;

export class EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number }>();
  private serial = 0;

  constructor(private readonly opts: { client: Api; clock: Clock; component: string }) {}

  async record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const { client, clock, component } = this.opts;
    const ns = obj.metadata?.namespace ?? 'default';
    const key = `${ns}/${obj.metadata?.uid ?? obj.metadata?.name}/${reason}/${message}`;
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
    // Upstream names an Event by the nanosecond; here a millisecond and a serial, which another
    // component writing about the same object in the same millisecond may have taken: take the next.
    for (let attempt = 1; ; attempt++) {
      const name = `${obj.metadata?.name ?? 'object'}.${(clock.now() * 1000 + this.serial++).toString(16)}`;
      try {
        await client.create(events, ns, objectEvent(obj, type, reason, message, name, at, component));
        this.seen.set(key, { name, count: 1 });
        return;
      } catch (err) {
        if (!isAlreadyExists(err) || attempt === NAME_ATTEMPTS) throw err;
      }
    }
  }

  /** The object is gone (or a pod scheduled): its repeats need no more folding. */
  forget(obj: KubeObject): void {
    const prefix = `${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.uid ?? obj.metadata?.name}/`;
    for (const key of this.seen.keys()) if (key.startsWith(prefix)) this.seen.delete(key);
  }
}
