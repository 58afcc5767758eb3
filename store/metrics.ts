import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Mvcc } from './mvcc.js';

/** The store's Prometheus metrics, on a registry of its own so that tests can build many. */
export class StoreMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'minik_store_requests_total',
    help: 'Requests by endpoint and HTTP status.',
    labelNames: ['endpoint', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'minik_store_request_duration_seconds',
    help: 'Time from request to answer (writes include their fsync), by endpoint.',
    labelNames: ['endpoint'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly watchStreams = new Gauge({
    name: 'minik_store_watch_streams',
    help: 'Open watch streams.',
    registers: [this.registry],
  });

  readonly kvSockets = new Gauge({
    name: 'minik_store_kv_sockets',
    help: 'Open KV sockets: clients whose KV calls come batched over a WebSocket.',
    registers: [this.registry],
  });
  readonly kvSocketFrames = new Counter({
    name: 'minik_store_kv_socket_frames_total',
    help: 'Frames on the KV sockets, each a batch of calls (in) or of answers (out).',
    labelNames: ['direction'] as const,
    registers: [this.registry],
  });

  constructor(store: Mvcc, opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    new Gauge({
      name: 'minik_store_revision',
      help: 'The newest committed revision.',
      registers,
      collect() {
        this.set(store.revision);
      },
    });
    new Gauge({
      name: 'minik_store_compacted_revision',
      help: 'The revision history was last compacted at.',
      registers,
      collect() {
        this.set(store.compactedRevision);
      },
    });
    new Gauge({
      name: 'minik_store_keys',
      help: 'Live keys.',
      registers,
      collect() {
        this.set(store.keyCount);
      },
    });
    new Gauge({
      name: 'minik_store_watchers',
      help: 'Active watchers.',
      registers,
      collect() {
        this.set(store.hub.watcherCount);
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
