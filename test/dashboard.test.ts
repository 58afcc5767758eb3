import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, startCluster, startComponent, type ApiServerProcess, type Cluster, type MinikProcess } from './support/cluster.js';

/**
 * The class dashboard in a real browser against real processes: the page at /ui/ lists and
 * watches the API, shows pods appear on nodes as a Deployment scales, marks a stopped and a
 * cordoned node, and finds its way back after the API server restarts.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACT = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', 'dashboard.png');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const msg = `${CHROMIUM} is missing: install Debian's package \`chromium\` (apt-get install chromium) to run the dashboard's browser test`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`\n*** SKIPPING test/dashboard.test.ts: ${msg} ***\n`);
}

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '256Mi' } } }] },
    },
  },
};

describe.skipIf(!haveChromium)('the class dashboard in Chromium', () => {
  let cluster: Cluster;
  let api: ApiServerProcess;
  let browser: Browser;
  let page: Page;
  const components: MinikProcess[] = [];
  const pageErrors: string[] = [];

  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'Content-Type': type },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as { spec?: { unschedulable?: boolean; replicas?: number }; metadata?: { annotations?: Record<string, string> } };
  };
  /** Chips of pods that are Ready on a node box (not in the waiting lane). */
  const readyOnNodes = () => page.locator('#nodes .node .chip[data-state="Ready"]:not(.leaving)');

  beforeAll(async () => {
    cluster = await startCluster();
    api = cluster.apiserver;
    components.push(
      await startComponent('scheduler', api.url),
      await startComponent('kubelet-sim', api.url, ['--speed', '20']),
      await startComponent('controller-manager', api.url, ['--no-leader-elect', '--speed', '20']),
    );
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', DEPLOYMENT);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  afterAll(async () => {
    await browser?.close();
    for (const c of components) await c.stop();
    if (api && api !== cluster?.apiserver) await api.stop();
    await cluster?.stop();
  });

  it('shows nodes, pods, the Deployment and events, and follows a scale-up onto the nodes', async () => {
    const res = await fetch(`${api.url}/ui`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/ui/');

    await page.goto(`${api.url}/ui/`);
    await page.locator('#conn.conn-live').waitFor({ timeout: 10_000 });
    for (const n of ['node-1', 'node-2', 'node-3']) await page.locator(`.node[data-node="${n}"]`).waitFor();
    await expect.poll(() => readyOnNodes().count(), { timeout: 15_000 }).toBe(2);

    // kubectl scale, as the class would type it: the new pods appear on node boxes and turn Ready.
    await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 5 } }, 'application/merge-patch+json');
    await expect.poll(() => readyOnNodes().count(), { timeout: 15_000 }).toBe(5);
    const deploy = page.locator('.deploy[data-deploy="default/web"]');
    await expect.poll(() => deploy.locator('.count-available .n').textContent(), { timeout: 10_000 }).toBe('5');

    // The page's own control: + scales through the scale subresource.
    await deploy.locator('.ctl-scale-up').click();
    await expect.poll(async () => (await call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).spec?.replicas).toBe(6);
    await expect.poll(() => readyOnNodes().count(), { timeout: 15_000 }).toBe(6);
    await expect.poll(() => deploy.locator('.count-desired .n').textContent()).toBe('6');

    // Requests fill the bars: six pods of 500m over three nodes of 4 CPUs.
    const fills = await page.locator('.node .bar-cpu .fill').evaluateAll((els) => els.map((e) => (e as unknown as { style: { transform: string } }).style.transform));
    const share = (t: string) => Number(/^scaleX\(([\d.]+)\)$/.exec(t)?.[1] ?? NaN);
    expect(fills.map(share).reduce((a, b) => a + b, 0) * 100).toBeCloseTo(75, 6);

    // The feed shows what happened, newest first.
    await expect.poll(() => page.locator('#events .event .ev-reason').allTextContents(), { timeout: 10_000 }).toContain('Scheduled');
    expect(pageErrors).toEqual([]);
  });

  it('deletes a pod, stops and cordons nodes through its controls, and marks them', async () => {
    // Delete a pod from the inspector: the ReplicaSet replaces it.
    const chip = readyOnNodes().first();
    const podKey = (await chip.getAttribute('data-pod'))!;
    await chip.click();
    await page.locator('#delete-pod').click();
    await expect.poll(() => page.locator(`.chip[data-pod="${podKey}"]:not(.leaving)`).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => readyOnNodes().count(), { timeout: 15_000 }).toBe(6);

    const node2 = page.locator('.node[data-node="node-2"]');
    await node2.locator('.ctl-heartbeats').click();
    await node2.locator('.mark-stopped').waitFor({ timeout: 5_000 });
    expect(await node2.getAttribute('class')).toMatch(/\bis-stopped\b/);
    expect((await call('GET', '/api/v1/nodes/node-2')).metadata?.annotations?.['minik.dev/heartbeats']).toBe('stopped');
    // 40 s of silence at speed 20: the node lifecycle controller marks it NotReady.
    await node2.locator('.mark-notready').waitFor({ timeout: 20_000 });

    const node3 = page.locator('.node[data-node="node-3"]');
    await node3.locator('.ctl-cordon').click();
    await node3.locator('.mark-cordoned').waitFor({ timeout: 5_000 });
    expect((await call('GET', '/api/v1/nodes/node-3')).spec?.unschedulable).toBe(true);

    mkdirSync(dirname(ARTIFACT), { recursive: true });
    await page.screenshot({ path: ARTIFACT, fullPage: true });

    // And back: heartbeats on again, uncordoned.
    await node2.locator('.ctl-heartbeats').click();
    await node3.locator('.ctl-cordon').click();
    await expect.poll(() => node3.locator('.mark-cordoned').count()).toBe(0);
    await expect.poll(async () => (await call('GET', '/api/v1/nodes/node-2')).metadata?.annotations?.['minik.dev/heartbeats']).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('says "reconnecting" while the API server is down and relists once it is back', async () => {
    const port = api.port;
    await api.stop();
    await page.locator('#conn.conn-reconnecting').waitFor({ timeout: 10_000 });
    api = await startApiServer(cluster.store.endpoint, { port });
    await page.locator('#conn.conn-live').waitFor({ timeout: 15_000 });

    // A change made while the page was away and one made after both show.
    await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 3 } }, 'application/merge-patch+json');
    await expect.poll(() => page.locator('.deploy[data-deploy="default/web"] .count-desired .n').textContent(), { timeout: 10_000 }).toBe('3');
    await expect.poll(() => readyOnNodes().count(), { timeout: 20_000 }).toBe(3);
  });
});
