import { createHash } from 'node:crypto';
import { milliValue, parseQuantity, value } from './quantity.js';

/**
 * What simulated containers use, for `kubectl top`: nothing runs, so usage is a model. A container
 * uses a share of what it requests (or of its limit, or a little when it names neither) that swings
 * slowly between 10 % and 60 % for CPU and 40 % and 60 % for memory, each container on its own phase,
 * over five minutes. A class sets a pod's use outright with the annotations below (the pod's total,
 * split evenly over its containers), to show a pod using more than it asked for.
 *
 *   containerUsage(pod with one container requesting 200m and 128Mi, t)
 *     // { cpuNano: between 20m and 120m, memoryBytes: between 51Mi and 77Mi }
 */

export const CPU_USAGE_ANNOTATION = 'minik.dev/cpu-usage';
export const MEMORY_USAGE_ANNOTATION = 'minik.dev/memory-usage';

/** What a node's own processes (the kubelet, the runtime, the system) use besides its pods. */
export const NODE_OVERHEAD = { cpuNano: 50_000_000, memoryBytes: 256 * 2 ** 20 };

const PERIOD_MS = 5 * 60_000;
/** Used by a container that requests and limits nothing: 2m of CPU, 8Mi. */
const UNSET = { cpuNano: 2_000_000, memoryBytes: 8 * 2 ** 20 };

export interface Usage {
  cpuNano: number;
  memoryBytes: number;
}

interface Container {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

interface PodLike {
  metadata?: { uid?: string; annotations?: Record<string, string> };
  spec?: { containers?: Container[] };
}

/** Each container's use at `nowMs`, by name, in the pod's order. */
export function containerUsage(pod: Readonly<PodLike>, nowMs: number): Array<{ name: string; usage: Usage }> {
  const containers = pod.spec?.containers ?? [];
  const set = { cpu: quantity(pod.metadata?.annotations?.[CPU_USAGE_ANNOTATION], 'cpu'), memory: quantity(pod.metadata?.annotations?.[MEMORY_USAGE_ANNOTATION], 'memory') };
  return containers.map((c) => {
    const phase = phaseOf(`${pod.metadata?.uid ?? ''}/${c.name}`);
    const swing = Math.sin(2 * Math.PI * (nowMs / PERIOD_MS + phase));
    const basis = {
      cpu: quantity(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu, 'cpu'),
      memory: quantity(c.resources?.requests?.memory ?? c.resources?.limits?.memory, 'memory'),
    };
    const cpuNano = set.cpu !== undefined ? set.cpu / containers.length : basis.cpu !== undefined ? basis.cpu * (0.35 + 0.25 * swing) : UNSET.cpuNano;
    const memoryBytes = set.memory !== undefined ? set.memory / containers.length : basis.memory !== undefined ? basis.memory * (0.5 + 0.1 * swing) : UNSET.memoryBytes;
    return { name: c.name, usage: { cpuNano: Math.round(cpuNano), memoryBytes: Math.round(memoryBytes) } };
  });
}

/** The sum of some usages. */
export function totalUsage(usages: Iterable<Usage>): Usage {
  const out = { cpuNano: 0, memoryBytes: 0 };
  for (const u of usages) {
    out.cpuNano += u.cpuNano;
    out.memoryBytes += u.memoryBytes;
  }
  return out;
}

/** CPU in nanocores, memory in bytes; undefined for a missing or malformed quantity. */
function quantity(text: string | undefined, kind: 'cpu' | 'memory'): number | undefined {
  if (text === undefined) return undefined;
  try {
    const q = parseQuantity(text);
    return kind === 'cpu' ? milliValue(q) * 1_000_000 : value(q);
  } catch {
    return undefined;
  }
}

/** A container's place in the swing, from its pod's uid and its name: the same on every call. */
function phaseOf(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}
