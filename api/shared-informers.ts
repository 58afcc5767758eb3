import type { Api, KubeObject } from './client.js';
import type { Clock } from './clock.js';
import { Informer } from './informer.js';
import { resolveResource } from './resources.js';

/**
 * One informer per resource, shared by every loop of a process, so that the ReplicaSet,
 * Endpoints and garbage-collection loops read one cache of pods and the API server sends
 * each change once.
 *
 *   const informers = new SharedInformers({ client, clock });
 *   const pods = informers.for<Pod>('pods');     // the same informer on every call
 *   pods.on({ add: ... });
 *   await informers.start();                     // lists and watches each; resolves when all synced
 */
export class SharedInformers {
  private readonly byResource = new Map<string, Informer>();
  private started = false;
  private floor: string | undefined;

  constructor(private readonly opts: { client: Api; clock: Clock; resyncMs?: number }) {}

  for<T extends KubeObject>(resource: string): Informer<T> {
    let informer = this.byResource.get(resource);
    if (!informer) {
      const type = resolveResource(resource);
      if (!type) throw new Error(`Cannot watch ${resource}: no such resource`);
      informer = new Informer({
        client: this.opts.client,
        resource: type,
        clock: this.opts.clock,
        ...(this.opts.resyncMs ? { resyncMs: this.opts.resyncMs } : {}),
        ...(this.floor ? { notOlderThan: this.floor } : {}),
      });
      this.byResource.set(resource, informer);
      if (this.started) void informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /**
   * Starts every informer asked for so far (and any asked for later); resolves once all have synced.
   * With `notOlderThan`, no first list is older than that resourceVersion (see InformerOptions).
   */
  async start(notOlderThan?: string): Promise<void> {
    this.started = true;
    this.floor = notOlderThan;
    for (const i of this.byResource.values()) i.listNotOlderThan(notOlderThan);
    await Promise.all([...this.byResource.values()].map((i) => i.start()));
  }

  hasSynced(): boolean {
    return [...this.byResource.values()].every((i) => i.hasSynced());
  }

  stop(): void {
    for (const i of this.byResource.values()) i.stop();
  }
}
