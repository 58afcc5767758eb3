import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The simulator's Prometheus metrics. */
export class KubeletSimMetrics {
  readonly registry = new Registry();
  private readonly transitions = new Counter({
    name: 'kubelet_sim_stage_transitions_total',
    help: 'Stages carried out, by stage name.',
    labelNames: ['stage'] as const,
    registers: [this.registry],
  });

  constructor(opts: { podsByPhase?: () => Record<string, number>; nodes?: () => number; defaultMetrics?: boolean } = {}) {
    const { podsByPhase, nodes } = opts;
    new Gauge({
      name: 'kubelet_sim_pods',
      help: "Pods on the simulator's nodes, by phase.",
      labelNames: ['phase'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [phase, n] of Object.entries(podsByPhase?.() ?? {})) this.set({ phase }, n);
      },
    });
    new Gauge({
      name: 'kubelet_sim_nodes',
      help: 'Nodes the simulator has registered.',
      registers: [this.registry],
      collect() {
        this.set(nodes?.() ?? 0);
      },
    });
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  transition(stage: string): void {
    this.transitions.inc({ stage });
  }
}
