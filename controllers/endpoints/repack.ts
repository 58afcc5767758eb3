import { createHash } from 'node:crypto';
import type { Endpoints } from '../../api/schemas/service.js';

export type EndpointSubset = NonNullable<Endpoints['subsets']>[number];
export type EndpointAddress = NonNullable<EndpointSubset['addresses']>[number];
export type EndpointPort = NonNullable<EndpointSubset['ports']>[number];

/**
 * Upstream's RepackSubsets (pkg/api/v1/endpoints): the one canonical form of a set of subsets.
 * Every address is mapped to the ports it serves; addresses serving exactly the same ports (with
 * the same readiness) share one subset; an address not ready on a port is not ready there, even if
 * another subset listed it as ready. Then everything is sorted: addresses by IP (then pod UID),
 * ports and subsets by a hash of their content, so that equal inputs give byte-equal outputs and
 * the controller can tell "nothing changed" by comparing.
 *
 *   repackSubsets([
 *     { addresses: [{ ip: '10.0.0.2' }], ports: [{ name: 'http', port: 80 }] },
 *     { addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'http', port: 80 }] },
 *     { notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [{ name: 'http', port: 80 }] },
 *   ])
 *   = [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [{ name: 'http', port: 80 }] }]
 *
 * Upstream hashes Go's dump of the structs, minik hashes canonical JSON: the grouping and the
 * address order are upstream's, the relative order of ports and subsets is as stable but not the same.
 */
export function repackSubsets(subsets: readonly Readonly<EndpointSubset>[]): EndpointSubset[] {
  const addresses = new Map<string, Readonly<EndpointAddress>>();
  // Per port (undefined: the sentinel for subsets without ports, as headless services have), each address and whether it is ready.
  const byPort = new Map<string, { port: Readonly<EndpointPort> | undefined; ready: Map<string, boolean> }>();
  for (const subset of subsets) {
    const ports = subset.ports && subset.ports.length > 0 ? subset.ports : [undefined];
    for (const port of ports) {
      const pk = port === undefined ? '' : canonical(port);
      let entry = byPort.get(pk);
      if (!entry) byPort.set(pk, (entry = { port, ready: new Map() }));
      const add = (addr: Readonly<EndpointAddress>, ready: boolean) => {
        const ak = addressKey(addr);
        if (!addresses.has(ak)) addresses.set(ak, addr);
        // Not ready always trumps ready.
        if (entry.ready.get(ak) !== false) entry.ready.set(ak, ready);
      };
      for (const a of subset.addresses ?? []) add(a, true);
      for (const a of subset.notReadyAddresses ?? []) add(a, false);
    }
  }

  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, ready } of byPort.values()) {
    const members = [...ready].sort(([a], [b]) => lessAddress(addresses.get(a)!, addresses.get(b)!));
    const gk = JSON.stringify(members);
    let group = groups.get(gk);
    if (!group) groups.set(gk, (group = { ready, ports: [] }));
    if (port !== undefined) group.ports.push({ ...port });
  }

  const out: EndpointSubset[] = [];
  for (const { ready, ports } of groups.values()) {
    const subset: EndpointSubset = {};
    const up = [...ready].filter(([, r]) => r).map(([k]) => structuredClone(addresses.get(k)!) as EndpointAddress);
    const down = [...ready].filter(([, r]) => !r).map(([k]) => structuredClone(addresses.get(k)!) as EndpointAddress);
    if (up.length > 0) subset.addresses = up;
    if (down.length > 0) subset.notReadyAddresses = down;
    if (ports.length > 0) subset.ports = ports;
    out.push(subset);
  }
  return sortSubsets(out);
}

/** Upstream's SortSubsets, in place: addresses by IP and UID, ports and subsets by hash. */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  const byAddress = (a: EndpointAddress, b: EndpointAddress) => lessAddress(a, b);
  for (const s of subsets) {
    s.addresses?.sort(byAddress);
    s.notReadyAddresses?.sort(byAddress);
    s.ports?.sort(byHash);
  }
  return subsets.sort(byHash);
}

/** Upstream's LessEndpointAddress as a comparator: IP bytes, then the target's UID (none first). */
export function lessAddress(a: Readonly<EndpointAddress>, b: Readonly<EndpointAddress>): number {
  const ip = compareBytes(a.ip, b.ip);
  if (ip !== 0) return ip;
  const ua = a.targetRef?.uid;
  const ub = b.targetRef?.uid;
  if (ua === ub) return 0;
  if (ua === undefined) return -1;
  if (ub === undefined) return 1;
  return compareBytes(ua, ub);
}

/** Two addresses are one when IP and pod agree (the same IP may come from two pods, for attribution). */
function addressKey(a: Readonly<EndpointAddress>): string {
  return `${a.ip}/${a.targetRef?.uid ?? ''}`;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function byHash(a: object, b: object): number {
  return Buffer.compare(hash(a), hash(b));
}

function hash(obj: object): Buffer {
  return createHash('md5').update(canonical(obj)).digest();
}

/** JSON with object keys in order, so that equal values hash alike however they were built. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
