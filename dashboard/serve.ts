import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Only the page's own kinds of file are served: the unit tests beside them stay private. */
const SERVED = new Set(['', '.html', '.js', '.css', '.svg']);

/**
 * The folder of the page's static files. It is found by walking up from this module, so it is the
 * same folder whether this runs from source (`dashboard/serve.ts`) or from the build
 * (`dist/dashboard/serve.js`): the page has no build step and is never copied.
 */
export function dashboardDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'dashboard', 'public');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`Cannot serve the dashboard: no dashboard/public/index.html above ${from}`);
  }
}

/**
 * Serves the class dashboard; mounted at `/ui` by the API server (`app.use('/ui', serveDashboard())`).
 * `GET /ui` redirects to `/ui/` so that the page's relative imports (`./main.js`) resolve under
 * `/ui/`; `GET /ui/` is index.html, `GET /ui/main.js` the module. Nothing is cached, so a reload
 * always shows the page as it is on disk.
 */
export function serveDashboard(dir: string = dashboardDir()): RequestHandler {
  const files = express.static(dir, { index: 'index.html', redirect: false, etag: false, lastModified: false, maxAge: 0 });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.originalUrl.split('?')[0] ?? '';
    if (path === '/ui') return void res.redirect(301, '/ui/');
    if (!SERVED.has(extname(req.path))) return next();
    res.setHeader('Cache-Control', 'no-cache');
    return files(req, res, next);
  };
}
