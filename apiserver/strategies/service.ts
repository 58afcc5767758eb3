import { fieldError, type FieldError } from '../errors.js';
import { ipv4ToInt } from '../service-ranges.js';
import type { Strategy } from '../strategy.js';
import { immutable, validateLabels, validateMeta, validatePort } from './_util.js';

/** Service and Endpoints defaults and rules. */

interface ServiceSpec {
  type?: string;
  ports?: Array<{ name?: string; port?: number; targetPort?: number | string; protocol?: string; nodePort?: number }>;
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  allocateLoadBalancerNodePorts?: boolean;
  sessionAffinity?: string;
  externalTrafficPolicy?: string;
  internalTrafficPolicy?: string;
  externalName?: string;
}

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
    if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
    for (const p of spec.ports ?? []) {
      p.protocol ??= 'TCP';
      // Zero is Kubernetes' unset for both (a typed client sends it): the port itself, and allocate.
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
      if (p.nodePort === 0) delete p.nodePort;
    }
  },
  validate(obj, old) {
    const spec = (obj.spec ?? {}) as ServiceSpec;
    const out: FieldError[] = validateMeta(obj).concat(validateLabels(spec.selector, 'spec.selector'));
    const ports = spec.ports ?? [];
    // A headless Service may have no ports: it only names its pods (upstream's isHeadlessService).
    const headless = (spec.type ?? 'ClusterIP') === 'ClusterIP' && (spec.clusterIPs?.[0] ?? spec.clusterIP) === 'None';
    if (spec.type !== 'ExternalName' && !headless && ports.length === 0) out.push(fieldError.required('spec.ports'));
    if (spec.type === 'ExternalName' && !spec.externalName) out.push(fieldError.required('spec.externalName'));
    const names = new Set<string>();
    const seen = new Set<string>();
    const nodePorts = new Set<string>();
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
      // Whether a node port is in range is the allocator's to say: the range is the cluster's setting.
      if (p.nodePort !== undefined) {
        if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
          out.push(fieldError.forbidden(`${path}.nodePort`, 'may not be used when `type` is \'ClusterIP\''));
        } else {
          const np = `${p.nodePort}/${p.protocol}`;
          if (nodePorts.has(np)) out.push(fieldError.duplicate(`${path}.nodePort`, p.nodePort));
          nodePorts.add(np);
        }
      }
    });
    out.push(...validateClusterIP(spec));
    if (old) {
      const was = (old.spec as ServiceSpec | undefined)?.clusterIP;
      if (was && spec.clusterIP !== undefined) out.push(...immutable(spec.clusterIP, was, 'spec.clusterIP'));
    }
    return out;
  },
};

/** The shape of clusterIP and clusterIPs (ValidateService); which IPs are free and in range is the allocator's to say. */
function validateClusterIP(spec: ServiceSpec): FieldError[] {
  const ips = spec.clusterIPs ?? [];
  const ip = spec.clusterIP;
  if (spec.type === 'ExternalName') {
    return ip || ips.length > 0 ? [fieldError.forbidden('spec.clusterIPs', 'may not be set for ExternalName services')] : [];
  }
  const out: FieldError[] = [];
  if (ip && ips.length > 0 && ips[0] !== ip) out.push(fieldError.invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  if (ips.length > 1) out.push(fieldError.invalid('spec.clusterIPs', ips, 'may hold only one IP: this cluster is single-stack IPv4'));
  if (ip && ip !== 'None' && ipv4ToInt(ip) === undefined) {
    out.push(fieldError.invalid('spec.clusterIPs[0]', ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  if (ip === 'None' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    out.push(fieldError.invalid('spec.clusterIPs[0]', ip, `may not be set to 'None' for ${spec.type} services`));
  }
  return out;
}

export const endpointsStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: true,
  default() {},
  validate(obj) {
    return validateMeta(obj);
  },
};
