import type { Namespace } from '../../api/schemas/cluster.js';
import type { ServiceAccount } from '../../api/schemas/service-account.js';

/** The account every namespace has, that pods run as unless they name another. */
export const DEFAULT_ACCOUNT = 'default';

/**
 * What the service account controller does for one namespace: an active namespace without a
 * `default` ServiceAccount gets one; a namespace that is going, or gone, gets nothing.
 *
 *   planServiceAccounts(demo (Active), [])           = [{ metadata: { name: 'default', namespace: 'demo' } }]
 *   planServiceAccounts(demo (Active), [default])    = []
 *   planServiceAccounts(demo (Terminating), [])      = []
 */
export function planServiceAccounts(ns: Readonly<Namespace> | undefined, accounts: readonly Readonly<ServiceAccount>[]): ServiceAccount[] {
  if (!ns || ns.metadata?.deletionTimestamp || ns.status?.phase === 'Terminating') return [];
  const name = ns.metadata?.name ?? '';
  if (accounts.some((a) => a.metadata?.namespace === name && a.metadata?.name === DEFAULT_ACCOUNT)) return [];
  return [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_ACCOUNT, namespace: name } }];
}
