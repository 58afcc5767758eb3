// The worked example of docs/testing.md, kept running: if this changes, change the page too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNotFound, type KubeObject } from '../api/client.js';
import { keyOf } from '../api/informer.js';
import { resolveResource } from '../api/resources.js';
import { controllerLoop, type ControllerFactory } from '../controllers/controller.js';
import { SimCluster } from '../sim/index.js';

const configmaps = resolveResource('configmaps')!;

// --- the user's controller: every ConfigMap labelled mirror=yes has a copy named <name>-copy ---
type Action = { type: 'put'; name: string; data: Record<string, string> } | { type: 'delete'; name: string };

/** Pure: what to do so that the copy of `source` (or its absence) matches. */
export function plan(name: string, source: Readonly<KubeObject> | undefined, copy: Readonly<KubeObject> | undefined): Action[] {
  const wanted = source?.metadata?.labels?.mirror === 'yes';
  if (!wanted) return copy ? [{ type: 'delete', name: `${name}-copy` }] : [];
  const data = (source!.data ?? {}) as Record<string, string>;
  return JSON.stringify(copy?.data ?? null) === JSON.stringify(data) ? [] : [{ type: 'put', name: `${name}-copy`, data }];
}

export const mirrorController: ControllerFactory = (ctx) => {
  const cms = ctx.informers.for('configmaps');
  const loop = controllerLoop(ctx, 'mirror', async (key) => {
    const [ns, name] = key.split('/') as [string, string];
    for (const a of plan(name, cms.get(key), cms.get(`${key}-copy`))) {
      if (a.type === 'delete') await ctx.client.delete(configmaps, ns, a.name).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
      else await ctx.client.update(configmaps, ns, { metadata: { name: a.name, namespace: ns }, data: a.data }).catch(async (e: unknown) => {
        if (!isNotFound(e)) throw e;
        await ctx.client.create(configmaps, ns, { metadata: { name: a.name }, data: a.data });
      });
    }
  });
  const enqueue = (o: Readonly<KubeObject>) => loop.enqueue(keyOf(o).replace(/-copy$/, ''));
  cms.on({ add: enqueue, update: (_, o) => enqueue(o), delete: enqueue });
  return { name: 'mirror', start: () => loop.start(), stop: () => loop.stop() };
};

// --- its property test on the simulated cluster ---
const userAction = fc.oneof(
  fc.record({ op: fc.constant('put' as const), name: fc.constantFrom('a', 'b'), mirror: fc.boolean(), v: fc.nat(3) }),
  fc.record({ op: fc.constant('delete' as const), name: fc.constantFrom('a', 'b') }),
  fc.record({ op: fc.constant('crash' as const) }),
);

describe('docs/testing.md: a user tests their own controller on SimCluster', () => {
  it('keeps every mirrored ConfigMap copied, whatever the order of changes and crashes', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(userAction, { maxLength: 8 }), async (seed, actions) => {
        const sim = await SimCluster.start({ seed, nodes: 1, controllers: new Map([['mirror', mirrorController]]) });
        try {
          for (const a of actions) {
            if (a.op === 'crash') await sim.crash('controller-manager');
            else if (a.op === 'delete') await sim.client.delete(configmaps, 'default', a.name).catch(() => undefined);
            else {
              const cm = { metadata: { name: a.name, labels: { mirror: a.mirror ? 'yes' : 'no' } }, data: { v: String(a.v) } };
              await sim.client.update(configmaps, 'default', cm).catch(() => sim.client.create(configmaps, 'default', cm));
            }
            await sim.advance(1_000);
          }
          await sim.advance(30_000);
          const all = new Map(sim.objects('configmaps', 'default').map((o) => [o.metadata!.name!, o]));
          for (const name of ['a', 'b']) {
            const source = all.get(name);
            const copy = all.get(`${name}-copy`);
            expect(plan(name, source, copy), `${name} and its copy after ${JSON.stringify(actions)}`).toEqual([]);
          }
        } finally {
          await sim.stop();
        }
      }),
      { numRuns: 15 },
    );
  });
});
