// Serves the built web dashboard (issue #17; source in dashboard/, built by vite into dist/dashboard) under
// /dashboard/: its files, index.html for any other path below it (the dashboard routes on the client), and
// the API's 404 fault when the build is absent. No token: the page holds none until the user logs in.
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { SluiceError } from '../../errors.ts';
import { type DashboardFile, insideRoot, readDashboardFile } from './dashboard-file.ts';

/** The build's directory, the same from src/api/dashboard and dist/api/dashboard: <repo>/dist/dashboard. */
export const DASHBOARD_BUILD = fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url));

// Scripts, styles and fetches only from this origin, and nothing inline (MDN, Content-Security-Policy:
// https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/default-src).
export const DASHBOARD_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'";

const route = { config: { public: true, family: 'octavia' as const } };

export function registerDashboardRoutes(app: FastifyInstance, root: string = DASHBOARD_BUILD): void {
  // The router ignores a trailing slash, so /dashboard and /dashboard/ reach the same route: the raw URL
  // tells them apart, and the bare one is sent to the directory so relative asset URLs resolve under it.
  app.get('/dashboard', route, async (request, reply) => {
    if (!request.url.split('?')[0].endsWith('/')) return reply.redirect('/dashboard/', 301);
    return send(reply, await page(root, 'index.html'));
  });
  app.get<{ Params: { '*': string } }>('/dashboard/*', route, async (request, reply) => {
    const relative = request.params['*'];
    return send(reply, await page(root, relative === '' ? 'index.html' : relative));
  });
}

/** The file asked for; for a path that names no file, index.html (a client route), except under assets/ (a
 * stale build) or outside the build directory (`..`): those are the API's 404. */
async function page(root: string, relative: string): Promise<DashboardFile> {
  if (!insideRoot(root, relative)) throw new SluiceError('http.not-found');
  const file = await readDashboardFile(root, relative);
  if (file) return file;
  if (relative.startsWith('assets/')) throw new SluiceError('http.not-found');
  const index = await readDashboardFile(root, 'index.html');
  if (!index) throw new SluiceError('http.not-found');
  return index;
}

function send(reply: FastifyReply, file: DashboardFile): FastifyReply {
  return reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', file.cacheControl)
    .type(file.type)
    .send(file.body);
}
