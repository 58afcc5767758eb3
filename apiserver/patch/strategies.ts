import { nestStrategy, type FieldStrategy, type PatchStrategy } from './patch-strategy.js';

// Each entry copies upstream's struct tags (k8s.io/api), because kubectl computes its patches from
// those: a list merged here but replaced upstream would keep elements kubectl means to remove.

const merge: FieldStrategy = { kind: 'merge' };
const replace: FieldStrategy = { kind: 'replace' };
const by = (mergeKey: string): FieldStrategy => ({ kind: 'merge', mergeKey });

/** ObjectMeta, relative to `metadata`. */
export const objectMetaStrategy: PatchStrategy = {
  labels: merge,
  annotations: merge,
  finalizers: merge,
  ownerReferences: by('uid'),
};

/** Container, EphemeralContainer, relative to the container. */
const containerStrategy: PatchStrategy = {
  ports: by('containerPort'),
  env: by('name'),
  envFrom: replace,
  volumeMounts: by('mountPath'),
  volumeDevices: by('devicePath'),
};

/** PodSpec, relative to the spec. */
export const podSpecStrategy: PatchStrategy = {
  containers: by('name'),
  ...nestStrategy('containers[]', containerStrategy),
  initContainers: by('name'),
  ...nestStrategy('initContainers[]', containerStrategy),
  ephemeralContainers: by('name'),
  ...nestStrategy('ephemeralContainers[]', containerStrategy),
  // The one-of that is a volume's source: kubectl sends `$retainKeys` when a volume changes kind.
  volumes: { kind: 'merge', mergeKey: 'name', retainKeys: true },
  imagePullSecrets: by('name'),
  tolerations: replace,
  nodeSelector: merge,
  hostAliases: by('ip'),
  topologySpreadConstraints: by('topologyKey'),
  schedulingGates: by('name'),
};

const metadata = nestStrategy('metadata', objectMetaStrategy);
const conditions = { 'status.conditions': by('type') };

/** A PodTemplateSpec at `prefix`. */
function podTemplate(prefix: string): PatchStrategy {
  return { ...nestStrategy(`${prefix}.metadata`, objectMetaStrategy), ...nestStrategy(`${prefix}.spec`, podSpecStrategy) };
}

/**
 * The strategy table of each kind minik serves.
 *
 *   strategies.Deployment['spec.template.spec.containers[].env']  // { kind: 'merge', mergeKey: 'name' }
 *   strategies.Node['spec.taints']                                 // { kind: 'replace' }
 */
export const strategies: Readonly<Record<string, PatchStrategy>> = {
  Pod: {
    ...metadata,
    ...nestStrategy('spec', podSpecStrategy),
    ...conditions,
    'status.podIPs': by('ip'),
    'status.hostIPs': by('ip'),
  },
  Deployment: {
    ...metadata,
    ...podTemplate('spec.template'),
    'spec.strategy': { kind: 'merge', retainKeys: true },
    ...conditions,
  },
  ReplicaSet: { ...metadata, ...podTemplate('spec.template'), ...conditions },
  Service: { ...metadata, 'spec.ports': by('port'), ...conditions },
  Node: {
    ...metadata,
    // Replaced, not merged by `key`: upstream has no tag here, so `kubectl taint node n k-` sends
    // the whole remaining list, and one key may carry taints of several effects.
    'spec.taints': replace,
    'spec.podCIDRs': merge,
    ...conditions,
    'status.addresses': by('type'),
  },
  Endpoints: { ...metadata, subsets: replace },
  // Both lists are atomic upstream (+listType=atomic).
  EndpointSlice: { ...metadata, endpoints: replace, ports: replace },
};

/**
 * The table for `kind`; a kind without one still gets the metadata rules every object shares.
 *
 *   strategyFor('ConfigMap')['metadata.finalizers']  // { kind: 'merge' }
 */
export function strategyFor(kind: string): PatchStrategy {
  return Object.hasOwn(strategies, kind) ? strategies[kind]! : metadata;
}
