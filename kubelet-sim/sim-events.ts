import type { Api, KubeObject } from '../api/client.js';
import type { Clock } from '../api/clock.js';
import { resolveResource } from '../api/resources.js';
import type { StageEvent } from './stages/stage.js';
import { timestamp } from './timestamp.js';

const events = resolveResource('events')!;
export const COMPONENT = 'kubelet';

/**
 * Writes the Event a stage asks for, about a pod or a node, as the kubelet reports it (source
 * `kubelet`, host the node). Node events go to `default`, where upstream puts them.
 */
export class SimEvents {
  private serial = 0;

  constructor(private readonly opts: { client: Api; clock: Clock }) {}

  async record(obj: KubeObject, host: string, e: StageEvent): Promise<void> {
    const { client, clock } = this.opts;
    const m = obj.metadata ?? {};
    const ns = m.namespace ?? 'default';
    const at = timestamp(clock);
    const name = `${m.name ?? 'object'}.${(clock.now() * 1000 + this.serial++).toString(16)}`;
    await client.create(events, ns, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: obj.kind, ...(m.namespace ? { namespace: m.namespace } : {}), name: m.name, uid: m.uid, resourceVersion: m.resourceVersion },
      reason: e.reason,
      message: e.message,
      type: e.type,
      source: { component: COMPONENT, host },
      count: 1,
      firstTimestamp: at,
      lastTimestamp: at,
      reportingComponent: COMPONENT,
      reportingInstance: host,
    });
  }
}
