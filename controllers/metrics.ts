import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LoopMetrics, ReconcileOutcome } from '../api/reconcile-loop.js';
import type { WorkQueue } from '../api/workqueue.js';

/** The controller manager's Prometheus metrics: per loop, its queue, its reconciles and its retries. */
export class ControllerMetrics implements LoopMetrics {
  readonly registry = new Registry();
  private readonly queues = new Map<string, WorkQueue<string>>();
  private readonly reconciles = new Counter({
    name: 'minik_controller_reconcile_total',
    help: 'Reconciles by controller and outcome: success, requeue, error (retried with back-off) or terminal.',
    labelNames: ['controller', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'minik_controller_reconcile_duration_seconds',
    help: 'Time of one reconcile, by controller.',
    labelNames: ['controller'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const queues = this.queues;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Keys waiting for a worker, by queue (named as client-go names it).',
      labelNames: ['name'] as const,
      registers: [this.registry],
      collect() {
        for (const [name, q] of queues) this.set({ name }, q.depth);
      },
    });
    new Counter({
      name: 'workqueue_retries_total',
      help: 'Delayed and rate-limited adds, by queue.',
      labelNames: ['name'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [name, q] of queues) this.inc({ name }, q.retries);
      },
    });
    new Counter({
      name: 'workqueue_adds_total',
      help: 'Keys added, by queue.',
      labelNames: ['name'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [name, q] of queues) this.inc({ name }, q.adds);
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  watchQueue(loop: string, queue: WorkQueue<string>): void {
    this.queues.set(loop, queue);
  }

  reconciled(loop: string, outcome: ReconcileOutcome, seconds: number): void {
    this.reconciles.inc({ controller: loop, outcome });
    this.latency.observe({ controller: loop }, seconds);
  }
}
