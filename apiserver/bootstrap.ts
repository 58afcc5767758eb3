import type { Clock } from '../api/clock.js';
import { RESOURCES } from '../api/resources.js';
import { ApiError } from './errors.js';
import type { Registry } from './registry.js';

/** The namespaces every cluster has from the start. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Creates what is missing of the system namespaces; safe to run at every start. */
export async function ensureSystemNamespaces(registry: Registry, _clock?: Clock): Promise<void> {
  const namespaces = RESOURCES.find((r) => r.kind === 'Namespace')!;
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await registry.create(namespaces, undefined, { metadata: { name } });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
  }
}
