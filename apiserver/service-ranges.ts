/**
 * The ranges services draw from, as integer intervals: IPv4 CIDRs (cluster IPs, load-balancer IPs)
 * and port ranges (node ports), and the picker that takes a free value from one.
 *
 *   const ports = portRange('30000-30002')          // { first: 30000, last: 30002, reserved: 0, text: '30000-30002' }
 *   pickFree(ports, new Set([30000, 30002]), Math.random)   // 30001: the only one left
 *   cidrRange('10.96.0.0/12').first === ipv4ToInt('10.96.0.1')   // the network address is never handed out
 */
export interface IntRange {
  first: number;
  last: number;
  /**
   * How many of the lowest values picks avoid while others are free, so that users who choose a
   * value (10.96.0.10 for DNS, say) rarely find it taken (Kubernetes' KEP-3070 and KEP-3668).
   */
  reserved: number;
  /** The range as messages name it: `10.96.0.0/12`, `30000-32767`. */
  text: string;
}

/** `10.96.0.12` -> its 32-bit value; undefined unless four decimal octets 0-255. */
export function ipv4ToInt(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((n, o) => n * 256 + o, 0);
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/**
 * The addresses of an IPv4 CIDR that can be handed out: all but the network and broadcast
 * addresses. `reserveLow` keeps Kubernetes' band for chosen cluster IPs: size/16, from 16 to 256.
 */
export function cidrRange(cidr: string, reserveLow = false): IntRange {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const base = m ? ipv4ToInt(m[1]!) : undefined;
  const bits = m ? Number(m[2]) : NaN;
  if (base === undefined || !(bits >= 0 && bits <= 30)) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}: want a.b.c.d/n with n at most 30`);
  const size = 2 ** (32 - bits);
  const network = base - (base % size);
  const usable = size - 2;
  return { first: network + 1, last: network + usable, reserved: reserveLow ? band(usable, 16, 256) : 0, text: `${intToIpv4(network)}/${bits}` };
}

/** `30000-32767`, as kube-apiserver's --service-node-port-range; the low band is size/32, from 16 to 128. */
export function portRange(text: string): IntRange {
  const m = /^(\d+)-(\d+)$/.exec(text);
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (!m || !(first >= 1 && first <= last && last <= 65535)) throw new Error(`invalid port range ${JSON.stringify(text)}: want min-max within 1-65535`);
  return { first, last, reserved: band(last - first + 1, 32, 128), text };
}

function band(size: number, step: number, max: number): number {
  if (size <= 16) return 0;
  return Math.min(max, Math.max(16, Math.floor(size / step)));
}

export function inRange(r: IntRange, n: number): boolean {
  return n >= r.first && n <= r.last;
}

/**
 * A value of `r` not in `taken`, or undefined when there is none. It starts at a random point and
 * walks on from there, so a nearly full range still yields its last free value; the reserved low
 * band is used only once the rest is full.
 */
export function pickFree(r: IntRange, taken: ReadonlySet<number>, random: () => number): number | undefined {
  const split = Math.min(r.first + r.reserved, r.last + 1);
  return walk(split, r.last, taken, random) ?? walk(r.first, split - 1, taken, random);
}

function walk(lo: number, hi: number, taken: ReadonlySet<number>, random: () => number): number | undefined {
  const size = hi - lo + 1;
  if (size <= 0) return undefined;
  const start = Math.min(size - 1, Math.floor(random() * size));
  for (let i = 0; i < size; i++) {
    const v = lo + ((start + i) % size);
    if (!taken.has(v)) return v;
  }
  return undefined;
}
