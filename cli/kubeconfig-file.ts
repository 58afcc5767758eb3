import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig, saveKubeconfig, type Kubeconfig } from './ctl/kubeconfig.js';

/** The name of the cluster, the user and the context `minik up` writes. */
export const MINIK_CONTEXT = 'minik';

/** `~/.minik/config`: where `minik up` writes by default, and where minikctl looks first after KUBECONFIG. */
export function defaultKubeconfigPath(home: string = homedir()): string {
  return join(home, '.minik', 'config');
}

/**
 * The kubeconfig with minik's cluster, user and context set to `server` and made current; every
 * other entry is kept as it was (kubectl's own `config set-cluster` / `set-context` behave so).
 *
 *   withMinikContext({ contexts: [{ name: 'lab', context: { cluster: 'lab' } }] }, 'http://127.0.0.1:6443')
 *     // contexts: lab and minik; clusters: minik (server http://127.0.0.1:6443); current-context: minik
 */
export function withMinikContext(config: Kubeconfig, server: string): Kubeconfig {
  const put = <T extends { name: string }>(list: T[] | undefined, entry: T): T[] => [...(list ?? []).filter((e) => e.name !== entry.name), entry];
  const oldCluster = config.clusters?.find((c) => c.name === MINIK_CONTEXT)?.cluster ?? {};
  const oldContext = config.contexts?.find((c) => c.name === MINIK_CONTEXT)?.context ?? {};
  return {
    ...config,
    apiVersion: 'v1',
    kind: 'Config',
    // A namespace chosen earlier with `set-context --current --namespace` survives a restart.
    clusters: put(config.clusters, { name: MINIK_CONTEXT, cluster: { ...oldCluster, server } }),
    users: put(config.users, { name: MINIK_CONTEXT, user: config.users?.find((u) => u.name === MINIK_CONTEXT)?.user ?? {} }),
    contexts: put(config.contexts, { name: MINIK_CONTEXT, context: { namespace: 'default', ...oldContext, cluster: MINIK_CONTEXT, user: MINIK_CONTEXT } }),
    'current-context': MINIK_CONTEXT,
  };
}

/**
 * The kubeconfig without minik's cluster, user and context (`minik down --purge`); the current
 * context is unset only if it was minik's.
 */
export function withoutMinikContext(config: Kubeconfig): Kubeconfig {
  const drop = <T extends { name: string }>(list: T[] | undefined) => list?.filter((e) => e.name !== MINIK_CONTEXT);
  const out: Kubeconfig = { ...config, clusters: drop(config.clusters) ?? [], users: drop(config.users) ?? [], contexts: drop(config.contexts) ?? [] };
  if (out['current-context'] === MINIK_CONTEXT) delete out['current-context'];
  return out;
}

/** Merges minik's context into the file at `path` (created if absent, mode 0600). */
export function writeMinikKubeconfig(path: string, server: string): void {
  const { config } = loadKubeconfig(path);
  saveKubeconfig({ path, config: withMinikContext(config, server) });
}

/** Removes minik's entries from the file at `path`, if it exists. */
export function removeMinikKubeconfig(path: string): void {
  const loaded = loadKubeconfig(path);
  if (Object.keys(loaded.config).length === 0) return;
  saveKubeconfig({ path, config: withoutMinikContext(loaded.config) });
}
