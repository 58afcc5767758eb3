import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The scheduler's Prometheus metrics, named as kube-scheduler names them. */
export class SchedulerMetrics {
  readonly registry = new Registry();
  private readonly attempts = new Counter({
    name: 'scheduler_schedule_attempts_total',
    help: 'Scheduling attempts by result: scheduled, unschedulable or error.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'scheduler_scheduling_attempt_duration_seconds',
    help: 'Scheduling attempt latency by result.',
    labelNames: ['result'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [this.registry],
  });

  constructor(opts: { pending?: () => { active: number; unschedulable: number }; defaultMetrics?: boolean } = {}) {
    const pending = opts.pending;
    new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Pending pods by queue: active (ready to try) or unschedulable (backing off).',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      collect() {
        if (!pending) return;
        const now = pending();
        this.set({ queue: 'active' }, now.active);
        this.set({ queue: 'unschedulable' }, now.unschedulable);
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  attempt(result: 'scheduled' | 'unschedulable' | 'error', seconds: number): void {
    this.attempts.inc({ result });
    this.latency.observe({ result }, seconds);
  }
}
