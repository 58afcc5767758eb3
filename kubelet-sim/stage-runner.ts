import type { KubeObject } from '../api/client.js';
import type { Clock, Timer } from '../api/clock.js';
import { matchingStage, stageDelayMs } from './stages/engine.js';
import type { Stage } from './stages/stage.js';

export interface StageRunnerOptions {
  stages: readonly Stage[];
  clock: Clock;
  /** MINIK_SPEED: every stage delay is divided by it; a function when it can change while running. */
  speed: number | (() => number);
  random?: () => number;
  /** The object as the cache holds it now, with `kind` set, or undefined when it is gone or not ours. */
  current(key: string): KubeObject | undefined;
  /** Carries the stage out through the API. A rejection other than `settled` is retried. */
  execute(stage: Stage, obj: KubeObject): Promise<void>;
  /** Errors after which waiting for the cache's next version is enough (a 409, a 404). */
  settled?(err: unknown): boolean;
  onError?(key: string, stage: Stage, err: unknown): void;
  retryMs?: number;
}

/**
 * Runs stages for objects by key, level-triggered: `evaluate(key)` looks at the cached object, finds
 * the stage that matches it now and arms a timer for that stage's delay. A change that still matches
 * the same stage keeps the timer; one that matches another (or none) replaces it. Each version of an
 * object is acted on at most once, so a cache that has not yet seen our own write cannot make us
 * repeat it; the informer's update for that write is what chains the next stage.
 *
 *   runner.evaluate('default/web-1');   // pod-pending armed; after its delay, executed
 */
export class StageRunner {
  private readonly pending = new Map<string, { stage: string; timer: Timer }>();
  private readonly busy = new Set<string>();
  private readonly actedOn = new Map<string, string | undefined>();
  private stopped = false;

  constructor(private readonly opts: StageRunnerOptions) {}

  evaluate(key: string): void {
    if (this.stopped || this.busy.has(key)) return;
    const obj = this.opts.current(key);
    const stale = obj !== undefined && this.actedOn.has(key) && this.actedOn.get(key) === obj.metadata?.resourceVersion;
    const stage = obj && !stale ? matchingStage(this.opts.stages, obj) : undefined;
    const armed = this.pending.get(key);
    if (armed && armed.stage === stage?.name) return;
    armed?.timer.cancel();
    this.pending.delete(key);
    if (!stage) return;
    const speed = typeof this.opts.speed === 'function' ? this.opts.speed() : this.opts.speed;
    const delay = stageDelayMs(stage, speed, this.opts.random, obj);
    this.pending.set(key, { stage: stage.name, timer: this.opts.clock.setTimeout(() => void this.fire(key, stage.name), delay) });
  }

  /** The speed changed: every armed stage starts its delay again, at the new speed. */
  rearmAll(): void {
    for (const [key, armed] of [...this.pending]) {
      armed.timer.cancel();
      this.pending.delete(key);
      this.evaluate(key);
    }
  }

  /** The object is gone: drop its timer and what we remember of it. */
  forget(key: string): void {
    this.pending.get(key)?.timer.cancel();
    this.pending.delete(key);
    this.actedOn.delete(key);
  }

  /** How many timers are armed; lets a test see that nothing is left behind. */
  armed(): number {
    return this.pending.size;
  }

  stop(): void {
    this.stopped = true;
    for (const key of [...this.pending.keys()]) this.forget(key);
  }

  private async fire(key: string, name: string): Promise<void> {
    this.pending.delete(key);
    const obj = this.opts.current(key);
    const stage = obj ? matchingStage(this.opts.stages, obj) : undefined;
    // The object moved on while the timer ran and no update reached us yet: look again.
    if (!obj || !stage || stage.name !== name) return this.evaluate(key);
    this.busy.add(key);
    this.actedOn.set(key, obj.metadata?.resourceVersion);
    let retry = false;
    try {
      await this.opts.execute(stage, obj);
    } catch (err) {
      this.opts.onError?.(key, stage, err);
      retry = !(this.opts.settled?.(err) ?? false);
      if (retry) this.actedOn.delete(key);
    } finally {
      this.busy.delete(key);
    }
    if (this.stopped) return;
    if (retry) this.opts.clock.setTimeout(() => this.evaluate(key), this.opts.retryMs ?? 1000);
    else this.evaluate(key);
  }
}
