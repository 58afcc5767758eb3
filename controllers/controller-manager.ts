import type { Api } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import { EventRecorder } from '../api/event-recorder.js';
import type { Logger } from '../api/log.js';
import type { LoopMetrics } from '../api/reconcile-loop.js';
import { SharedInformers } from '../api/shared-informers.js';
import type { Controller, ControllerContext, ControllerFactory } from './controller.js';

export interface ControllerManagerOptions {
  client: Api;
  clock: Clock;
  logger: Logger;
  /** MINIK_SPEED; a function when it changes while running: controllers read `ctx.speed` each time. */
  speed: number | (() => number);
  /** The controllers to run, by name. */
  controllers: ReadonlyMap<string, ControllerFactory>;
  metrics?: LoopMetrics;
  /**
   * The resourceVersion of a write this process made on starting (its leader Lease), asked for
   * before the caches fill: no cache starts from a view older than it.
   */
  fence?: () => Promise<string | undefined>;
}

/**
 * Runs a set of controllers over one set of shared caches: builds each (which registers its
 * handlers), starts the informers, and starts the loops once every cache has synced, so that no
 * controller acts on a half-filled cache (it would create pods that already exist).
 */
export class ControllerManager {
  private readonly informers: SharedInformers;
  private readonly running: Controller[] = [];
  private synced = false;

  constructor(private readonly opts: ControllerManagerOptions) {
    this.informers = new SharedInformers({ client: opts.client, clock: opts.clock });
  }

  async start(): Promise<void> {
    const { client, clock, logger, speed, metrics } = this.opts;
    const events = new EventRecorder({ client, clock, component: 'controller-manager' });
    for (const [name, factory] of this.opts.controllers) {
      const ctx: ControllerContext = {
        client,
        clock,
        informers: this.informers,
        events,
        logger: logger.child({ controller: name }),
        ...(metrics ? { metrics } : {}),
        get speed() {
          return typeof speed === 'function' ? speed() : speed;
        },
      };
      this.running.push(factory(ctx));
    }
    // A fresh process may meet an API server whose cache lags: a view older than its own start would
    // not show what its predecessor just did, and the controllers would do it again.
    await this.informers.start(await this.opts.fence?.());
    this.synced = true;
    for (const c of this.running) c.start();
    logger.info({ controllers: this.running.map((c) => c.name) }, 'controllers started');
  }

  hasSynced(): boolean {
    return this.synced;
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((c) => c.stop()));
    this.informers.stop();
  }
}
