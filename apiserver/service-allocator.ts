import type { Allocator, Claim, HeldValues } from './allocator.js';
import { ApiError, fieldError, type FieldError } from './errors.js';
import { cidrRange, inRange, intToIpv4, ipv4ToInt, pickFree, portRange, type IntRange } from './service-ranges.js';
import type { KubeObject } from './watch-cache.js';

/** Where services' values come from, written as kube-apiserver's flags take them. */
export interface ServiceRanges {
  /** Cluster IPs (--service-cluster-ip-range). */
  serviceCidr: string;
  /** Node ports, `min-max` (--service-node-port-range). */
  nodePortRange: string;
  /** The simulated load balancers' external IPs. */
  loadBalancerCidr: string;
}

export const DEFAULT_SERVICE_RANGES: ServiceRanges = {
  serviceCidr: '10.96.0.0/12',
  nodePortRange: '30000-32767',
  loadBalancerCidr: '172.18.0.0/16',
};

/** The claim pools: one key per held value, e.g. `/minik/allocations/serviceips/10.96.0.12`. */
export const POOLS = {
  clusterIP: '/minik/allocations/serviceips/',
  nodePort: '/minik/allocations/nodeports/',
  loadBalancerIP: '/minik/allocations/lbips/',
} as const;

interface Port {
  name?: string;
  protocol?: string;
  nodePort?: number;
}

interface Spec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: Port[];
  externalTrafficPolicy?: string;
  allocateLoadBalancerNodePorts?: boolean;
}

interface Status {
  loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string; ipMode?: string }> };
}

const needsClusterIP = (s: Spec) => s.type !== 'ExternalName';
const needsNodePorts = (s: Spec) => s.type === 'NodePort' || s.type === 'LoadBalancer';
// allocateLoadBalancerNodePorts: false only stops picking; node ports the user sets are still held.
const picksNodePorts = (s: Spec) => s.type === 'NodePort' || (s.type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false);
const isLoadBalancer = (s: Spec) => s.type === 'LoadBalancer';
const specOf = (o: KubeObject | undefined): Spec => (o?.spec ?? {}) as Spec;
const nodePorts = (s: Spec): number[] => (s.ports ?? []).flatMap((p) => (p.nodePort === undefined ? [] : [p.nodePort]));
const ingressIps = (o: KubeObject | undefined): string[] => ((o?.status as Status | undefined)?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : []));

/**
 * Kubernetes' service allocators: a cluster IP for every service but headless and ExternalName
 * ones, a node port for each port of a NodePort or LoadBalancer service, and for a LoadBalancer a
 * simulated external IP in `status.loadBalancer.ingress`. Values the user chose are kept if free
 * and in range; the rest are picked at random from what is free.
 *
 *   create {type: NodePort, ports: [{port: 80}]}
 *     -> spec.clusterIP 10.96.x.y, spec.clusterIPs [10.96.x.y], ipFamilies [IPv4], ipFamilyPolicy SingleStack,
 *        ports [{port: 80, nodePort: 30000-32767}];
 *        claims /minik/allocations/serviceips/10.96.x.y and /minik/allocations/nodeports/<port>
 */
export class ServiceAllocator implements Allocator {
  private readonly ips: IntRange;
  private readonly ports: IntRange;
  private readonly lbIps: IntRange;

  constructor(ranges: ServiceRanges, private readonly random: () => number) {
    this.ips = cidrRange(ranges.serviceCidr, true);
    this.ports = portRange(ranges.nodePortRange);
    this.lbIps = cidrRange(ranges.loadBalancerCidr);
  }

  prepare(obj: KubeObject, old: KubeObject | undefined): void {
    if (!obj.spec) return;
    const spec = obj.spec as Spec;
    // An empty clusterIP is an unset one, and clusterIPs alone names the IP, as upstream reads them.
    if (spec.clusterIP === '') delete spec.clusterIP;
    if (spec.clusterIP === undefined && spec.clusterIPs?.[0]) spec.clusterIP = spec.clusterIPs[0];
    if (old) this.keepAndDrop(obj, old);
    if (needsClusterIP(spec)) {
      const was = specOf(old);
      spec.ipFamilies ??= was.ipFamilies ?? ['IPv4'];
      spec.ipFamilyPolicy ??= was.ipFamilyPolicy ?? 'SingleStack';
    }
  }

  /**
   * An update that leaves out an allocated value keeps it, and one that changes the type drops
   * what only the old type used unless it changed that too (upstream's patchAllocatedValues and
   * dropTypeDependentFields): `kubectl patch -p '{"spec":{"type":"ClusterIP"}}'` on a NodePort works.
   */
  private keepAndDrop(obj: KubeObject, old: KubeObject): void {
    const spec = obj.spec as Spec;
    const was = specOf(old);
    if (needsClusterIP(was) && needsClusterIP(spec)) {
      spec.clusterIP ??= was.clusterIP;
      if (!spec.clusterIPs?.length && was.clusterIPs) spec.clusterIPs = was.clusterIPs;
    }
    if (needsClusterIP(was) && !needsClusterIP(spec) && (spec.clusterIP === undefined || spec.clusterIP === was.clusterIP)) {
      for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'] as const) delete spec[f];
    }
    if (needsNodePorts(was) && needsNodePorts(spec)) {
      // Ports are matched by name, as upstream does; a value another port now uses is not copied.
      const used = new Set(nodePorts(spec));
      const byName = new Map((was.ports ?? []).map((p) => [p.name ?? '', p.nodePort]));
      for (const p of spec.ports ?? []) {
        const before = byName.get(p.name ?? '');
        if (p.nodePort === undefined && before !== undefined && !used.has(before)) p.nodePort = before;
      }
    }
    if (needsNodePorts(was) && !needsNodePorts(spec) && sameOrNone(nodePorts(was), nodePorts(spec))) {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
    if (needsNodePorts(was) && !needsNodePorts(spec) && spec.externalTrafficPolicy === was.externalTrafficPolicy) delete spec.externalTrafficPolicy;
    if (isLoadBalancer(was) && !isLoadBalancer(spec)) {
      if (spec.allocateLoadBalancerNodePorts === was.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
      const status = obj.status as Status | undefined;
      if (status) delete status.loadBalancer;
    }
    if (isLoadBalancer(was) && isLoadBalancer(spec) && ingressIps(obj).length === 0 && ingressIps(old).length > 0) {
      obj.status = { ...(obj.status ?? {}), loadBalancer: (old.status as Status).loadBalancer };
    }
  }

  async fill(obj: KubeObject, old: KubeObject | undefined, held: HeldValues): Promise<{ picked: ReadonlySet<string>; errors: FieldError[] }> {
    const picked = new Set<string>();
    if (!obj.spec) return { picked, errors: [] };
    const spec = obj.spec as Spec;
    const errors = this.outOfRange(spec, old ? this.claims(old).map((c) => c.key) : []);
    if (errors.length > 0) return { picked, errors };

    if (needsClusterIP(spec) && spec.clusterIP === undefined) {
      const ip = intToIpv4(this.pick(this.ips, await heldNumbers(held, POOLS.clusterIP, ipv4ToInt), 'serviceIP'));
      spec.clusterIP = ip;
      picked.add(POOLS.clusterIP + ip);
    }
    if (needsClusterIP(spec) && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP!];

    const lacking = picksNodePorts(spec) ? (spec.ports ?? []).filter((p) => p.nodePort === undefined) : [];
    if (lacking.length > 0) {
      const taken = new Set([...(await heldNumbers(held, POOLS.nodePort, Number)), ...nodePorts(spec)]);
      for (const p of lacking) {
        p.nodePort = this.pick(this.ports, taken, 'nodePort');
        taken.add(p.nodePort);
        picked.add(POOLS.nodePort + p.nodePort);
      }
    }

    if (isLoadBalancer(spec) && ingressIps(obj).length === 0) {
      const ip = intToIpv4(this.pick(this.lbIps, await heldNumbers(held, POOLS.loadBalancerIP, ipv4ToInt), 'load balancer IP'));
      obj.status = { ...(obj.status ?? {}), loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
      picked.add(POOLS.loadBalancerIP + ip);
    }
    return { picked, errors };
  }

  claims(obj: KubeObject): Claim[] {
    const spec = specOf(obj);
    const out = new Map<string, Claim>();
    const ip = spec.clusterIP;
    if (needsClusterIP(spec) && ip && ip !== 'None') {
      out.set(POOLS.clusterIP + ip, { key: POOLS.clusterIP + ip, taken: clusterIPError(spec, ip, 'provided IP is already allocated') });
    }
    if (needsNodePorts(spec)) {
      (spec.ports ?? []).forEach((p, i) => {
        // A TCP and a UDP port may share a node port: one claim.
        const key = POOLS.nodePort + p.nodePort;
        if (p.nodePort !== undefined && !out.has(key)) {
          out.set(key, { key, taken: fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated') });
        }
      });
    }
    if (isLoadBalancer(spec)) {
      // An ingress IP outside the range was set by someone else (a real cloud): not ours to hold.
      ingressIps(obj).forEach((lb, i) => {
        const n = ipv4ToInt(lb);
        const key = POOLS.loadBalancerIP + lb;
        if (n !== undefined && inRange(this.lbIps, n) && !out.has(key)) {
          out.set(key, { key, taken: fieldError.invalid(`status.loadBalancer.ingress[${i}].ip`, lb, 'provided IP is already allocated') });
        }
      });
    }
    return [...out.values()];
  }

  /** Chosen values not already held by this object that lie outside their range. */
  private outOfRange(spec: Spec, held: string[]): FieldError[] {
    const errors: FieldError[] = [];
    const had = new Set(held);
    const ip = spec.clusterIP;
    if (needsClusterIP(spec) && ip !== undefined && ip !== 'None' && !had.has(POOLS.clusterIP + ip)) {
      const n = ipv4ToInt(ip);
      if (n === undefined || !inRange(this.ips, n)) {
        errors.push(clusterIPError(spec, ip, `provided IP is not in the valid range. The range of valid IPs is ${this.ips.text}`));
      }
    }
    if (needsNodePorts(spec)) {
      (spec.ports ?? []).forEach((p, i) => {
        if (p.nodePort !== undefined && !had.has(POOLS.nodePort + p.nodePort) && !inRange(this.ports, p.nodePort)) {
          errors.push(fieldError.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.ports.text}`));
        }
      });
    }
    return errors;
  }

  /** A free value of `range`; a 500 when none is left, as upstream answers. */
  private pick(range: IntRange, taken: ReadonlySet<number>, what: string): number {
    const n = pickFree(range, taken, this.random);
    if (n === undefined) throw ApiError.internal(`failed to allocate a ${what}: range is full`);
    return n;
  }
}

async function heldNumbers(held: HeldValues, pool: string, parse: (s: string) => number | undefined): Promise<Set<number>> {
  const out = new Set<number>();
  for (const v of await held(pool)) {
    const n = parse(v);
    if (n !== undefined && !Number.isNaN(n)) out.add(n);
  }
  return out;
}

/** Upstream's wording: `spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: ...`. */
function clusterIPError(spec: Spec, ip: string, why: string): FieldError {
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : [ip];
  return { field: 'spec.clusterIPs', reason: 'FieldValueInvalid', message: `Invalid value: []string{${ips.map((x) => JSON.stringify(x)).join(', ')}}: failed to allocate IP ${ip}: ${why}` };
}

/** Upstream's sameNodePorts: an empty side always matches. */
function sameOrNone(a: number[], b: number[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}
