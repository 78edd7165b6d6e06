// Debian's Horizon with octavia-dashboard, unchanged, in headless Chromium against `sluice serve` with the
// native data plane (issue #13, "Horizon works unchanged"): login, then a load balancer through the create
// wizard, ACTIVE / ONLINE in the table, traffic through its VIP to a backend on 127.0.0.0/8, and delete.
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { type ChromiumPage, chromiumMissing, launchChromium } from '../helpers/chromium-page.ts';
import { type HorizonProcess, horizonMissing, startHorizon } from '../helpers/horizon/horizon-process.ts';
import { fillStep, inPage, waitInPage } from '../helpers/horizon/horizon-ui.ts';
import { freePort, issueToken, type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'horizon-e2e-password';
/** The "external" member: an address outside the VIP's subnet (127.77.0.0/16), served by the backend below. */
const BACKEND_HOST = '127.0.0.57';
let server: ServeProcess;
let horizon: HorizonProcess;
let page: ChromiumPage;
let backend: http.Server;
let backendPort: number;
let listenerPort: number;
const backendSaw: string[] = [];
let vip: string;

/** Wizard fields named by their Angular model: `prefix.key` → value. */
const fields = (prefix: string, values: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}.${key}`, value]));

/** Polls `read` every half second until `done` holds of its value, for at most two minutes. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => unknown, what: string): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The load balancer's status tree through Sluice's Octavia API, as the admin. */
async function statusTree(): Promise<ReturnType<typeof JSON.parse>> {
  const token = await issueToken(server.url, PASSWORD);
  const headers = { 'x-auth-token': token };
  const list = await (
    await fetch(`${server.url}/load-balancer/v2/lbaas/loadbalancers?name=web`, { headers })
  ).json();
  const [lb] = list.loadbalancers;
  if (!lb) return undefined;
  const tree = await (
    await fetch(`${server.url}/load-balancer/v2/lbaas/loadbalancers/${lb.id}/status`, { headers })
  ).json();
  return tree.statuses.loadbalancer;
}

describe('Horizon with octavia-dashboard against sluice serve', {
  skip: horizonMissing || chromiumMissing,
}, () => {
  before(async () => {
    backend = http.createServer((request, response) => {
      backendSaw.push(request.url ?? '');
      response.end(`backend ${BACKEND_HOST} answers ${request.url}`);
    });
    await new Promise<void>((resolve) => backend.listen(0, BACKEND_HOST, resolve));
    backendPort = (backend.address() as net.AddressInfo).port;
    listenerPort = await freePort();
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' } });
    horizon = await startHorizon(`${server.url}/v3`);
    page = await launchChromium();
  });
  afterEach(async (t) => {
    // TestContext.passed is Node's (v21.7+); the @types/node in use predates it.
    if (!('diagnostic' in t) || (t as { passed?: boolean }).passed !== false || !page) return;
    // What the browser showed when a step failed, for whoever reads the failure.
    const shot = path.join(os.tmpdir(), `sluice-horizon-failure-${Date.now()}.png`);
    await page.screenshot(shot).catch(() => undefined);
    const alerts = await inPage<string[]>(page, 'ui.alerts()').catch(() => []);
    t.diagnostic(
      `screenshot ${shot}; alerts: ${JSON.stringify(alerts)}; Horizon said:\n${horizon?.output().slice(-4000)}`,
    );
  });
  after(async () => {
    await page?.close();
    await horizon?.stop();
    await server?.stop();
    backend?.close();
  });

  it('serves its login page', async () => {
    await page.navigate(`${horizon.url}/auth/login/`);
    assert.equal(await page.evaluate('document.title'), 'Login - OpenStack Dashboard');
    assert.ok(
      await page.evaluate(
        `!!document.querySelector('#id_username') && !!document.querySelector('#id_password')`,
      ),
    );
  });

  it('logs the admin in with Sluice’s Keystone, onto an overview without errors', async () => {
    await page.evaluate(`(() => {
      document.querySelector('#id_username').value = 'admin';
      document.querySelector('#id_password').value = ${JSON.stringify(PASSWORD)};
      document.querySelector('#loginBtn').click();
    })()`);
    const landed = await page.waitFor<string>(
      `document.readyState === 'complete' && location.pathname !== '/auth/login/' && location.pathname`,
      'the page after login',
    );
    assert.equal(landed, '/project/');
    assert.match(await page.evaluate<string>(`document.querySelector('.navbar').textContent`), /admin/);
    // The overview reads Nova's limits and usage: zeros from a compute service that runs no servers.
    assert.deepEqual(await inPage<string[]>(page, 'ui.alerts()'), []);
    assert.match(await page.evaluate<string>('document.body.textContent'), /Instances/);
  });

  it('opens Project → Network → Load Balancers, which lists none', async () => {
    await inPage(page, `ui.link('Network') && ui.link('Load Balancers')`);
    await page.waitFor(`location.pathname === '/project/load_balancer/'`, 'the Load Balancers panel');
    const rows = await waitInPage<string[][]>(
      page,
      `ui.rows().length > 0 && ui.rows()`,
      'the load balancer table',
    );
    assert.deepEqual(rows[0], ['No items to display.']);
  });

  it('creates a load balancer, HTTP listener, ROUND_ROBIN pool, external member and monitor in the wizard', async () => {
    await waitInPage(page, `ui.pageButton('Create Load Balancer')`, 'the create button');
    // Load Balancer Details: the subnet drop-down loads only once its Neutron and Nova requests answer.
    await waitInPage(page, `!!document.querySelector('.modal filter-select tbody tr')`, 'the subnet list');
    await inPage(page, `ui.type('model.spec.loadbalancer.name', 'web')`);
    assert.equal(
      await inPage(page, `ui.filterSelect('model.spec.loadbalancer.vip_subnet_id', 'public-subnet')`),
      'public: 127.77.0.0/16 (public-subnet)',
    );
    await inPage(page, `ui.button('Next')`);
    const listenerFields = { name: 'web-http', protocol: 'HTTP', protocol_port: listenerPort };
    await fillStep(page, fields('model.spec.listener', listenerFields), 'Next');
    await fillStep(
      page,
      fields('model.spec.pool', { name: 'web-pool', lb_algorithm: 'ROUND_ROBIN' }),
      'Next',
    );
    // Pool Members: no Nova instances to offer (Sluice runs no servers), so an external member.
    await waitInPage(
      page,
      `ui.rows().some((r) => r.includes('No available instances'))`,
      'the instance list',
    );
    await inPage(page, `ui.button('Add external member')`);
    const memberFields = { address: BACKEND_HOST, subnet_id: 'public-subnet', protocol_port: backendPort };
    await fillStep(page, fields('row', memberFields), 'Next');
    await inPage(
      page,
      `ui.fill(${JSON.stringify(fields('model.spec.monitor', { name: 'web-hm', type: 'HTTP' }))})`,
    );
    // The HTTP fields (method, codes, URL path) appear once the type is HTTP.
    await waitInPage(page, `ui.type('model.spec.monitor.url_path', '/health')`, 'the HTTP monitor fields');
    await inPage(page, `ui.button('Create Load Balancer')`);
    await page.waitFor(`!document.querySelector('.modal.in')`, 'the wizard to close');

    // octavia-dashboard's REST handler creates the load balancer, answers, then creates the listener, pool,
    // members and monitor one after another as each parent turns ACTIVE (octavia_dashboard/api/rest/lbaasv2.py).
    const tree = await eventually(
      statusTree,
      (t) => t?.listeners?.[0]?.pools?.[0]?.health_monitor,
      'the monitor',
    );
    assert.equal(tree.name, 'web', 'the wizard created the load balancer');
    const [listener] = tree.listeners;
    assert.equal(listener.name, 'web-http');
    const [pool] = listener.pools;
    assert.equal(pool.name, 'web-pool');
    assert.deepEqual(
      pool.members.map((m: { address: string; protocol_port: number }) => [m.address, m.protocol_port]),
      [[BACKEND_HOST, backendPort]],
    );
    assert.deepEqual([pool.health_monitor.name, pool.health_monitor.type], ['web-hm', 'HTTP']);
  });

  it('shows the load balancer ACTIVE and ONLINE in the table', async () => {
    const row = await waitInPage<string[]>(
      page,
      `ui.rows().find((r) => r.includes('web') && r.includes('Active') && r.includes('Online'))`,
      'web to be Active and Online',
      120_000,
    );
    vip = row.find((cell) => /^127\.77\./.test(cell)) ?? '';
    assert.match(vip, /^127\.77\.\d+\.\d+$/);
    const online = (t: ReturnType<typeof JSON.parse>) => {
      const pool = t.listeners[0].pools[0];
      return [
        t.operating_status,
        pool.operating_status,
        pool.members[0].operating_status,
        pool.health_monitor.operating_status,
      ];
    };
    const tree = await eventually(statusTree, (t) => online(t).every((s) => s === 'ONLINE'), 'all ONLINE');
    const pool = tree.listeners[0].pools[0];
    assert.deepEqual(
      [
        tree.operating_status,
        pool.operating_status,
        pool.members[0].operating_status,
        pool.health_monitor.operating_status,
      ],
      ['ONLINE', 'ONLINE', 'ONLINE', 'ONLINE'],
    );
    // The monitor probes every `delay` (5 s) at the url_path the wizard set.
    await eventually(async () => backendSaw.includes('/health'), Boolean, 'a probe of /health');
    assert.ok(backendSaw.includes('/health'), 'the health monitor probed the backend at its URL path');
  });

  it('carries an HTTP request through the VIP to the backend', async () => {
    const response = await fetch(`http://${vip}:${listenerPort}/through-the-vip`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), `backend ${BACKEND_HOST} answers /through-the-vip`);
    assert.ok(backendSaw.includes('/through-the-vip'));
  });

  it('deletes the load balancer from its row, and the table empties', async () => {
    await inPage(page, `ui.rowAction('web', 'Delete Load Balancer')`);
    await waitInPage(page, `ui.button('Delete Load Balancer')`, 'the delete confirmation');
    await waitInPage(page, `ui.rows()[0]?.[0] === 'No items to display.'`, 'the table to empty');
    // Horizon removes the row at once; the load balancer is gone once Sluice has torn its data plane down.
    await eventually(statusTree, (t) => t === undefined, 'Sluice to forget the load balancer');
    await page.navigate(`${horizon.url}/project/load_balancer/`);
    const rows = await waitInPage<string[][]>(
      page,
      `ui.rows().length > 0 && ui.rows()`,
      'the reloaded table',
    );
    assert.deepEqual(rows[0], ['No items to display.']);
    await assert.rejects(fetch(`http://${vip}:${listenerPort}/`), 'the VIP no longer answers');
  });
});
