import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/** A cluster whose one controller loops forever, in synchronous code, once it sees a Deployment. */
const SCRIPT = `
import { SimCluster } from '${dist}sim/cluster.js';
import { resolveResource } from '${dist}api/resources.js';
const looping = new Map([['looper', (ctx) => {
  ctx.informers.for('deployments').on({ add: () => { for (;;) {} } });
  return { name: 'looper', start() {}, stop: async () => {} };
}]]);
const sim = await SimCluster.start({ seed: 4, nodes: 1, controllers: looping, label: 'replay: MINIK_SIM_SEED=4 MINIK_SIM_PATH=0' });
await sim.client.create(resolveResource('deployments'), 'default', {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'app:1' }] } } },
});
await sim.advance(10_000);
console.log('the loop ended?');
`;

describe('the simulated cluster stuck in a synchronous endless loop', () => {
  it('ends the process with the replay label and the trace instead of hanging', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { env: { ...process.env, MINIK_SIM_STUCK_MS: '1500' } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    expect(ended.signal, stderr).toBe('SIGKILL');
    expect(stdout).not.toContain('the loop ended?');
    expect(stderr).toContain('without a break (a planner or handler in an endless loop?)');
    expect(stderr).toContain('cluster seed 4; replay: MINIK_SIM_SEED=4 MINIK_SIM_PATH=0');
    expect(stderr).toMatch(/--- last lines of the trace ---\n[\s\S]*kubelet create nodes node-1 rv=\d+/);
  });
});
