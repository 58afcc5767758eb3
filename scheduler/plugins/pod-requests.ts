import type { Container, Pod } from '../../api/schemas/pod.js';
import { addResources, cpuOf, maxResources, memoryOf, ZERO, type Resources } from './resources.js';

/**
 * What a pod asks of a node, as upstream's PodRequests computes it: init containers run one at a
 * time before the app containers, so only the largest counts, except sidecars (init containers with
 * `restartPolicy: Always`), which keep running and add to everything after them. Overhead is added
 * last. Example (reused in the test): containers of 100m and 200m, an init container of 500m and
 * overhead of 10m request max(300m, 500m) + 10m = 510m.
 */
export function podRequests(pod: Pod): Resources {
  return fitRequests.of(pod);
}

/** What scoring assumes of a container that names no request, so that such pods still spread. */
export const DEFAULT_REQUESTS: Resources = { milliCPU: 100, memory: 200 * 1024 * 1024 };

/**
 * Requests for scoring only: a container that names no CPU (or no memory) request counts as 100m
 * (or 200Mi); an explicit "0" stays zero. A pod with no containers at all still requests nothing.
 */
export function nonZeroRequests(pod: Pod): Resources {
  return scoreRequests.of(pod);
}

// A decision asks for one pod's requests once per node it looks at, and every NodeInfo rebuilt sums
// its pods': parse the quantities once per pod. Only frozen pods (the informers' cache hands out
// nothing else) are remembered, since nothing can change them under the memo.
class RequestsMemo {
  private readonly known = new WeakMap<Pod, Resources>();
  // A decision asks about one pod for each of hundreds of nodes in a row: the last answer first.
  private lastPod: Pod | undefined;
  private last: Resources = ZERO;

  constructor(private readonly defaults: Resources | undefined) {}

  of(pod: Pod): Resources {
    if (pod === this.lastPod) return this.last;
    let r = this.known.get(pod);
    if (!r) {
      r = requests(pod, this.defaults);
      if (!Object.isFrozen(pod)) return r;
      this.known.set(pod, r);
    }
    this.lastPod = pod;
    this.last = r;
    return r;
  }
}

const fitRequests = new RequestsMemo(undefined);
const scoreRequests = new RequestsMemo(DEFAULT_REQUESTS);

function requests(pod: Pod, defaults: Resources | undefined): Resources {
  const spec = pod.spec;
  let sum = (spec?.containers ?? []).reduce((acc, c) => addResources(acc, containerRequests(c, defaults)), ZERO);
  let sidecars = ZERO;
  let largestInit = ZERO;
  for (const c of spec?.initContainers ?? []) {
    let own = containerRequests(c, defaults);
    if (c.restartPolicy === 'Always') {
      sum = addResources(sum, own);
      sidecars = addResources(sidecars, own);
      own = sidecars;
    } else {
      // A plain init container runs beside the sidecars started before it.
      own = addResources(own, sidecars);
    }
    largestInit = maxResources(largestInit, own);
  }
  const overhead = spec?.overhead ?? {};
  return addResources(maxResources(sum, largestInit), {
    milliCPU: overhead['cpu'] === undefined ? 0 : cpuOf(overhead['cpu']),
    memory: overhead['memory'] === undefined ? 0 : memoryOf(overhead['memory']),
  });
}

function containerRequests(c: Container, defaults: Resources | undefined): Resources {
  const r = c.resources?.requests ?? {};
  const cpu = r['cpu'];
  const memory = r['memory'];
  return {
    milliCPU: cpu === undefined ? (defaults?.milliCPU ?? 0) : cpuOf(cpu),
    memory: memory === undefined ? (defaults?.memory ?? 0) : memoryOf(memory),
  };
}
