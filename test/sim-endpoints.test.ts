import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveResource } from '../api/resources.js';
import type { Event } from '../api/schemas/cluster.js';
import type { Pod } from '../api/schemas/pod.js';
import type { Endpoints } from '../api/schemas/service.js';
import { endpointsController } from '../controllers/endpoints/controller.js';
import { SimCluster } from '../sim/index.js';

// The Endpoints controller alone on the simulated cluster, its watch events held up to two
// seconds and its process crashed now and then, while pods come and go faster than its cache
// follows. A controller that planned from a cache not yet holding the Endpoints it had just
// written would create them again, and tell the class so in a Warning: "already exists".

const pods = resolveResource('pods')!;
const services = resolveResource('services')!;
const NS = 'default';

const step = fc.oneof(
  fc.record({ op: fc.constant('create' as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('crash' as const) }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 10, max: 3_000 }) }),
);

describe('the Endpoints controller on the simulated cluster', () => {
  it('never fails a write of its own for a cache that lags it, and ends listing every ready selected pod', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(step, { minLength: 1, maxLength: 12 }), async (seed, steps) => {
        const sim = await SimCluster.start({ seed, nodes: 2, controllers: new Map([['endpoints', endpointsController]]) });
        try {
          sim.setFaults('controller-manager', { watchDelayMs: [0, 2_000] });
          await sim.client.create(services, NS, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } });
          const noFailedWrite = () => {
            const failed = (sim.objects('events', NS) as Event[]).filter((e) => e.reason === 'FailedToCreateEndpoint' || e.reason === 'FailedToUpdateEndpoint');
            expect(failed.map((e) => e.message), sim.trace.slice(-30).join('\n')).toEqual([]);
          };
          let serial = 0;
          for (const s of steps) {
            const live = (sim.objects('pods', NS) as Pod[]).filter((p) => !p.metadata?.deletionTimestamp);
            if (s.op === 'create') {
              for (let i = 0; i < s.count; i++) {
                await sim.client.create<Pod>(pods, NS, { metadata: { name: `web-${serial++}`, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
              }
            } else if (s.op === 'delete' && live.length > 0) {
              await sim.client.delete(pods, NS, live[s.pick % live.length]!.metadata!.name!).catch(() => undefined);
            } else if (s.op === 'crash') {
              await sim.crash('controller-manager');
            }
            await sim.advance(s.op === 'wait' ? s.ms : 200, noFailedWrite);
          }
          sim.setFaults('controller-manager', { watchDelayMs: undefined });
          await sim.advance(60_000, noFailedWrite);

          const ready = (sim.objects('pods', NS) as Pod[])
            .filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
            .map((p) => p.status!.podIP!)
            .sort();
          const endpoints = (sim.objects('endpoints', NS) as Endpoints[]).find((e) => e.metadata?.name === 'web');
          expect((endpoints?.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort()).toEqual(ready);
        } finally {
          await sim.stop();
        }
      }),
      { numRuns: 25 },
    );
  });
});
