import { milliValue, parseQuantity, value } from '../../api/quantity.js';
import type { DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A container's `Environment Variables from:` and `Environment:`, as kubectl describe prints them
 * for a pod and for the template of a Deployment or ReplicaSet. A variable from a field of the pod
 * shows its value when there is a pod to read it from (`pod`) and kubectl can read that field
 * (metadata only); one from a resource shows what the container asks for.
 *
 *   POD_NAME:  web-5c46ffc477-c5plg (v1:metadata.name)
 *   CPU:       1 (requests.cpu)
 *   MODE:      <set to the key 'mode' of config map 'cfg'>  Optional: false
 */
export function describeEnvironment(w: DescribeWriter, c: Json, pod?: Json): void {
  const from: Json[] = c.envFrom ?? [];
  if (from.length > 0) {
    w.line(2, 'Environment Variables from:');
    for (const f of from) {
      const [kind, ref] = f.configMapRef ? ['ConfigMap', f.configMapRef] : ['Secret', f.secretRef ?? {}];
      w.line(3, `${ref.name}`, `${kind}${f.prefix ? ` with prefix '${f.prefix}'` : ''}`, `Optional: ${ref.optional ? 'true' : 'false'}`);
    }
  }
  const env: Json[] = c.env ?? [];
  if (env.length === 0) return w.line(2, 'Environment:', '<none>');
  w.line(2, 'Environment:');
  for (const e of env) {
    const vf = e.valueFrom;
    if (!vf) {
      // A value of several lines continues under itself.
      const [first, ...rest] = String(e.value ?? '').split('\n');
      w.line(3, `${e.name}:`, first!);
      for (const line of rest) w.line(3, '', line);
      continue;
    }
    const name = `${e.name}:`;
    // A key reference's `Optional:` is a column of its own, aligned across the variables.
    if (vf.fieldRef) w.line(3, name, `${pod ? fieldValue(pod, String(vf.fieldRef.fieldPath ?? '')) : ''} (${vf.fieldRef.apiVersion ?? ''}:${vf.fieldRef.fieldPath})`);
    else if (vf.resourceFieldRef) w.line(3, name, `${resourceValue(vf.resourceFieldRef, c)} (${vf.resourceFieldRef.resource})`);
    else if (vf.secretKeyRef) w.line(3, name, `<set to the key '${vf.secretKeyRef.key}' in secret '${vf.secretKeyRef.name}'>`, `Optional: ${vf.secretKeyRef.optional ? 'true' : 'false'}`);
    else if (vf.configMapKeyRef) w.line(3, name, `<set to the key '${vf.configMapKeyRef.key}' of config map '${vf.configMapKeyRef.name}'>`, `Optional: ${vf.configMapKeyRef.optional ? 'true' : 'false'}`);
    else w.line(3, name, '');
  }
}

/** kubectl's ExtractFieldPathAsString: a pod's metadata fields, '' for anything else it cannot read. */
function fieldValue(pod: Json, path: string): string {
  const m = pod.metadata ?? {};
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(path);
  if (sub) return String((sub[1] === 'metadata.labels' ? m.labels : m.annotations)?.[sub[2]!] ?? '');
  switch (path) {
    case 'metadata.name':
      return String(m.name ?? '');
    case 'metadata.namespace':
      return String(m.namespace ?? '');
    case 'metadata.uid':
      return String(m.uid ?? '');
    case 'metadata.labels':
    case 'metadata.annotations': {
      const map: Record<string, string> = (path === 'metadata.labels' ? m.labels : m.annotations) ?? {};
      return Object.keys(map)
        .sort()
        .map((k) => `${k}=${JSON.stringify(map[k])}`)
        .join('\n');
    }
    default:
      return '';
  }
}

/**
 * kubectl's ExtractContainerResourceValue: what the container asks for, over the divisor (1 when
 * it is 0), rounded up; "node allocatable" for a limit of 0, which is no limit.
 */
function resourceValue(ref: Json, c: Json): string {
  const [kind, name] = String(ref.resource ?? '').split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || (name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage')) return '';
  try {
    const asked = parseQuantity(String(c.resources?.[kind]?.[name] ?? '0'));
    const divisor = parseQuantity(String(ref.divisor ?? '0'));
    const n =
      name === 'cpu'
        ? Math.ceil(milliValue(asked) / (milliValue(divisor) === 0 ? 1000 : milliValue(divisor)))
        : Math.ceil(value(asked) / (value(divisor) === 0 ? 1 : value(divisor)));
    return n === 0 && kind === 'limits' && name !== 'ephemeral-storage' ? 'node allocatable' : String(n);
  } catch {
    return '';
  }
}
