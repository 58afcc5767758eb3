#!/usr/bin/env node

/** `bench NAME [options]`: runs one benchmark of minik's components. */

/** Loaded only when chosen, so that one benchmark's imports and side effects cost the others nothing. */
const BENCHMARKS = new Map<string, () => Promise<{ run(args: string[]): Promise<void> }>>([
  ['store', () => import('./store.js')],
  ['apiserver', () => import('./apiserver.js')],
  ['nodes', () => import('./nodes.js')],
  ['scheduler', () => import('./scheduler.js')],
  ['dashboard', () => import('./dashboard.js')],
  ['rollout', () => import('./rollout.js')],
  ['sim', () => import('./sim.js')],
  ['up', () => import('./up.js')],
]);

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHMARKS.get(name);
if (!load) {
  const known = [...BENCHMARKS.keys()].join(', ');
  process.stderr.write(`bench: ${name === undefined ? 'no benchmark named' : `unknown benchmark "${name}"`}; known: ${known}\n`);
  process.exit(2);
}
try {
  await (await load()).run(args);
} catch (err) {
  process.stderr.write(`bench ${name}: ${(err as Error)?.message ?? String(err)}\n`);
  process.exitCode = 1;
}
