import type { Api, KubeObject } from './client.js';
import { isAlreadyExists, isNotFound } from './client.js';
import type { Clock } from './clock.js';
import { EventCorrelator } from './event-correlator.js';
import { resolveResource } from './resources.js';
import type { Event } from './schemas/cluster.js';
import { secondsTimestamp } from './timestamp.js';

const events = resolveResource('events')!;

export type EventType = 'Normal' | 'Warning';

/** Where an Event comes from: the component, and for a kubelet the node it runs on. */
export interface EventSource {
  component: string;
  host?: string;
}

/** A core/v1 Event about an object (which carries its apiVersion and kind), as upstream's recorder writes it. */
export function objectEvent(
  obj: KubeObject,
  type: EventType,
  reason: string,
  message: string,
  name: string,
  at: { first: string; last: string; count: number },
  source: EventSource,
): Event {
  const m = obj.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: m?.namespace ?? 'default' },
    // Fields in the order the schema decodes them, which then keeps it.
    involvedObject: { kind: obj.kind, namespace: m?.namespace, name: m?.name, uid: m?.uid, apiVersion: obj.apiVersion, resourceVersion: m?.resourceVersion },
    reason,
    message,
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    firstTimestamp: at.first,
    lastTimestamp: at.last,
    count: at.count,
    type,
    reportingComponent: source.component,
    ...(source.host ? { reportingInstance: source.host } : {}),
  };
}

const NAME_ATTEMPTS = 5;

/**
 * Writes Events as client-go's recorder does (see `EventCorrelator`): a repeat patches the Event
 * already written, many similar ones are combined, and a source's Events about one object beyond
 * 25 are dropped but for one every 5 minutes. Events of cluster-scoped objects (nodes) go to
 * `default`, as upstream's do.
 */
export class EventRecorder {
  private readonly correlator = new EventCorrelator();
  private serial = 0;

  constructor(private readonly opts: { client: Api; clock: Clock; component: string }) {}

  /** `host`: the node a kubelet reports from. */
  async record(obj: KubeObject, type: EventType, reason: string, message: string, host?: string): Promise<void> {
    const { client, clock, component } = this.opts;
    const ns = obj.metadata?.namespace ?? 'default';
    const now = clock.now();
    const source: EventSource = host ? { component, host } : { component };
    const m = obj.metadata;
    const object = { kind: obj.kind, namespace: m?.namespace, name: m?.name, uid: m?.uid, apiVersion: obj.apiVersion };
    const c = this.correlator.correlate({ type, reason, message, component, host, object }, now);
    if (c.write === 'none') return;
    const at = { first: secondsTimestamp(c.firstMs), last: secondsTimestamp(now), count: c.count };
    if (c.write === 'patch') {
      try {
        await client.patch(events, ns, c.name, 'merge', { count: c.count, lastTimestamp: at.last, message: c.message });
        this.correlator.written(c.key, c.name, c.count, c.firstMs);
        return;
      } catch (err) {
        // Events expire; a repeat of one that is gone starts a fresh one.
        if (!isNotFound(err)) throw err;
      }
    }
    // Upstream names an Event by the nanosecond; here a millisecond and a serial, which another
    // component writing about the same object in the same millisecond may have taken: take the next.
    for (let attempt = 1; ; attempt++) {
      const name = `${m?.name ?? 'object'}.${(now * 1000 + this.serial++).toString(16)}`;
      try {
        await client.create(events, ns, objectEvent(obj, type, reason, c.message, name, at, source));
        this.correlator.written(c.key, name, c.count, c.firstMs);
        return;
      } catch (err) {
        if (!isAlreadyExists(err) || attempt === NAME_ATTEMPTS) throw err;
      }
    }
  }
}
