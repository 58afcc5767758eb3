import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Binding } from '../api/schemas/cluster.js';
import { Pod } from '../api/schemas/pod.js';
import { Deployment } from '../api/schemas/workloads.js';
import { decodeByField } from './field-decode.js';
import { unknownFields } from './unknown-fields.js';
import type { KubeObject } from './watch-cache.js';

/** What decoding the whole body at once keeps and drops: the result decodeByField must equal. */
function whole(schema: typeof Pod | typeof Deployment | typeof Binding, body: KubeObject) {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return undefined;
  return { object: parsed.data, unknown: unknownFields(body, parsed.data) };
}

const pod = (extra: Record<string, unknown> = {}): KubeObject => ({
  status: { phase: 'Running', podIP: '10.244.1.2' },
  kind: 'Pod',
  metadata: { name: 'web-1', resourceVersion: '7' },
  spec: { containers: [{ name: 'web', image: 'app:1', bogus: true }], nodeName: 'node-1' },
  ...extra,
});

const deployment = (): KubeObject => ({
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'app:1' }] } } },
});

describe('decodeByField', () => {
  it('keeps and drops what the whole decode does, with the example of its doc comment', () => {
    const body = { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x', bogus: true }] } };
    expect(decodeByField(Pod, body)).toEqual({ object: { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x' }] } }, unknown: ['spec.containers[0].bogus'] });
  });

  it('gives the same object, in the same key order, and the same unknown paths, the first time and when remembered', () => {
    const body = pod({ extra: 1 });
    const first = decodeByField(Pod, body);
    const again = decodeByField(Pod, pod({ extra: 1 }));
    for (const got of [first, again]) {
      expect(got).toEqual(whole(Pod, body));
      expect(JSON.stringify(got!.object)).toBe(JSON.stringify(whole(Pod, body)!.object));
    }
    expect(again!.unknown).toEqual(['spec.containers[0].bogus', 'extra']);
  });

  it('decodes metadata afresh, resourceVersion and all, where the whole decode has them', () => {
    const next = pod({ metadata: { resourceVersion: '8', name: 'web-1', labels: { app: 'web' } } });
    expect(JSON.stringify(decodeByField(Pod, next)!.object)).toBe(JSON.stringify(whole(Pod, next)!.object));
    expect(decodeByField(Pod, pod({ metadata: { name: 'web-1', resourceVersion: 8 } }))).toBeUndefined();
  });

  it('hands out a fresh copy of a remembered field: changing one decoded body leaves the next alone', () => {
    const a = decodeByField(Deployment, deployment())!;
    expect(a).toEqual(whole(Deployment, deployment()));
    (a.object.spec as { replicas: number }).replicas = 5;
    const b = decodeByField(Deployment, deployment())!;
    expect((b.object.spec as { replicas: number }).replicas).toBe(2);
    expect(b.object.spec).not.toBe(a.object.spec);
  });

  it('leaves to the whole decode a body that does not parse (which words the errors) or holds what JSON would change', () => {
    expect(decodeByField(Pod, pod({ spec: { containers: 'none' } }))).toBeUndefined();
    expect(decodeByField(Pod, pod({ spec: { containers: [{ name: 'web', image: undefined }] } }))).toBeUndefined();
    expect(decodeByField(Pod, { kind: 'Pod', status: undefined })).toBeUndefined();
    expect(decodeByField(Pod, pod({ spec: { containers: [{ name: 'web', image: 'app:1', livenessProbe: { periodSeconds: NaN } }] } }))).toBeUndefined();
  });

  it('leaves a body without a required field to the whole decode, which refuses it', () => {
    expect(Binding.safeParse({ kind: 'Binding' }).success).toBe(false);
    expect(decodeByField(Binding, { kind: 'Binding' })).toBeUndefined();
    expect(decodeByField(Binding, { kind: 'Binding', target: { name: 'node-1' } })?.object).toEqual({ kind: 'Binding', target: { name: 'node-1' } });
  });

  it('whenever it answers, answers what the whole decode does', () => {
    const value = fc.oneof(fc.constantFrom<unknown>(null, 'x', 3, true, {}, [], { name: 'node-1' }, { replicas: 2 }, { containers: [{ name: 'a', image: 'b' }] }), fc.jsonValue({ maxDepth: 2 }));
    const key = fc.constantFrom('kind', 'apiVersion', 'metadata', 'spec', 'status', 'target', 'bogus');
    fc.assert(
      fc.property(fc.constantFrom(Pod, Deployment, Binding), fc.dictionary(key, value), (schema, body) => {
        const byField = decodeByField(schema, body as KubeObject);
        if (byField) expect(byField).toEqual(whole(schema, body as KubeObject));
      }),
    );
  });
});
