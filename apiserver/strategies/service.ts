import { fieldError, type FieldError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import { immutable, validateLabels, validateMeta, validatePort } from './_util.js';

/** Service and Endpoints defaults and rules. */

interface ServiceSpec {
  type?: string;
  ports?: Array<{ name?: string; port?: number; targetPort?: number | string; protocol?: string; nodePort?: number }>;
  selector?: Record<string, string>;
  clusterIP?: string;
  sessionAffinity?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  externalName?: string;
}

export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

export const serviceStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: false,
  default(obj) {
    const spec = obj.spec as ServiceSpec | undefined;
    if (!spec) return;
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
  },
  validate(obj, old) {
    const spec = (obj.spec ?? {}) as ServiceSpec;
    const out: FieldError[] = validateMeta(obj).concat(validateLabels(spec.selector, 'spec.selector'));
    const ports = spec.ports ?? [];
    if (spec.type !== 'ExternalName' && ports.length === 0) out.push(fieldError.required('spec.ports'));
    if (spec.type === 'ExternalName' && !spec.externalName) out.push(fieldError.required('spec.externalName'));
    const names = new Set<string>();
    const seen = new Set<string>();
    ports.forEach((p, i) => {
      const path = `spec.ports[${i}]`;
      if (ports.length > 1 && !p.name) out.push(fieldError.required(`${path}.name`));
      if (p.name) {
        if (names.has(p.name)) out.push(fieldError.duplicate(`${path}.name`, p.name));
        names.add(p.name);
      }
      out.push(...validatePort(p.port, `${path}.port`));
      const id = `${p.port}/${p.protocol}`;
      if (seen.has(id)) out.push(fieldError.duplicate(path, { port: p.port, protocol: p.protocol }));
      seen.add(id);
      if (typeof p.targetPort === 'number') out.push(...validatePort(p.targetPort, `${path}.targetPort`));
      if (p.nodePort !== undefined) {
        if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
          out.push(fieldError.forbidden(`${path}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
        } else if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
          out.push(fieldError.invalid(`${path}.nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
        }
      }
    });
    if (old) {
      const was = (old.spec as ServiceSpec | undefined)?.clusterIP;
      if (was && spec.clusterIP !== undefined) out.push(...immutable(spec.clusterIP, was, 'spec.clusterIP'));
    }
    return out;
  },
};

export const endpointsStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: true,
  default() {},
  validate(obj) {
    return validateMeta(obj);
  },
};
