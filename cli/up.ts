import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeClusterState, writeClusterState, type ClusterState } from './cluster-state.js';
import { createControlApp } from './control-server.js';
import { loadKubeconfig } from './ctl/kubeconfig.js';
import { MINIK_CONTEXT, writeMinikKubeconfig } from './kubeconfig-file.js';
import { preflight } from './preflight.js';
import { Supervisor } from './supervisor.js';
import { checkUpConfig, componentSpecs, type UpConfig } from './up-config.js';

export type { UpConfig } from './up-config.js';

const MINIK = fileURLToPath(new URL('./minik.js', import.meta.url));

/**
 * `minik up`: checks that the cluster can start here (ports free, no cluster already on this data
 * dir, the external store reachable), starts every component as its own child process at once
 * (each waits for what it needs), writes the kubeconfig once all are ready, and prints where each
 * is. It then supervises them until Ctrl-C, SIGTERM or `minik down`:
 *
 *   store                http://127.0.0.1:2379        pid 4243   logs .minik/logs/store.log
 *   apiserver            http://127.0.0.1:6443        pid 4244   logs .minik/logs/apiserver.log
 *   ...
 *   dashboard            http://127.0.0.1:6443/ui/
 *   kubeconfig           /home/ada/.minik/config (context minik)
 *
 * `minik stop|start COMPONENT` from another shell reach it through the control endpoint recorded
 * in `<data-dir>/cluster.json`; a component stopped that way is not a failure. A component that
 * exits on its own brings the whole cluster down with one line naming it and its last words, as
 * a failing start does: a half-running cluster would teach the wrong lesson silently.
 */
export async function runUp(config: UpConfig): Promise<void> {
  const began = Date.now();
  const dataDir = resolve(config.dataDir);
  const kubeconfig = resolve(config.kubeconfig);
  const bad = checkUpConfig(config);
  if (bad) throw new Error(bad);
  const specs = componentSpecs(config, join(dataDir, 'store'));
  const refusal = (await preflight(dataDir, specs)) ?? (config.store ? await unreachableStore(config.store) : undefined);
  if (refusal) throw new Error(refusal);
  // A kubeconfig kubectl could not read is refused now, not after everything has started.
  loadKubeconfig(kubeconfig);

  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const apiUrl = `http://127.0.0.1:${config.apiserverPort}`;
  const token = randomBytes(16).toString('hex');
  let control = { url: '', token };
  let shuttingDown = false;

  const supervisor: Supervisor = new Supervisor({
    specs,
    logDir,
    command: [process.execPath, MINIK],
    onUnexpectedExit: (name, reason) => {
      // Once shutting down, the one line said is why: a component's exit then is no news.
      if (shuttingDown) return;
      process.stderr.write(`minik: the ${name} stopped: ${reason}\n`);
      void shutdown(1);
    },
    onChange: () => record(),
  });
  const record = () => {
    if (shuttingDown || !control.url) return;
    const external = config.store ? [{ name: 'store' as const, status: 'external' as const, address: config.store, args: [] }] : [];
    const state: ClusterState = {
      supervisorPid: process.pid,
      control,
      dataDir,
      kubeconfig,
      dashboard: `${apiUrl}/ui/`,
      components: [...external, ...supervisor.components()],
    };
    writeClusterState(dataDir, state);
  };

  const server = createServer(createControlApp({ supervisor, token, down: () => void shutdown(0) }));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const { port } = server.address() as { port: number };
  control = { url: `http://127.0.0.1:${port}`, token };
  record();

  async function shutdown(code: number): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    await supervisor.stopAll();
    removeClusterState(dataDir);
    server.close();
    process.exit(code);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));

  try {
    await supervisor.startAll();
    writeMinikKubeconfig(kubeconfig, apiUrl);
  } catch (err) {
    // Nothing stays running after a failed start; the caller prints the one line.
    shuttingDown = true;
    await supervisor.stopAll(2000);
    removeClusterState(dataDir);
    server.close();
    const spec = specs.find((s) => (err as Error).message.startsWith(`the ${s.name} `));
    // The component names its own --port; here the flag to change is up's.
    throw new Error(spec ? (err as Error).message.replace(/another --port\b/, `another ${spec.portFlag}`) : `cannot write the kubeconfig: ${(err as Error).message}`);
  }
  if (shuttingDown) return;

  const row = (name: string, address: string, rest = '') => `${name.padEnd(20)} ${address.padEnd(28)} ${rest}`.trimEnd();
  const lines: string[] = [];
  if (config.store) lines.push(row('store', config.store, 'external'));
  for (const c of supervisor.components()) lines.push(row(c.name, c.address, `pid ${c.pid}   logs ${c.log}`));
  lines.push(
    row('dashboard', `${apiUrl}/ui/`),
    row('kubeconfig', `${kubeconfig} (context ${MINIK_CONTEXT})`),
    '',
    `minik is up in ${((Date.now() - began) / 1000).toFixed(1)} s: the ${config.store ? 'API server on an external store' : 'store, the API server'}, the controller manager, the scheduler and ${config.nodes} simulated nodes.`,
    `Try: KUBECONFIG=${kubeconfig} kubectl get nodes`,
    `From another shell: minik status, minik stop|start COMPONENT, minik down${dataDirFlag(config.dataDir)}. Ctrl-C stops it.`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}

/** ` --data-dir X` when X is not the default, so the hint works when pasted. */
function dataDirFlag(dataDir: string): string {
  return dataDir === '.minik' ? '' : ` (with --data-dir ${dataDir})`;
}

/** The reason no endpoint of an external store answers, or undefined if one does. */
async function unreachableStore(store: string): Promise<string | undefined> {
  const urls = store.split(',').map((u) => u.trim());
  for (const url of urls) {
    try {
      await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
      return undefined;
    } catch {
      // Try the next endpoint.
    }
  }
  return `no store answers at ${store} (--store): start it, or leave --store out and minik runs its own`;
}
