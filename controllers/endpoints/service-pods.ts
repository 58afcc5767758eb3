import { keyOf, type Informer } from '../../api/informer.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';
import { selects } from './plan.js';

/**
 * What the Endpoints and EndpointSlice controllers share: their keys are services, and a service
 * is synced when it changes and when a pod it selects (before or after the change) does.
 */
export function enqueueServicesAndTheirPods(services: Informer<Service>, pods: Informer<Pod>, enqueue: (key: string) => void): void {
  const servicesOf = (pod: Readonly<Pod>) => services.list().filter((s) => selects(s, pod)).map(keyOf);
  services.on({
    add: (s) => enqueue(keyOf(s)),
    update: (_, s) => enqueue(keyOf(s)),
    delete: (s) => enqueue(keyOf(s)),
  });
  pods.on({
    add: (p) => servicesOf(p).forEach(enqueue),
    update: (old, p) => {
      if (old.metadata?.resourceVersion === p.metadata?.resourceVersion) return;
      for (const k of new Set([...servicesOf(old), ...servicesOf(p)])) enqueue(k);
    },
    delete: (p) => servicesOf(p).forEach(enqueue),
  });
}
