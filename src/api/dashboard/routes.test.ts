import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from '../http-app.ts';
import { DASHBOARD_CSP, registerDashboardRoutes } from './routes.ts';

const NOT_FOUND = { faultcode: 'Client', faultstring: 'The resource could not be found.', debuginfo: null };
const ASSET = 'assets/index-AbC123_x.js';

/** The HTTP plumbing with no token accepted, and the dashboard served from `root`. */
async function appServing(root: string): Promise<FastifyInstance> {
  const app = createHttpApp({ validateToken: async () => null, authUrl: 'http://127.0.0.1/identity' });
  registerDashboardRoutes(app, root);
  await app.ready();
  return app;
}

describe('dashboard routes', () => {
  let parent: string;
  let root: string;
  let app: FastifyInstance;
  before(async () => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-dashboard-'));
    root = path.join(parent, 'dashboard');
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Sluice</title>');
    fs.writeFileSync(path.join(root, ASSET), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'assets', 'style-0123abcd.css'), 'body{}');
    fs.writeFileSync(path.join(parent, 'secret.txt'), 'not for the web');
    app = await appServing(root);
  });
  after(async () => {
    await app.close();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('serves index.html at /dashboard/ without a token, uncached, under a self-only Content-Security-Policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/dashboard/' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, '<!doctype html><title>Sluice</title>');
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['content-security-policy'], DASHBOARD_CSP);
    assert.match(DASHBOARD_CSP, /^default-src 'self'(;|$)/);
  });

  it('redirects /dashboard to /dashboard/', async () => {
    const response = await app.inject({ method: 'GET', url: '/dashboard' });
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, '/dashboard/');
  });

  it('serves hashed assets with their content type and immutable caching', async () => {
    const script = await app.inject({ method: 'GET', url: `/dashboard/${ASSET}` });
    assert.equal(script.statusCode, 200);
    assert.equal(script.body, 'console.log(1)');
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
    const style = await app.inject({ method: 'GET', url: '/dashboard/assets/style-0123abcd.css' });
    assert.equal(style.headers['content-type'], 'text/css; charset=utf-8');
    assert.equal(style.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  it('answers index.html for client routes below /dashboard/, and 404 for a missing asset', async () => {
    const route = await app.inject({ method: 'GET', url: '/dashboard/loadbalancers/1234' });
    assert.equal(route.statusCode, 200);
    assert.equal(route.body, '<!doctype html><title>Sluice</title>');
    const missing = await app.inject({ method: 'GET', url: '/dashboard/assets/gone-12345678.js' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), NOT_FOUND);
  });

  it('never serves a file outside the build, however the path is spelled', async () => {
    for (const url of [
      '/dashboard/../secret.txt',
      '/dashboard/%2e%2e/secret.txt',
      '/dashboard/assets/%2e%2e/%2e%2e/secret.txt',
      '/dashboard/..%2fsecret.txt',
      '/dashboard/%2F' + encodeURIComponent(path.join(parent, 'secret.txt').slice(1)),
      '/dashboard/%00/../../secret.txt',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      assert.doesNotMatch(response.body, /not for the web/, url);
      assert.notEqual(response.statusCode, 200, url);
    }
  });

  it('answers 404 in the Octavia fault format when the dashboard is not built', async () => {
    const bare = await appServing(path.join(parent, 'never-built'));
    try {
      for (const url of ['/dashboard/', `/dashboard/${ASSET}`, '/dashboard/loadbalancers']) {
        const response = await bare.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
        assert.deepEqual(response.json(), NOT_FOUND, url);
      }
    } finally {
      await bare.close();
    }
  });
});
