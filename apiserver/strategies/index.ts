import { RESOURCES, type ResourceType } from '../../api/resources.js';
import type { Strategy } from '../strategy.js';
import { endpointSliceStrategy } from './endpoint-slice.js';
import { nodeStrategy } from './node.js';
import { podStrategy } from './pod.js';
import { secretStrategy } from './secret.js';
import { endpointsStrategy, serviceStrategy } from './service.js';
import {
  configMapStrategy,
  eventStrategy,
  leaseStrategy,
  namespaceStrategy,
  serviceAccountStrategy,
} from './simple.js';
import { deploymentStrategy, replicaSetStrategy } from './workloads.js';

const BY_KIND: Record<string, Strategy> = {
  Pod: podStrategy,
  Deployment: deploymentStrategy,
  ReplicaSet: replicaSetStrategy,
  Service: serviceStrategy,
  Endpoints: endpointsStrategy,
  ConfigMap: configMapStrategy,
  Secret: secretStrategy,
  ServiceAccount: serviceAccountStrategy,
  Namespace: namespaceStrategy,
  Node: nodeStrategy,
  Event: eventStrategy,
  Lease: leaseStrategy,
  EndpointSlice: endpointSliceStrategy,
};

/** Every served resource with its strategy; a resource without one is a mistake caught at start. */
export function strategies(): Map<ResourceType, Strategy> {
  const out = new Map<ResourceType, Strategy>();
  for (const r of RESOURCES) {
    const s = BY_KIND[r.kind];
    if (!s) throw new Error(`no strategy for ${r.kind}`);
    out.set(r, s);
  }
  return out;
}
