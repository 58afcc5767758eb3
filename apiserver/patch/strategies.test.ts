import { describe, expect, it } from 'vitest';
import { compileStrategy } from './patch-strategy.js';
import { strategies, strategyFor } from './strategies.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

describe('strategies', () => {
  it('answers the doc examples', () => {
    expect(strategies['Deployment']?.['spec.template.spec.containers[].env']).toEqual({ kind: 'merge', mergeKey: 'name' });
    expect(strategies['Node']?.['spec.taints']).toEqual({ kind: 'replace' });
    expect(strategyFor('ConfigMap')['metadata.finalizers']).toEqual({ kind: 'merge' });
  });

  it('carries upstream tags for the fields kubectl patches', () => {
    const pod = strategyFor('Pod');
    expect(pod).toMatchObject({
      'spec.containers': { kind: 'merge', mergeKey: 'name' },
      'spec.initContainers': { kind: 'merge', mergeKey: 'name' },
      'spec.containers[].env': { kind: 'merge', mergeKey: 'name' },
      'spec.containers[].envFrom': { kind: 'replace' },
      'spec.containers[].ports': { kind: 'merge', mergeKey: 'containerPort' },
      'spec.containers[].volumeMounts': { kind: 'merge', mergeKey: 'mountPath' },
      'spec.initContainers[].env': { kind: 'merge', mergeKey: 'name' },
      'spec.volumes': { kind: 'merge', mergeKey: 'name', retainKeys: true },
      'spec.tolerations': { kind: 'replace' },
      'spec.imagePullSecrets': { kind: 'merge', mergeKey: 'name' },
      'spec.nodeSelector': { kind: 'merge' },
      'metadata.ownerReferences': { kind: 'merge', mergeKey: 'uid' },
      'metadata.finalizers': { kind: 'merge' },
      'metadata.labels': { kind: 'merge' },
      'metadata.annotations': { kind: 'merge' },
      'status.conditions': { kind: 'merge', mergeKey: 'type' },
    });
    expect(strategyFor('Deployment')['spec.strategy']).toEqual({ kind: 'merge', retainKeys: true });
    expect(strategyFor('Service')['spec.ports']).toEqual({ kind: 'merge', mergeKey: 'port' });
    expect(strategyFor('Endpoints')['subsets']).toEqual({ kind: 'replace' });
    for (const kind of ['Pod', 'Node', 'Deployment', 'ReplicaSet']) {
      expect(strategyFor(kind)['status.conditions']).toEqual({ kind: 'merge', mergeKey: 'type' });
    }
  });

  it('gives a Deployment and a ReplicaSet the same pod template rules as a Pod', () => {
    const pod = Object.entries(strategyFor('Pod')).filter(([path]) => path.startsWith('spec.'));
    for (const kind of ['Deployment', 'ReplicaSet']) {
      for (const [path, strategy] of pod) expect(strategyFor(kind)[`spec.template.${path}`]).toEqual(strategy);
      expect(strategyFor(kind)['spec.template.metadata.labels']).toEqual({ kind: 'merge' });
    }
  });

  it('gives every kind the metadata rules, and compiles every table', () => {
    for (const [kind, table] of Object.entries(strategies)) {
      expect(table['metadata.ownerReferences'], kind).toEqual({ kind: 'merge', mergeKey: 'uid' });
      expect(() => compileStrategy(table)).not.toThrow();
    }
    expect(strategyFor('toString')).toBe(strategyFor('Lease'));
  });

  it('replaces Node taints: one key may carry taints of several effects', () => {
    const node = { spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoExecute' }] } };
    // `kubectl taint node n dedicated:NoExecute-` sends the taints that remain.
    const patch = { spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] } };
    expect(applyStrategicMergePatch(node, patch, strategyFor('Node'))).toEqual(patch);
  });
});
