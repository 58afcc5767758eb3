import type { Api } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import type { EventRecorder } from '../api/event-recorder.js';
import type { Logger } from '../api/log.js';
import { ReconcileLoop, type LoopMetrics, type ReconcileLoopOptions } from '../api/reconcile-loop.js';
import type { SharedInformers } from '../api/shared-informers.js';

/** What every controller is built from; the controller manager makes one and hands it to each. */
export interface ControllerContext {
  client: Api;
  /** Shared caches: ask for a resource's informer here, never build one. */
  informers: SharedInformers;
  clock: Clock;
  logger: Logger;
  /** Writes Events as `controller-manager`-side components do (folding repeats). */
  events: EventRecorder;
  metrics?: LoopMetrics;
  /** MINIK_SPEED: simulated durations (the node monitor grace period, tolerations) divide by it. Read it when needed: it can change while running. */
  readonly speed: number;
}

/**
 * A control loop, built by a factory that registers its informer handlers. The manager starts it
 * once the caches have synced, and stops it (letting reconciles in flight finish) on shutdown.
 */
export interface Controller {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

export type ControllerFactory = (ctx: ControllerContext) => Controller;

/** A controller's ReconcileLoop, wired to the context's clock, logger and metrics. */
export function controllerLoop(ctx: ControllerContext, name: string, reconcile: ReconcileLoopOptions['reconcile'], workers = 2): ReconcileLoop {
  return new ReconcileLoop({ name, clock: ctx.clock, logger: ctx.logger, workers, reconcile, ...(ctx.metrics ? { metrics: ctx.metrics } : {}) });
}
