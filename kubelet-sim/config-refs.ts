import type { KubeObject } from '../api/client.js';

/** Looks up a ConfigMap or Secret as the simulator's caches hold it now. */
export type ConfigLookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => KubeObject | undefined;

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}
interface Container {
  env?: { valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef } }[];
  envFrom?: { configMapRef?: KeyRef; secretRef?: KeyRef }[];
}
interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { configMap?: KeyRef; secret?: KeyRef & { secretName?: string } }[];
}

/**
 * Why the kubelet could not create the pod's containers, in its own words, or undefined when every
 * required ConfigMap and Secret (and key) exists. Optional references never block. Decided from the
 * objects as they are now, so creating the missing one is all it takes for the pod to go on.
 *
 *   missingConfig(podUsingDbConfig, () => undefined)   // 'configmap "db-config" not found'
 */
export function missingConfig(pod: KubeObject, lookup: ConfigLookup): string | undefined {
  const ns = pod.metadata?.namespace ?? 'default';
  const spec = (pod.spec ?? {}) as PodSpec;
  const check = (kind: 'ConfigMap' | 'Secret', ref: KeyRef | undefined, name = ref?.name): string | undefined => {
    if (!ref || ref.optional || !name) return undefined;
    const obj = lookup(kind, ns, name);
    if (!obj) return `${kind.toLowerCase()} "${name}" not found`;
    if (ref.key === undefined) return undefined;
    const data = { ...(obj.data as object | undefined), ...(obj.binaryData as object | undefined), ...(obj.stringData as object | undefined) };
    return Object.hasOwn(data, ref.key) ? undefined : `couldn't find key ${ref.key} in ${kind} ${ns}/${name}`;
  };
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const e of c.env ?? []) {
      const problem = check('ConfigMap', e.valueFrom?.configMapKeyRef) ?? check('Secret', e.valueFrom?.secretKeyRef);
      if (problem) return problem;
    }
    for (const e of c.envFrom ?? []) {
      const problem = check('ConfigMap', e.configMapRef) ?? check('Secret', e.secretRef);
      if (problem) return problem;
    }
  }
  for (const v of spec.volumes ?? []) {
    // A volume's `items` may name keys too, but upstream reports those when mounting; not simulated.
    const problem = check('ConfigMap', v.configMap && { ...v.configMap, key: undefined }) ?? check('Secret', v.secret && { ...v.secret, key: undefined }, v.secret?.secretName);
    if (problem) return problem;
  }
  return undefined;
}
