import { ApiClientError, isAlreadyExists } from '../../api/client.js';
import { keyOf } from '../../api/informer.js';
import { resolveResource } from '../../api/resources.js';
import type { Namespace } from '../../api/schemas/cluster.js';
import type { ServiceAccount } from '../../api/schemas/service-account.js';
import { controllerLoop, type Controller, type ControllerContext } from '../controller.js';
import { DEFAULT_ACCOUNT, planServiceAccounts } from './plan.js';

const accountsType = resolveResource('serviceaccounts')!;

/**
 * The service account controller (kube-controller-manager's `serviceaccount`): every namespace
 * has a ServiceAccount named `default`, made when the namespace appears and again if someone
 * deletes it. Keys are namespace names.
 */
export function serviceAccountController(ctx: ControllerContext): Controller {
  const namespaces = ctx.informers.for<Namespace>('namespaces');
  const accounts = ctx.informers.for<ServiceAccount>('serviceaccounts');
  const loop = controllerLoop(ctx, 'serviceaccount', (key) => reconcile(key), 1);

  namespaces.on({ add: (ns) => loop.enqueue(keyOf(ns)), update: (_, ns) => loop.enqueue(keyOf(ns)) });
  accounts.on({
    delete: (a) => {
      if (a.metadata?.name === DEFAULT_ACCOUNT && a.metadata.namespace) loop.enqueue(a.metadata.namespace);
    },
  });

  async function reconcile(ns: string): Promise<void> {
    const present = accounts.get(`${ns}/${DEFAULT_ACCOUNT}`);
    for (const account of planServiceAccounts(namespaces.get(ns), present ? [present] : [])) {
      try {
        await ctx.client.create(accountsType, ns, account);
      } catch (err) {
        // Made meanwhile, or the namespace began to go: either way there is nothing left to do.
        if (isAlreadyExists(err) || (err instanceof ApiClientError && err.code === 403)) continue;
        throw err;
      }
    }
  }

  return { name: 'serviceaccount', start: () => loop.start(), stop: () => loop.stop() };
}
