import { describe, expect, it } from 'vitest';
import { evictionFor, planDrain } from './drain.js';

const pod = (name: string, extra: { owner?: string; emptyDir?: boolean; phase?: string; mirror?: boolean } = {}) => ({
  metadata: {
    name,
    namespace: 'default',
    ...(extra.owner ? { ownerReferences: [{ kind: extra.owner, name: 'x', controller: true }] } : {}),
    ...(extra.mirror ? { annotations: { 'kubernetes.io/config.mirror': 'abc' } } : {}),
  },
  spec: { volumes: extra.emptyDir ? [{ name: 'scratch', emptyDir: {} }] : [] },
  status: { phase: extra.phase ?? 'Running' },
});

describe('planDrain', () => {
  it('evicts pods a controller owns, and finished pods whatever they are; leaves mirror pods', () => {
    const plan = planDrain([pod('web-1', { owner: 'ReplicaSet' }), pod('done', { phase: 'Succeeded' }), pod('static', { mirror: true })], {});
    expect(plan.evict.map((p) => p.metadata.name)).toEqual(['web-1', 'done']);
    expect(plan.errors).toEqual([]);
  });

  it("refuses unmanaged, emptyDir and DaemonSet pods in kubectl's words, evicting nothing", () => {
    const plan = planDrain([pod('web-1', { owner: 'ReplicaSet' }), pod('solo'), pod('cache', { owner: 'ReplicaSet', emptyDir: true }), pod('agent', { owner: 'DaemonSet' })], {});
    expect(plan.evict).toEqual([]);
    expect(plan.errors).toEqual([
      'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent',
      'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache',
      'cannot delete Pods that declare no controller (use --force to override): default/solo',
    ]);
  });

  it('goes ahead with the flags, warning about what it does', () => {
    const plan = planDrain([pod('solo'), pod('cache', { owner: 'ReplicaSet', emptyDir: true }), pod('agent', { owner: 'DaemonSet' })], { force: true, deleteEmptydirData: true, ignoreDaemonsets: true });
    expect(plan.evict.map((p) => p.metadata.name)).toEqual(['solo', 'cache']);
    expect(plan.warnings).toEqual(['ignoring DaemonSet-managed Pods: default/agent', 'deleting Pods with local storage: default/cache', 'deleting Pods that declare no controller: default/solo']);
  });
});

describe('evictionFor', () => {
  it('carries the grace period only when one is given', () => {
    expect(evictionFor(pod('a'), -1)).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'a', namespace: 'default' } });
    expect(evictionFor(pod('a'), 0).deleteOptions).toEqual({ gracePeriodSeconds: 0 });
  });
});
