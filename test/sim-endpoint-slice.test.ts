import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveResource } from '../api/resources.js';
import type { EndpointSlice } from '../api/schemas/discovery.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Service } from '../api/schemas/service.js';
import { endpointSliceController } from '../controllers/endpoint-slice/controller.js';
import { isManagedSliceOf, planSlices } from '../controllers/endpoint-slice/plan.js';
import { SimCluster } from '../sim/index.js';

// The EndpointSlice controller alone on the simulated cluster, its watch events held up to two
// seconds and its process crashed now and then, while pods come and go faster than its cache
// follows. A slice is created with a generated name, so a controller planning from a cache that
// has not yet seen its last slice would list a pod twice.

const pods = resolveResource('pods')!;
const services = resolveResource('services')!;
const NS = 'default';

const step = fc.oneof(
  fc.record({ op: fc.constant('create' as const), count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('relabel' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('crash' as const) }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 10, max: 3_000 }) }),
);

const managed = (sim: SimCluster) => (sim.objects('endpointslices', NS) as EndpointSlice[]).filter((s) => isManagedSliceOf(s, NS, 'web'));

describe('the EndpointSlice controller on the simulated cluster', () => {
  it('never lists a pod twice, however late its cache, and ends with every selected running pod listed once', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(step, { minLength: 1, maxLength: 14 }), async (seed, steps) => {
        const sim = await SimCluster.start({ seed, nodes: 2, controllers: new Map([['endpointslice', endpointSliceController]]) });
        try {
          sim.setFaults('controller-manager', { watchDelayMs: [0, 2_000] });
          await sim.client.create<Service>(services, NS, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
          let serial = 0;
          const noPodTwice = () => {
            const uids = managed(sim).flatMap((s) => s.endpoints.map((e) => e.targetRef?.uid));
            expect(new Set(uids).size, `a pod in two places: ${sim.trace.slice(-30).join('\n')}`).toBe(uids.length);
          };
          for (const s of steps) {
            const live = (sim.objects('pods', NS) as Pod[]).filter((p) => !p.metadata?.deletionTimestamp);
            if (s.op === 'create') {
              for (let i = 0; i < s.count; i++) {
                await sim.client.create<Pod>(pods, NS, { metadata: { name: `web-${serial++}`, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m' } } }] } });
              }
            } else if (s.op === 'delete' && live.length > 0) {
              await sim.client.delete(pods, NS, live[s.pick % live.length]!.metadata!.name!).catch(() => undefined);
            } else if (s.op === 'relabel' && live.length > 0) {
              const p = live[s.pick % live.length]!;
              const app = p.metadata?.labels?.app === 'web' ? 'other' : 'web';
              await sim.client.patch(pods, NS, p.metadata!.name!, 'merge', { metadata: { labels: { app } } }).catch(() => undefined);
            } else if (s.op === 'crash') {
              await sim.crash('controller-manager');
            }
            await sim.advance(s.op === 'wait' ? s.ms : 200, noPodTwice);
          }
          sim.setFaults('controller-manager', { watchDelayMs: undefined });
          await sim.advance(60_000, noPodTwice);

          const slices = managed(sim);
          const service = sim.objects('services', NS)[0] as Service;
          const all = sim.objects('pods', NS) as Pod[];
          const listed = slices.flatMap((s) => s.endpoints.map((e) => e.addresses[0])).sort();
          const expected = all.filter((p) => p.metadata?.labels?.app === 'web' && p.status?.podIP && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed').map((p) => p.status!.podIP!).sort();
          expect(listed).toEqual(expected);
          expect(planSlices({ service, pods: all, slices })).toEqual([]);
        } finally {
          await sim.stop();
        }
      }),
      { numRuns: 25 },
    );
  });
});
