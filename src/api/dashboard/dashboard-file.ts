// Which file of the built dashboard (dist/dashboard) a request path names, safely: the resolved path must stay
// inside the build directory (no `..`, no encoded NUL), with its content type and cache policy.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Content types by extension; anything else is served as bytes. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names every built asset `assets/<name>-<hash>.<ext>` (https://vite.dev/config/build-options#build-assetsdir):
// their content never changes under one name, so a browser may keep them for a year without asking again
// (RFC 8246, `immutable`); index.html names the current ones and is revalidated on every load.
const HASHED_ASSET = /^assets\/[^/]+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

export type DashboardFile = { body: Buffer; type: string; cacheControl: string };

/** The absolute path `relative` names inside `root`; undefined when it would leave `root`. */
export function insideRoot(root: string, relative: string): string | undefined {
  if (relative.includes('\0')) return undefined;
  const base = path.resolve(root);
  const full = path.resolve(base, relative);
  return full.startsWith(base + path.sep) ? full : undefined;
}

/** The file `relative` names inside `root`, or undefined when there is none (or the path leaves `root`). */
export async function readDashboardFile(root: string, relative: string): Promise<DashboardFile | undefined> {
  const full = insideRoot(root, relative);
  if (!full) return undefined;
  const base = path.resolve(root);
  const body = await fs.readFile(full).catch(() => undefined);
  if (!body) return undefined;
  const name = path.relative(base, full).split(path.sep).join('/');
  return {
    body,
    type: TYPES[path.extname(full).toLowerCase()] ?? 'application/octet-stream',
    cacheControl: HASHED_ASSET.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
}
