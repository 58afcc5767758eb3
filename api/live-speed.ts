import type { Api } from './client.js';
import type { Clock } from './clock.js';
import { Informer } from './informer.js';
import { resolveResource } from './resources.js';
import type { ConfigMap } from './schemas/config.js';

/** Where a class changes the speed of the whole cluster while it runs (the dashboard's control). */
export const SPEED_CONFIG_NAMESPACE = 'kube-system';
export const SPEED_CONFIG_NAME = 'minik-config';

/**
 * MINIK_SPEED, live: the value a component started with (its `--speed`), replaced by the `speed`
 * key of the ConfigMap kube-system/minik-config while that exists and holds a positive number, so a
 * teacher slows or quickens every component at once without restarting any.
 *
 *   const speed = new LiveSpeed({ client, clock, initial: 1, onChange: (s) => log.info({ speed: s }) });
 *   await speed.start();
 *   speed.value;   // 1; after `kubectl -n kube-system create configmap minik-config --from-literal=speed=0.2`: 0.2
 */
export class LiveSpeed {
  private current: number;
  private readonly informer: Informer<ConfigMap>;

  constructor(
    private readonly opts: {
      client: Api;
      clock: Clock;
      initial: number;
      onChange?(speed: number): void;
      /** A value that is not a positive number: ignored, the speed stays as it was. */
      onInvalid?(value: string): void;
    },
  ) {
    this.current = opts.initial;
    this.informer = new Informer<ConfigMap>({
      client: opts.client,
      clock: opts.clock,
      resource: resolveResource('configmaps')!,
      namespace: SPEED_CONFIG_NAMESPACE,
      fieldSelector: `metadata.name=${SPEED_CONFIG_NAME}`,
    });
    this.informer.on({ add: (cm) => this.read(cm), update: (_, cm) => this.read(cm), delete: () => this.set(opts.initial) });
  }

  get value(): number {
    return this.current;
  }

  /** Resolves once the ConfigMap has been looked for; the speed follows it from then on. */
  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): void {
    this.informer.stop();
  }

  private read(cm: Readonly<ConfigMap>): void {
    const raw = cm.data?.['speed'];
    if (raw === undefined) return this.set(this.opts.initial);
    const speed = Number(raw);
    if (!Number.isFinite(speed) || speed <= 0) return this.opts.onInvalid?.(raw);
    this.set(speed);
  }

  private set(speed: number): void {
    if (speed === this.current) return;
    this.current = speed;
    this.opts.onChange?.(speed);
  }
}
