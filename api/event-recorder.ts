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
/** Objects whose Events are remembered for folding, as upstream's correlator keeps an LRU of 4096. */
const REMEMBERED_OBJECTS = 4096;

export class EventRecorder {
  /** By object (`namespace/uid`), then by `reason/message`: the Event written and its count. */
  private readonly seen = new Map<string, Map<string, { name: string; count: number }>>();
  private serial = 0;

  constructor(private readonly opts: { client: Api; clock: Clock; component: string }) {}

  async record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const { client, clock, component } = this.opts;
    const ns = obj.metadata?.namespace ?? 'default';
    const object = objectKey(obj);
    const key = `${reason}/${message}`;
    const at = timestamp(clock);
    const prior = this.seen.get(object)?.get(key);
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
        this.remember(object, key, name);
        return;
      } catch (err) {
        if (!isAlreadyExists(err) || attempt === NAME_ATTEMPTS) throw err;
      }
    }
  }

  /** The object is gone (or a pod scheduled): its repeats need no more folding. */
  forget(obj: KubeObject): void {
    this.seen.delete(objectKey(obj));
  }

  private remember(object: string, key: string, name: string): void {
    let events = this.seen.get(object);
    if (!events) {
      // The least recently first-seen object goes: Map keeps insertion order.
      if (this.seen.size >= REMEMBERED_OBJECTS) this.seen.delete(this.seen.keys().next().value!);
      this.seen.set(object, (events = new Map()));
    }
    events.set(key, { name, count: 1 });
  }
}

const objectKey = (obj: KubeObject) => `${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.uid ?? obj.metadata?.name}`;
