import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Namespace } from '../../api/schemas/cluster.js';
import type { ServiceAccount } from '../../api/schemas/service-account.js';
import { planServiceAccounts } from './plan.js';

const ns = (name: string, terminating = false): Namespace => ({
  metadata: { name, ...(terminating ? { deletionTimestamp: '2026-11-21T10:00:00Z' } : {}) },
  status: { phase: terminating ? 'Terminating' : 'Active' },
});
const sa = (namespace: string, name: string): ServiceAccount => ({ metadata: { name, namespace } });

describe('planServiceAccounts', () => {
  it('gives an active namespace without one its default account, and nothing else', () => {
    expect(planServiceAccounts(ns('demo'), [])).toEqual([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'demo' } }]);
    expect(planServiceAccounts(ns('demo'), [sa('demo', 'default')])).toEqual([]);
    expect(planServiceAccounts(ns('demo', true), [])).toEqual([]);
    expect(planServiceAccounts(undefined, [])).toEqual([]);
  });

  it('once its plan is applied, plans nothing more; only a default in the same namespace counts', () => {
    fc.assert(
      fc.property(fc.constantFrom('a', 'b'), fc.boolean(), fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('default', 'builder'))), (name, terminating, existing) => {
        const accounts = existing.map(([n, a]) => sa(n, a));
        const plan = planServiceAccounts(ns(name, terminating), accounts);
        const has = accounts.some((a) => a.metadata!.namespace === name && a.metadata!.name === 'default');
        expect(plan.length).toBe(!terminating && !has ? 1 : 0);
        expect(planServiceAccounts(ns(name, terminating), [...accounts, ...plan])).toEqual([]);
      }),
    );
  });
});
