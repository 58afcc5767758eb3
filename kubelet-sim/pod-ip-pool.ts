/**
 * The pod IPs of one node, from its /24 pod CIDR: .2 to .254 (.1 is the node's bridge). Pods hold
 * addresses by uid. Level-triggered: `claim` records an address a listed pod already has, so a
 * restarted simulator never hands it out twice.
 *
 *   const pool = new PodIpPool('10.244.1.0/24');
 *   pool.allocate('uid-a');          // '10.244.1.2'
 *   pool.claim('uid-b', '10.244.1.3');
 *   pool.allocate('uid-c');          // '10.244.1.4'
 *   pool.release('uid-a');           // .2 is free again
 */
export class PodIpPool {
  private readonly prefix: string;
  private readonly byUid = new Map<string, string>();
  private readonly used = new Set<string>();

  constructor(readonly cidr: string) {
    const m = /^(\d+\.\d+\.\d+)\.0\/24$/.exec(cidr);
    if (!m) throw new Error(`Cannot use pod CIDR ${cidr}: the simulator hands out addresses from a /24 like 10.244.1.0/24`);
    this.prefix = m[1]!;
  }

  contains(ip: string): boolean {
    return ip.startsWith(`${this.prefix}.`);
  }

  claim(uid: string, ip: string): void {
    if (this.byUid.get(uid) === ip || !this.contains(ip)) return;
    this.release(uid);
    this.byUid.set(uid, ip);
    this.used.add(ip);
  }

  /** The pod's address, taking a free one the first time. */
  allocate(uid: string): string {
    const held = this.byUid.get(uid);
    if (held) return held;
    for (let host = 2; host <= 254; host++) {
      const ip = `${this.prefix}.${host}`;
      if (this.used.has(ip)) continue;
      this.claim(uid, ip);
      return ip;
    }
    throw new Error(`Cannot start pod ${uid}: every address of ${this.cidr} is taken`);
  }

  release(uid: string): void {
    const ip = this.byUid.get(uid);
    if (ip === undefined) return;
    this.byUid.delete(uid);
    this.used.delete(ip);
  }

  size(): number {
    return this.byUid.size;
  }
}
