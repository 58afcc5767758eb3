import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface UpConfig {
  dataDir: string;
  storePort: number;
  apiserverPort: number;
  schedulerPort: number;
  controllerManagerPort: number;
  kubeletPort: number;
  nodes: number;
  speed: number;
}

const MINIK = fileURLToPath(new URL('./minik.js', import.meta.url));

interface Component {
  name: string;
  args: string[];
  readyUrl: string;
  address: string;
}

/**
 * `minik up`: starts each component as its own child process, waits until each is ready, prints
 * where it is, and stops them all on Ctrl-C or SIGTERM: the store, the API server, the controller
 * manager, the scheduler and the node simulator.
 */
export async function runUp(config: UpConfig): Promise<void> {
  const dataDir = resolve(config.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const components: Component[] = [
    {
      name: 'store',
      args: ['store', '--port', String(config.storePort), '--data-dir', join(dataDir, 'store')],
      readyUrl: `http://127.0.0.1:${config.storePort}/readyz`,
      address: `http://127.0.0.1:${config.storePort}`,
    },
    {
      name: 'apiserver',
      args: ['apiserver', '--port', String(config.apiserverPort), '--store', `http://127.0.0.1:${config.storePort}`],
      readyUrl: `http://127.0.0.1:${config.apiserverPort}/readyz`,
      address: `http://127.0.0.1:${config.apiserverPort}`,
    },
    {
      name: 'controller-manager',
      args: [
        'controller-manager',
        '--port', String(config.controllerManagerPort),
        '--server', `http://127.0.0.1:${config.apiserverPort}`,
        '--speed', String(config.speed),
      ],
      readyUrl: `http://127.0.0.1:${config.controllerManagerPort}/readyz`,
      address: `http://127.0.0.1:${config.controllerManagerPort}`,
    },
    {
      name: 'scheduler',
      args: ['scheduler', '--port', String(config.schedulerPort), '--server', `http://127.0.0.1:${config.apiserverPort}`],
      readyUrl: `http://127.0.0.1:${config.schedulerPort}/readyz`,
      address: `http://127.0.0.1:${config.schedulerPort}`,
    },
    {
      name: 'kubelet-sim',
      args: [
        'kubelet-sim',
        '--port', String(config.kubeletPort),
        '--server', `http://127.0.0.1:${config.apiserverPort}`,
        '--nodes', String(config.nodes),
        '--speed', String(config.speed),
      ],
      readyUrl: `http://127.0.0.1:${config.kubeletPort}/readyz`,
      address: `http://127.0.0.1:${config.kubeletPort}`,
    },
  ];

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) c.kill('SIGTERM');
    Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.once('exit', r))))).then(() =>
      process.exit(code),
    );
  };
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));

  for (const c of components) {
    const logFile = join(logDir, `${c.name}.log`);
    const out = openSync(logFile, 'a');
    const child = spawn(process.execPath, [MINIK, ...c.args], { stdio: ['ignore', out, 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => {
      if (stopping) return;
      const why = stderr.trim().split('\n').pop() || `exited with code ${code}; see ${logFile}`;
      process.stderr.write(`minik: the ${c.name} stopped: ${why}\n`);
      stopAll(1);
    });
    await waitReady(c, child);
    process.stdout.write(`${c.name.padEnd(20)} ${c.address.padEnd(28)} pid ${child.pid}   logs ${logFile}\n`);
  }
  process.stdout.write(
    [
      `minik is up: the store, the API server, the controller manager, the scheduler and ${config.nodes} simulated nodes.`,
      `Try: kubectl --server http://127.0.0.1:${config.apiserverPort} get namespaces`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
}

async function waitReady(c: Component, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    // The child's exit handler reports why and stops everything; one message is enough.
    if (child.exitCode !== null) return new Promise<never>(() => {});
    try {
      const res = await fetch(c.readyUrl);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the ${c.name} was not ready within 15 s; see its log`);
}
