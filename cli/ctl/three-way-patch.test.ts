import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../apiserver/patch/json-value.js';
import { strategyFor } from '../../apiserver/patch/strategies.js';
import { applyStrategicMergePatch } from '../../apiserver/patch/strategic-merge-patch.js';
import { LAST_APPLIED, withLastApplied } from './apply.js';
import { threeWayMergePatch } from './three-way-patch.js';

type JsonMap = { [k: string]: JsonValue };
const deployment = strategyFor('Deployment');

/** What `apply` computes for a manifest against a live object. */
function applyPatch(manifest: JsonMap, live: JsonMap): JsonMap {
  const modified = withLastApplied(manifest, 'default');
  const annotations = ((live.metadata as JsonMap).annotations ?? {}) as Record<string, string>;
  const last = annotations[LAST_APPLIED];
  return threeWayMergePatch(last === undefined ? undefined : (JSON.parse(last) as JsonMap), modified, live, deployment);
}

/** The API server's side: the patch applied, as a PATCH request does it. */
const patched = (live: JsonMap, patch: JsonMap) => applyStrategicMergePatch(live, patch, deployment) as JsonMap;

/** What the server adds to a created object, and what another client changes afterwards. */
function created(manifest: JsonMap): JsonMap {
  const obj = structuredClone(withLastApplied(manifest, 'default')) as any;
  obj.metadata.namespace = 'default';
  obj.metadata.uid = 'uid-1';
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), team: 'set-by-hand' };
  obj.spec.progressDeadlineSeconds = 600;
  obj.spec.template.spec.restartPolicy = 'Always';
  for (const c of obj.spec.template.spec.containers) c.imagePullPolicy = 'IfNotPresent';
  obj.status = { replicas: 0 };
  return obj;
}

describe('threeWayMergePatch', () => {
  it('removes what the last apply set and the manifest dropped, and keeps what someone else set', () => {
    const last = { metadata: { labels: { app: 'web', tier: 'front' } } };
    const live = { metadata: { labels: { app: 'web', tier: 'front', team: 'a' } } };
    const next = { metadata: { labels: { app: 'web' } } };
    expect(threeWayMergePatch(last, next, live, deployment)).toEqual({ metadata: { labels: { tier: null } } });
    expect(threeWayMergePatch(next, next, { metadata: { labels: { app: 'web', team: 'a' } } }, deployment)).toEqual({});
  });

  it('merges containers by name, deletes a dropped one by directive, and orders the list', () => {
    const c = (name: string, image: string) => ({ name, image });
    const tpl = (...cs: JsonMap[]) => ({ spec: { template: { spec: { containers: cs } } } });
    const patch = threeWayMergePatch(tpl(c('a', '1'), c('b', '1')), tpl(c('a', '2')), tpl(c('a', '1'), c('b', '1')), deployment);
    expect(patch).toEqual({
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: '2' }, { name: 'b', $patch: 'delete' }] } } },
    });
  });

  it("sends $retainKeys for a Deployment's strategy, so that changing its type clears the other branch", () => {
    const live = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
    const patch = threeWayMergePatch(undefined, { spec: { strategy: { type: 'Recreate' } } }, live, deployment);
    expect(patch).toEqual({ spec: { strategy: { type: 'Recreate', $retainKeys: ['type'] } } });
    expect(patched(live, patch)).toEqual({ spec: { strategy: { type: 'Recreate' } } });
  });

  it('removes finalizers the manifest dropped, keeping those others added', () => {
    const patch = threeWayMergePatch({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['a'] } }, { metadata: { finalizers: ['a', 'b', 'c'] } }, deployment);
    expect(patched({ metadata: { finalizers: ['a', 'b', 'c'] } }, patch)).toEqual({ metadata: { finalizers: ['a', 'c'] } });
  });

  // Manifests a user might write: labels, a replica count or none, containers with env and ports.
  // Keys named like members every object inherits are keys like any other.
  const labelKey = fc.constantFrom('app', 'tier', 'track', 'version', '__proto__', 'constructor');
  const container = (name: string) =>
    fc.record(
      {
        name: fc.constant(name),
        image: fc.constantFrom('nginx:1.25', 'nginx:1.26', 'busybox'),
        env: fc.uniqueArray(fc.record({ name: fc.constantFrom('A', 'B', 'C'), value: fc.constantFrom('1', '2') }), { selector: (e) => e.name, minLength: 1, maxLength: 3 }),
        ports: fc.uniqueArray(fc.record({ containerPort: fc.constantFrom(80, 443, 8080) }), { selector: (p) => p.containerPort, maxLength: 2 }),
      },
      { requiredKeys: ['name', 'image'] },
    );
  const manifest = fc
    .record({
      labels: fc.dictionary(labelKey, fc.constantFrom('a', 'b'), { minKeys: 1, maxKeys: 3 }),
      replicas: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      containers: fc.uniqueArray(fc.constantFrom('web', 'sidecar', 'log'), { minLength: 1, maxLength: 3 }).chain((names) => fc.tuple(...names.map(container))),
    })
    .map(({ labels, replicas, containers }): JsonMap => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels },
      spec: {
        ...(replicas === undefined ? {} : { replicas }),
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: containers as unknown as JsonValue[] } },
      },
    }));

  it('property: applying the same manifest twice sends no patch (unchanged)', () => {
    fc.assert(
      fc.property(manifest, (m) => {
        expect(applyPatch(m, created(m))).toEqual({});
      }),
    );
  });

  /** Every field of `manifest` is in `live`, lists element by element. */
  function expectContains(live: JsonValue | undefined, manifest: JsonValue, path = ''): void {
    if (Array.isArray(manifest)) {
      expect(Array.isArray(live) && live.length, path).toBe(manifest.length);
      manifest.forEach((m, i) => expectContains((live as JsonValue[])[i], m, `${path}[${i}]`));
    } else if (manifest !== null && typeof manifest === 'object') {
      for (const [k, v] of Object.entries(manifest)) expectContains((live as JsonMap | undefined)?.[k], v, `${path}.${k}`);
    } else expect(live, path).toEqual(manifest);
  }

  it('property: a field dropped from the manifest leaves the live object, fields set by others stay, and the next apply is unchanged', () => {
    fc.assert(
      fc.property(manifest, manifest, (first, second) => {
        const live0 = created(first);
        const live1 = patched(live0, applyPatch(second, live0));
        // What the new manifest says is now so.
        expectContains(live1, second);
        const meta = live1.metadata as any;
        const spec = live1.spec as any;
        // What the old manifest said and the new one does not is gone.
        for (const k of Object.keys((first.metadata as any).labels)) if (!Object.hasOwn((second.metadata as any).labels, k)) expect(Object.hasOwn(meta.labels, k), k).toBe(false);
        if ((second.spec as any).replicas === undefined) expect(spec.replicas).toBeUndefined();
        const names = ((second.spec as any).template.spec.containers as Array<{ name: string }>).map((c) => c.name);
        expect(spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(names);
        for (const c of spec.template.spec.containers) {
          const wanted = (second.spec as any).template.spec.containers.find((x: { name: string }) => x.name === c.name);
          expect(c.env ?? [], c.name).toHaveLength((wanted.env ?? []).length);
          expect(c.ports ?? [], c.name).toHaveLength((wanted.ports ?? []).length);
          // Set by the server, never by a manifest: kept on the containers it set it on.
          if (((first.spec as any).template.spec.containers as Array<{ name: string }>).some((x) => x.name === c.name)) expect(c.imagePullPolicy).toBe('IfNotPresent');
        }
        // Set by someone else: kept.
        expect(meta.labels.team).toBe('set-by-hand');
        expect(spec.progressDeadlineSeconds).toBe(600);
        expect(live1.status).toEqual({ replicas: 0 });
        // And the record now matches, so applying again changes nothing.
        expect(applyPatch(second, live1)).toEqual({});
      }),
    );
  });
});
