import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './merge-patch.js';
import { PatchError } from './patch-error.js';
import type { PatchStrategy } from './patch-strategy.js';
import { strategyFor } from './strategies.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

/** Frozen, so that any attempt to modify an input throws. */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

/** Patches a frozen copy of `doc` with a frozen `patch`, as the API server would for `kind`. */
function patched(kind: string, doc: unknown, patch: unknown): any {
  return applyStrategicMergePatch(frozen(structuredClone(doc)), frozen(patch), strategyFor(kind));
}

function rejection(kind: string, doc: unknown, patch: unknown): PatchError {
  try {
    patched(kind, doc, patch);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchError);
    return err as PatchError;
  }
  throw new Error('the patch applied');
}

/** `doc` with `change` made to a copy. */
function edited<T>(doc: T, change: (copy: any) => void): T {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: '6f1c2a6e-0000-4000-8000-000000000001',
    resourceVersion: '107',
    generation: 3,
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}' },
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'MODE', value: 'prod' },
              { name: 'DEBUG', value: 'true' },
            ],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        nodeSelector: { disk: 'ssd' },
      },
    },
  },
  status: {
    observedGeneration: 3,
    replicas: 2,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};

/** `deployment` with one container, `web`, as `kubectl create deployment web --image=nginx:1.26` makes it. */
const webDeployment = edited(deployment, (d) => {
  d.spec.template.spec.containers = [{ name: 'web', image: 'nginx:1.26' }];
});

const node = {
  kind: 'Node',
  metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
  spec: {
    podCIDR: '10.1.0.0/24',
    taints: [
      { key: 'dedicated', value: 'db', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'db', effect: 'NoExecute' },
      { key: 'gpu', effect: 'NoSchedule' },
    ],
  },
  status: { conditions: [{ type: 'Ready', status: 'True' }] },
};

describe('applyStrategicMergePatch: what kubectl sends', () => {
  it('kubectl apply: updates the image and keeps everything else (the doc example)', () => {
    const patch = {
      spec: {
        template: {
          spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.26', name: 'nginx' }] },
        },
      },
    };
    expect(patched('Deployment', deployment, patch)).toEqual(
      edited(deployment, (d) => (d.spec.template.spec.containers[0].image = 'nginx:1.26')),
    );
  });

  it('kubectl set image, with and without $setElementOrder', () => {
    const want = edited(webDeployment, (d) => (d.spec.template.spec.containers[0].image = 'nginx:1.27'));
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } };
    expect(patched('Deployment', webDeployment, patch)).toEqual(want);
    const ordered = { spec: { template: { spec: { ...patch.spec.template.spec, '$setElementOrder/containers': [{ name: 'web' }] } } } };
    expect(patched('Deployment', webDeployment, ordered)).toEqual(want);
  });

  it('kubectl rollout restart: adds the restartedAt annotation to the pod template', () => {
    const at = '2025-01-01T00:00:00Z';
    const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } };
    expect(patched('Deployment', deployment, patch)).toEqual(
      edited(deployment, (d) => (d.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': at })),
    );
  });

  it('kubectl cordon and uncordon', () => {
    const cordoned = patched('Node', node, { spec: { unschedulable: true } });
    expect(cordoned).toEqual(edited(node, (n) => (n.spec.unschedulable = true)));
    expect(patched('Node', cordoned, { spec: { unschedulable: null } })).toEqual(node);
  });

  it('kubectl patch: removes an env var with $patch: delete', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'DEBUG', $patch: 'delete' }] }] } } } };
    expect(patched('Deployment', deployment, patch)).toEqual(
      edited(deployment, (d) => (d.spec.template.spec.containers[0].env = [{ name: 'MODE', value: 'prod' }])),
    );
  });

  it('kubectl apply: removes an env var the new configuration drops', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'nginx' }],
            containers: [{ '$setElementOrder/env': [{ name: 'MODE' }], env: [{ $patch: 'delete', name: 'DEBUG' }], name: 'nginx' }],
          },
        },
      },
    };
    expect(patched('Deployment', deployment, patch)).toEqual(
      edited(deployment, (d) => (d.spec.template.spec.containers[0].env = [{ name: 'MODE', value: 'prod' }])),
    );
  });

  it('$retainKeys: changing a Deployment strategy from RollingUpdate to Recreate drops rollingUpdate', () => {
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
    const want = edited(deployment, (d) => (d.spec.strategy = { type: 'Recreate' }));
    expect(patched('Deployment', deployment, patch)).toEqual(want);
    // kubectl apply also nulls the field it drops.
    expect(patched('Deployment', deployment, { spec: { strategy: { ...patch.spec.strategy, rollingUpdate: null } } })).toEqual(want);
  });

  it('$retainKeys: a volume changing its source keeps only the new one', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['hostPath', 'name'], hostPath: { path: '/srv' }, name: 'data' }],
          },
        },
      },
    };
    expect(patched('Deployment', deployment, patch).spec.template.spec.volumes).toEqual([{ name: 'data', hostPath: { path: '/srv' } }]);
  });

  it('kubectl apply: adds a list the live object lacks, without storing any directive', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/initContainers': [{ name: 'init' }],
            initContainers: [{ name: 'init', image: 'busybox', env: [{ name: 'X', value: '1' }, { name: 'Y', $patch: 'delete' }] }],
          },
        },
      },
    };
    expect(patched('Deployment', deployment, patch).spec.template.spec.initContainers).toEqual([
      { name: 'init', image: 'busybox', env: [{ name: 'X', value: '1' }] },
    ]);
  });

  it('kubectl taint ... key-: the whole remaining list replaces the taints', () => {
    const patch = { spec: { taints: [{ effect: 'NoSchedule', key: 'gpu' }] } };
    expect(patched('Node', node, patch).spec.taints).toEqual([{ key: 'gpu', effect: 'NoSchedule' }]);
  });
});

describe('applyStrategicMergePatch: lists', () => {
  it('merges by merge key: env by name, ports by containerPort, volumeMounts by mountPath', () => {
    const patch = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'nginx',
                env: [{ name: 'MODE', value: 'dev' }],
                ports: [{ containerPort: 80, name: 'http' }],
                volumeMounts: [{ mountPath: '/data', readOnly: true }],
              },
            ],
          },
        },
      },
    };
    const c = patched('Deployment', deployment, patch).spec.template.spec.containers[0];
    expect(c.env).toEqual([
      { name: 'MODE', value: 'dev' },
      { name: 'DEBUG', value: 'true' },
    ]);
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP', name: 'http' }]);
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]);
  });

  it('puts a new element first when no $setElementOrder says otherwise, as upstream does', () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'NEW', value: '1' }] }] } } } };
    expect(patched('Deployment', deployment, patch).spec.template.spec.containers[0].env.map((e: any) => e.name)).toEqual([
      'NEW',
      'MODE',
      'DEBUG',
    ]);
  });

  it('$setElementOrder orders the list; elements the patch does not name keep their place', () => {
    const pod = {
      spec: {
        containers: [
          { name: 'a', image: 'a' },
          { name: 'sidecar', image: 's' },
          { name: 'b', image: 'b' },
        ],
      },
    };
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'c' }], containers: [{ name: 'c', image: 'c' }] } };
    expect(patched('Pod', pod, patch).spec.containers.map((c: any) => c.name)).toEqual(['sidecar', 'b', 'a', 'c']);
    const reorderOnly = { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'sidecar' }, { name: 'a' }] } };
    expect(patched('Pod', pod, reorderOnly).spec.containers.map((c: any) => c.name)).toEqual(['b', 'sidecar', 'a']);
  });

  it('$patch: replace in a list replaces it with the other elements', () => {
    const patch = { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } };
    expect(patched('Deployment', deployment, patch).spec.template.spec.containers).toEqual([{ name: 'only', image: 'x' }]);
  });

  it('replaces lists without a merge strategy: tolerations, envFrom, Endpoints subsets', () => {
    const tolerations = [{ key: 'b', operator: 'Exists' }];
    expect(patched('Deployment', deployment, { spec: { template: { spec: { tolerations } } } }).spec.template.spec.tolerations).toEqual(
      tolerations,
    );
    const endpoints = { kind: 'Endpoints', subsets: [{ addresses: [{ ip: '10.1.0.5' }], ports: [{ port: 80 }] }] };
    const subsets = [{ addresses: [{ ip: '10.1.0.6' }], ports: [{ port: 80 }] }];
    expect(patched('Endpoints', endpoints, { subsets })).toEqual({ kind: 'Endpoints', subsets });
  });

  it('merges Service ports by port, ownerReferences by uid, conditions by type', () => {
    const service = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    expect(patched('Service', service, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }).spec.ports).toEqual([
      { port: 80, targetPort: 9090 },
      { port: 443 },
    ]);

    const owned = { metadata: { ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs1' }] } };
    expect(patched('Pod', owned, { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }] } }).metadata.ownerReferences).toEqual([
      { uid: 'u1', kind: 'ReplicaSet', name: 'rs1', blockOwnerDeletion: true },
    ]);

    const pod = { status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] } };
    const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True', reason: 'x' }] } };
    expect(patched('Pod', pod, status).status).toEqual({
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True' },
        { type: 'PodScheduled', status: 'True', reason: 'x' },
      ],
    });
  });

  it('finalizers: unions values, and $deleteFromPrimitiveList removes them', () => {
    const pod = { metadata: { finalizers: ['a', 'b'] } };
    expect(patched('Pod', pod, { metadata: { finalizers: ['b', 'c'] } }).metadata.finalizers).toEqual(['a', 'b', 'c']);
    expect(patched('Pod', pod, { metadata: { finalizers: ['c'] } }).metadata.finalizers).toEqual(['c', 'a', 'b']);
    expect(patched('Pod', pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'x'] } }).metadata.finalizers).toEqual(['b']);
    // As kubectl apply sends a changed set: the order, the additions and the deletions together.
    const apply = { metadata: { '$setElementOrder/finalizers': ['b', 'c'], '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } };
    expect(patched('Pod', pod, apply).metadata.finalizers).toEqual(['b', 'c']);
    expect(patched('Pod', { metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } })).toEqual({ metadata: {} });
  });
});

describe('applyStrategicMergePatch: maps', () => {
  it('null deletes a key; maps merge', () => {
    const patch = { metadata: { labels: { app: null, tier: 'fe' } }, spec: { template: { spec: { nodeSelector: { zone: 'a' } } } } };
    const out = patched('Deployment', deployment, patch);
    expect(out.metadata.labels).toEqual({ tier: 'fe' });
    expect(out.spec.template.spec.nodeSelector).toEqual({ disk: 'ssd', zone: 'a' });
  });

  it('$patch: replace replaces a map, $patch: delete empties it, $patch: merge merges', () => {
    const spec = (nodeSelector: unknown) => ({ spec: { template: { spec: { nodeSelector } } } });
    const selectorAfter = (patch: unknown) => patched('Deployment', deployment, spec(patch)).spec.template.spec.nodeSelector;
    expect(selectorAfter({ $patch: 'replace', zone: 'a' })).toEqual({ zone: 'a' });
    expect(selectorAfter({ $patch: 'delete' })).toEqual({});
    expect(selectorAfter({ $patch: 'merge', zone: 'a' })).toEqual({ disk: 'ssd', zone: 'a' });
    expect(patched('Pod', { spec: {} }, { spec: { nodeSelector: { $patch: 'delete' } } })).toEqual({ spec: {} });
    expect(patched('Pod', { a: 1 }, { $patch: 'replace', b: 2 })).toEqual({ b: 2 });
  });

  it('merges __proto__ and dotted keys as ordinary keys', () => {
    const out = patched('Pod', { metadata: { labels: {} } }, JSON.parse('{"metadata":{"labels":{"__proto__":"x","app.kubernetes.io/name":"y"}}}'));
    expect(Object.keys(out.metadata.labels)).toEqual(['__proto__', 'app.kubernetes.io/name']);
    expect(Object.getPrototypeOf(out.metadata.labels)).toBe(Object.prototype);
  });
});

describe('applyStrategicMergePatch: refusals', () => {
  it.each([
    [{ spec: { $patch: 'frob' } }, '/spec: unknown $patch directive "frob"'],
    [{ spec: { '$setElementOrdr/containers': [] } }, '/spec: unknown directive "$setElementOrdr/containers"'],
    [{ spec: { $foo: 1 } }, '/spec: unknown directive "$foo"'],
    [{ spec: { '$setElementOrder/': [] } }, '/spec: unknown directive "$setElementOrder/"'],
    [{ spec: { containers: [{ image: 'x' }] } }, '/spec/containers/0: missing merge key "name"'],
    [{ spec: { containers: ['x'] } }, '/spec/containers/0: a list merged by "name" holds objects only'],
    [{ spec: { containers: [{ name: 'a', $patch: 'frob' }] } }, '/spec/containers/0: unknown $patch directive "frob"'],
    [{ metadata: { finalizers: [{ a: 1 }] } }, '/metadata/finalizers/0: a list without a merge key can only merge primitives'],
    [{ spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b' }] } }, /not in \$setElementOrder/],
    [{ spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b' }, { name: 'a' }] } }, /not in \$setElementOrder/],
    [{ spec: { '$setElementOrder/containers': [{ image: 'a' }] } }, '/spec/$setElementOrder~1containers/0: missing merge key "name"'],
    [{ spec: { '$setElementOrder/containers': 'a' } }, '/spec/$setElementOrder~1containers: must be a list'],
    [{ spec: { $retainKeys: ['a'], b: 1 } }, '/spec: the patch sets "b", which $retainKeys does not list'],
    [{ spec: { $retainKeys: 'a' } }, '/spec: $retainKeys must be a list of field names'],
    [{ metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, '/metadata: $deleteFromPrimitiveList/finalizers must be a list of primitives'],
  ])('refuses %j', (patch, message) => {
    const err = rejection('Pod', { spec: { containers: [{ name: 'a' }] } }, patch);
    expect(err.message).toMatch(message);
    expect(err.malformed).toBe(true);
  });

  it('refuses a patch or a document that is not an object', () => {
    expect(() => applyStrategicMergePatch({}, [], {})).toThrow('a strategic merge patch must be a JSON object');
    expect(() => applyStrategicMergePatch([], {}, {})).toThrow(PatchError);
  });
});

describe('applyStrategicMergePatch: properties', () => {
  const key = fc.oneof(fc.constantFrom('a', 'b', 'c', 'spec', 'metadata', 'labels'), fc.string({ maxLength: 3 }).filter((k) => !k.startsWith('$')));
  const normal = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
  const { object: listless } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null), tie('object')),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  }));
  const doc = listless.map(normal);
  const tables: PatchStrategy[] = [{}, strategyFor('Deployment'), strategyFor('Pod')];

  test.prop([doc, doc, fc.constantFrom(...tables)])('on documents without lists, it is a JSON merge patch', (d, p, table) => {
    expect(applyStrategicMergePatch(frozen(d), frozen(p), table)).toEqual(applyMergePatch(d, p));
  });

  // Random patches over a pod, directives included: applied or refused, never a crash, a change
  // to an input, or a directive left in the result.
  const names = fc.constantFrom('a', 'b', 'c');
  const container = fc.record(
    {
      name: names,
      image: fc.constantFrom('x', 'y'),
      env: fc.array(fc.record({ name: names, value: fc.constantFrom('1', '2') }, { requiredKeys: ['name'] }), { maxLength: 3 }),
      $patch: fc.constantFrom('delete', 'merge', 'replace'),
    },
    { requiredKeys: ['name'] },
  );
  const podSpec = fc.record(
    {
      containers: fc.array(container, { maxLength: 3 }),
      '$setElementOrder/containers': fc.array(fc.record({ name: names }), { maxLength: 3 }),
      nodeSelector: fc.option(fc.dictionary(names, fc.option(fc.constantFrom('x', 'y'))), { nil: null }),
      $retainKeys: fc.constant(['containers', 'nodeSelector']),
    },
    { requiredKeys: [] },
  );
  const pod = fc.record({ metadata: fc.record({ finalizers: fc.array(names, { maxLength: 3 }) }), spec: podSpec }).map(normal);
  const patch = fc
    .record(
      {
        metadata: fc.record({ finalizers: fc.array(names, { maxLength: 2 }), '$deleteFromPrimitiveList/finalizers': fc.array(names, { maxLength: 2 }) }, { requiredKeys: [] }),
        spec: podSpec,
      },
      { requiredKeys: [] },
    )
    .map(normal);

  function directives(value: unknown): string[] {
    if (Array.isArray(value)) return value.flatMap(directives);
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => [...(k.startsWith('$') ? [k] : []), ...directives(v)]);
  }

  test.prop([pod, patch])('never modifies its inputs and never stores a directive', (p, q) => {
    const clean = JSON.parse(JSON.stringify(p), (k, v) => (k.startsWith('$') ? undefined : v)) as unknown;
    try {
      expect(directives(applyStrategicMergePatch(frozen(clean), frozen(q), strategyFor('Pod')))).toEqual([]);
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
    }
  });
});
