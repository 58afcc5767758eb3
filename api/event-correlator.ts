/**
 * What client-go's event recorder does with an Event before it reaches the API server, so that a
 * component here writes the Events a Kubernetes component would, no more:
 *
 * - a repeat (same source, object, type, reason and message) patches the Event already written,
 *   its count one higher;
 * - the 10th different message with the same source, object, type and reason within 10 minutes
 *   becomes one Event "(combined from similar events): MESSAGE", patched from then on;
 * - a source writes at most 25 Events about one object, then one every 5 minutes: the rest are
 *   dropped. A ReplicaSet scaled to 10,000 gets about 25 `SuccessfulCreate` Events, not 10,000.
 *
 * Each of the three remembers its last 4,096 keys. The clock is the caller's, so a simulated
 * cluster drops and folds the same Events in every run.
 */

export interface EventFacts {
  type: string;
  reason: string;
  message: string;
  component: string;
  host?: string;
  object: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string };
}

/** What to write: nothing, a new Event, or a patch of the Event named `name`. */
export type Correlation =
  | { write: 'none' }
  | { write: 'create'; key: string; message: string; count: number; firstMs: number }
  | { write: 'patch'; key: string; message: string; count: number; firstMs: number; name: string };

const CACHE_ENTRIES = 4096;
const AGGREGATE_MAX_EVENTS = 10;
const AGGREGATE_INTERVAL_MS = 600_000;
const SPAM_BURST = 25;
const SPAM_REFILL_MS = 300_000;
export const COMBINED_PREFIX = '(combined from similar events): ';

export class EventCorrelator {
  private readonly aggregates = new Lru<{ messages: Set<string>; lastMs: number }>();
  private readonly observed = new Lru<{ count: number; firstMs: number; name: string | undefined }>();
  private readonly buckets = new Lru<{ tokens: number; atMs: number }>();

  correlate(e: EventFacts, nowMs: number): Correlation {
    const source = `${e.component}\u0000${e.host ?? ''}`;
    const o = e.object;
    const object = `${o.kind ?? ''}\u0000${o.namespace ?? ''}\u0000${o.name ?? ''}\u0000${o.uid ?? ''}\u0000${o.apiVersion ?? ''}`;
    const similar = `${source}\u0000${object}\u0000${e.type}\u0000${e.reason}`;

    let key = `${similar}\u0000${e.message}`;
    let message = e.message;
    let aggregate = this.aggregates.get(similar);
    if (!aggregate || nowMs - aggregate.lastMs > AGGREGATE_INTERVAL_MS) aggregate = { messages: new Set(), lastMs: nowMs };
    aggregate.messages.add(e.message);
    aggregate.lastMs = nowMs;
    this.aggregates.set(similar, aggregate);
    if (aggregate.messages.size >= AGGREGATE_MAX_EVENTS) {
      // Upstream keeps the set just under the limit, so every later message is combined too.
      aggregate.messages.delete(aggregate.messages.values().next().value!);
      key = similar;
      message = `${COMBINED_PREFIX}${e.message}`;
    }

    const last = this.observed.get(key);
    const count = (last?.count ?? 0) + 1;
    const firstMs = last?.firstMs ?? nowMs;
    // Counted even if dropped below, as upstream counts: a later patch says how often it happened.
    this.observed.set(key, { count, firstMs, name: last?.name });
    if (!this.take(`${source}\u0000${object}`, nowMs)) return { write: 'none' };
    return last?.name ? { write: 'patch', key, message, count, firstMs, name: last.name } : { write: 'create', key, message, count, firstMs };
  }

  /** The Event the server holds for `key` now: later repeats patch it. */
  written(key: string, name: string, count: number, firstMs: number): void {
    this.observed.set(key, { count, firstMs, name });
  }

  /** A token of the source's bucket for the object, refilled one per 5 minutes up to 25. */
  private take(key: string, nowMs: number): boolean {
    const b = this.buckets.get(key) ?? { tokens: SPAM_BURST, atMs: nowMs };
    b.tokens = Math.min(SPAM_BURST, b.tokens + Math.max(0, nowMs - b.atMs) / SPAM_REFILL_MS);
    b.atMs = nowMs;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}

/** The last CACHE_ENTRIES keys used: a Map keeps insertion order, and a use moves a key to the end. */
class Lru<V> {
  private readonly map = new Map<string, V>();

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > CACHE_ENTRIES) this.map.delete(this.map.keys().next().value!);
  }
}
