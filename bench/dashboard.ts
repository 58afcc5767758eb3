import { existsSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { startMinikApiServer, startMinikComponent, startMinikStore, type ServerProcess } from './_processes.js';
import { nowMs, summarise, type Summary } from './_stats.js';
import { renderTable } from './_table.js';
import { pool } from './_watch-count.js';

/**
 * `npm run bench -- dashboard [--nodes 100] [--pods 2000]`: the class dashboard open in Chromium on
 * a cluster of 100 simulated nodes while a Deployment of 2,000 replicas rolls out, then under a
 * burst of 2,000 pod changes. Figures: the page's frame times while the pods arrive, how long the
 * page takes to apply and paint a burst injected straight into it (no network), and how far behind
 * the API the page is when 2,000 pods are patched through it. Reference, in the same run: the time
 * the API server takes to accept those 2,000 patches.
 */

// The functions given to page.evaluate run in the browser; these name its globals for the compiler,
// which is not given the DOM library for the rest of the code base.
declare const window: unknown;
declare const document: { querySelectorAll(selector: string): { length: number } };
declare function requestAnimationFrame(fn: (t: number) => void): number;

const CHROMIUM = '/usr/bin/chromium';
const TARGET_FRAME_P99_MS = 50;
const TARGET_BURST_MS = 1000;

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} wants a positive integer`);
  return v;
}

async function call(api: string, method: string, path: string, body: unknown, type = 'application/json'): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${api}${path}`, { method, headers: { 'Content-Type': type }, body: JSON.stringify(body) });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new Error(`${method} ${path}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
  }
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Starts recording the interval between animation frames, in the page. */
function recordFrames(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as { frames_: number[] };
    w.frames_ = [];
    let last = performance.now();
    const tick = (t: number) => {
      w.frames_.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function takeFrames(page: Page): Promise<Summary> {
  const frames = await page.evaluate(() => {
    const w = window as unknown as { frames_: number[] };
    const out = w.frames_;
    w.frames_ = [];
    return out;
  });
  return summarise(frames);
}

/** Pod chips in the page whose pod is Ready and on a node box. */
const readyChips = (page: Page) => page.evaluate(() => document.querySelectorAll('#nodes .chip[data-state="Ready"]:not(.leaving)').length);

/**
 * The synthetic burst: every pod the page knows, marked Terminating, applied as watch events in one
 * go; timed until the frame after the board was redrawn, so layout and paint are in.
 */
function injectBurst(page: Page): Promise<{ ms: number; changed: number }> {
  return page.evaluate(async () => {
    const d = (window as unknown as { minikDashboard: { model: { all(k: string): Map<string, any>; apply(k: string, t: string, o: unknown): void }; frame(): void } }).minikDashboard;
    const pods = [...d.model.all('pods').values()];
    const t0 = performance.now();
    for (const p of pods) d.model.apply('pods', 'MODIFIED', { ...p, metadata: { ...p.metadata, deletionTimestamp: new Date().toISOString() } });
    d.frame();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const ms = performance.now() - t0;
    const changed = document.querySelectorAll('.chip[data-state="Terminating"]').length;
    // Put things back as the API has them.
    for (const p of pods) d.model.apply('pods', 'MODIFIED', p);
    d.frame();
    return { ms, changed };
  });
}

export async function run(args: string[]): Promise<void> {
  const nodeCount = flag(args, 'nodes', 100);
  const podCount = flag(args, 'pods', 2000);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's package \`chromium\``);
  const started: ServerProcess[] = [];
  const store = await startMinikStore();
  started.push(store);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const api = await startMinikApiServer(store.endpoint);
    started.push(api);
    // The controllers and the scheduler first, while their caches are empty and sync at once.
    started.push(await startMinikComponent('controller-manager', api.endpoint, ['--no-leader-elect', '--speed', '10']));
    started.push(await startMinikComponent('scheduler', api.endpoint));
    started.push(await startMinikComponent('kubelet-sim', api.endpoint, ['--nodes', String(nodeCount), '--speed', '10']));

    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${api.endpoint}/ui/`);
    await page.waitForFunction((n) => document.querySelectorAll('#nodes .node').length >= n, nodeCount, { timeout: 60_000 });

    // The rollout: 2,000 pods arrive, are scheduled, created and become Ready while the page watches.
    await recordFrames(page);
    const t0 = nowMs();
    await call(api.endpoint, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'bench' },
      spec: {
        replicas: podCount,
        selector: { matchLabels: { app: 'bench' } },
        template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
      },
    });
    await page.waitForFunction((n) => document.querySelectorAll('#nodes .chip[data-state="Ready"]:not(.leaving)').length >= n, podCount, {
      timeout: 300_000,
      polling: 250,
    });
    const rolloutS = (nowMs() - t0) / 1000;
    process.stderr.write(`bench dashboard: ${podCount} pods Ready on the board after ${rolloutS.toFixed(1)} s\n`);
    const rolloutFrames = await takeFrames(page);
    const stats = await page.evaluate(() => (window as unknown as { minikDashboard: { stats: { maxRenderMs: number; frames: number } } }).minikDashboard.stats);

    // The synthetic burst, three times: the page's own cost, without the network.
    const bursts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const b = await injectBurst(page);
      if (b.changed < podCount) throw new Error(`the burst changed ${b.changed} chips, not ${podCount}`);
      bursts.push(b.ms);
      await page.waitForTimeout(500);
    }

    // The real burst: 2,000 pods patched through the API, the page following over its watches.
    const names = await page.evaluate(() =>
      [...(window as unknown as { minikDashboard: { model: { all(k: string): Map<string, any> } } }).minikDashboard.model.all('pods').values()].map(
        (p) => p.metadata.name as string,
      ),
    );
    const appliedBefore = await page.evaluate(() => (window as unknown as { minikDashboard: { model: { applied: number } } }).minikDashboard.model.applied);
    await recordFrames(page);
    const t1 = nowMs();
    await pool(names.length, 64, async (i) =>
      call(api.endpoint, 'PATCH', `/api/v1/namespaces/default/pods/${names[i]}`, { metadata: { annotations: { 'bench/touched': String(t1) } } }, 'application/merge-patch+json'),
    );
    const apiMs = nowMs() - t1;
    await page.waitForFunction(
      ([before, n]) => (window as unknown as { minikDashboard: { model: { applied: number } } }).minikDashboard.model.applied >= before! + n!,
      [appliedBefore, names.length],
      { timeout: 60_000, polling: 'raf' },
    );
    const pageMs = nowMs() - t1;
    const burstFrames = await takeFrames(page);
    const chips = await readyChips(page);

    const burst = summarise(bursts);
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const lines = renderTable(
      ['figure', 'dashboard', 'reference', 'target'],
      [
        ['rollout: pods Ready on the board', `${podCount} in ${rolloutS.toFixed(1)} s`, '', ''],
        ['  frame interval p50 / p99 / max (ms)', `${rolloutFrames.p50.toFixed(0)} / ${rolloutFrames.p99.toFixed(0)} / ${rolloutFrames.max.toFixed(0)}`, '', `p99 < ${TARGET_FRAME_P99_MS}: ${met(rolloutFrames.p99 < TARGET_FRAME_P99_MS)}`],
        ['  longest render (ms)', stats.maxRenderMs.toFixed(0), '', ''],
        [`burst of ${podCount} changes, applied + painted (ms, best / worst of 3)`, `${burst.p50 === burst.max ? burst.max.toFixed(0) : `${Math.min(...bursts).toFixed(0)} / ${burst.max.toFixed(0)}`}`, '', `< ${TARGET_BURST_MS}: ${met(burst.max < TARGET_BURST_MS)}`],
        [`${names.length} pods patched through the API (ms)`, `page caught up at ${pageMs.toFixed(0)}`, `API done at ${apiMs.toFixed(0)}`, `lag < ${TARGET_BURST_MS}: ${met(pageMs - apiMs < TARGET_BURST_MS)}`],
        ['  frame interval p50 / p99 / max (ms)', `${burstFrames.p50.toFixed(0)} / ${burstFrames.p99.toFixed(0)} / ${burstFrames.max.toFixed(0)}`, '', `p99 < ${TARGET_FRAME_P99_MS}: ${met(burstFrames.p99 < TARGET_FRAME_P99_MS)}`],
      ],
    );
    process.stdout.write(
      [
        `bench dashboard: ${nodeCount} nodes, ${podCount} pods, Chromium ${browser.version()}; ${chips} Ready chips at the end${errors.length ? `; page errors: ${errors.join('; ')}` : ''}`,
        ...lines,
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
    for (const s of started.reverse()) await s.stop();
  }
}
