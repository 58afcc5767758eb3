import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardDir, serveDashboard } from './serve.js';

describe('serveDashboard', () => {
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    app.use('/ui', serveDashboard());
    app.use((_req, res) => void res.status(404).send('not here'));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close?.());

  it('serves the page at /ui/, redirecting /ui so relative imports resolve', async () => {
    const redirect = await fetch(`${url}/ui`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/ui/');
    const page = await fetch(`${url}/ui/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<script type="module" src="./main.js">');
  });

  it('serves the modules as JavaScript, uncached, and never the tests beside them', async () => {
    const main = await fetch(`${url}/ui/main.js`);
    expect(main.headers.get('content-type')).toMatch(/javascript/);
    expect(main.headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${url}/ui/model.test.ts`)).status).toBe(404);
    expect((await fetch(`${url}/ui/../serve.ts`)).status).toBe(404);
  });

  it('finds its files from the build as from the source', () => {
    expect(dashboardDir(new URL('../dist/dashboard/serve.js', import.meta.url).pathname)).toBe(dashboardDir());
  });
});
