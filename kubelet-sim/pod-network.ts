/**
 * The cluster's pod network, cut into one /24 per node as kube-controller-manager's
 * `--cluster-cidr` and `--node-cidr-mask-size 24` do. Node i (from 1) gets the i-th /24, so the
 * default 10.244.0.0/16 gives node-1 10.244.1.0/24 and holds 255 nodes; a bigger cluster needs a
 * bigger network, such as 10.128.0.0/11 for 8,191 nodes (clear of the 10.96.0.0/12 services).
 *
 *   const net = parseClusterCidr('10.244.0.0/16');
 *   net.maxNodes;          // 255
 *   net.podCidrOf(3);      // '10.244.3.0/24'
 *   parseClusterCidr('10.128.0.0/11').podCidrOf(300);   // '10.129.44.0/24'
 */
export interface PodNetwork {
  readonly cidr: string;
  readonly maxNodes: number;
  podCidrOf(index: number): string;
}

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';

export function parseClusterCidr(cidr: string): PodNetwork {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : NaN;
  if (!m || octets.some((o) => o > 255) || !(prefix >= 8 && prefix <= 23)) {
    throw new Error(`cluster CIDR "${cidr}" is not an IPv4 network from /8 to /23, such as ${DEFAULT_CLUSTER_CIDR}`);
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  if ((base & mask) >>> 0 !== base) throw new Error(`cluster CIDR "${cidr}" has host bits set; did you mean ${dotted((base & mask) >>> 0)}/${prefix}?`);
  const maxNodes = 2 ** (24 - prefix) - 1;
  return {
    cidr,
    maxNodes,
    podCidrOf(index) {
      if (!Number.isInteger(index) || index < 1 || index > maxNodes) throw new RangeError(`node ${index} is outside ${cidr}, which holds ${maxNodes} nodes`);
      return `${dotted(base + index * 256)}/24`;
    },
  };
}

function dotted(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
