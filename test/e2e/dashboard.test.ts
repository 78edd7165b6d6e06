// The web dashboard (issue #17) in Debian's Chromium driven by playwright-core, against a real `sluice serve`
// on the native data plane and a real node:http backend on 127.0.0.0/8: login, the create wizard, ACTIVE and
// ONLINE, traffic moving the counters, a stopped backend turning its member ERROR with the reason, actions,
// a second project that sees nothing of the first, the admin objects (flavors, zones, quotas, amphora
// failover), a token kept in memory only, and delete. Screenshots go to docs/dashboard/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { CHROMIUM, chromiumMissing, FLAGS } from '../helpers/chromium-page.ts';
import { freePort, issueToken, type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { createTestPki, opensslMissing } from '../helpers/test-pki.ts';

const PASSWORD = 'dashboard-e2e-password';
/** A member outside the VIP's subnet (127.77.0.0/16), served by the backend below. */
const BACKEND_HOST = '127.0.0.59';
const SHOTS = path.resolve(import.meta.dirname, '../../docs/dashboard');
const BUILD = path.resolve(import.meta.dirname, '../../dist/dashboard');
// playwright-core runs Chromium headless over its own pipe: the helper's debugging-port flags do not apply.
const ARGS = FLAGS.filter((flag) => !/^--(headless|remote-debugging-|window-size)/.test(flag));

let server: ServeProcess;
let browser: Browser;
let page: Page;
/** The token `page` last sent to the API (the dashboard keeps it in memory only). */
let pageToken: () => string;
let backend: http.Server;
let backendPort: number;
let listenerPort: number;
let lbId: string;
let vip: string;
const cspViolations: string[] = [];

/** The admin's token, for checking what the dashboard did through the API itself. */
const adminGet = async (p: string) => {
  const token = await issueToken(server.url, PASSWORD);
  return (await fetch(`${server.url}${p}`, { headers: { 'x-auth-token': token } })).json();
};

/** Watches what `into` sends: the X-Auth-Token of its latest Octavia call, the scoped session token (the
 * dashboard keeps it in memory, so a test reads it off the wire rather than from the page). */
function watchToken(into: Page): () => string {
  let token = '';
  into.on('request', (request) => {
    const sent = request.headers()['x-auth-token'];
    if (sent && new URL(request.url()).pathname.startsWith('/v2/')) token = sent;
  });
  return () => token;
}

/** Goes to `pathname` inside the app, as its links do (History API), without reloading (which logs out). */
async function goInApp(into: Page, pathname: string): Promise<void> {
  await into.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, pathname);
}

/** Everything the page keeps in web storage and cookies, as text. */
const stored = (into: Page) =>
  into.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }, document.cookie]));

/** Logs in through the form; when the user has several projects, picks `project` in the picker (true). */
async function logIn(into: Page, user: string, password: string, project = 'admin'): Promise<boolean> {
  await into.getByLabel('User name').fill(user);
  await into.getByLabel('Password').fill(password);
  await into.getByRole('button', { name: 'Log in' }).click();
  const picker = into.getByRole('heading', { name: 'Choose a project' });
  const list = into.getByRole('heading', { name: 'Load balancers' });
  await picker.or(list).waitFor();
  const picked = await picker.isVisible();
  if (picked) await into.getByRole('button', { name: project, exact: true }).click();
  await list.waitFor();
  return picked;
}

/** Sets each labelled field of `form` (a select by its option) to its value. */
async function fill(form: Locator, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    const field = form.getByLabel(label, { exact: true });
    if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
}

/** Opens the "Add <what>" form of a section of the load balancer page, fills it and submits it. */
async function submitNew(section: Locator, what: string, values: Record<string, string>): Promise<Locator> {
  await section.getByRole('button', { name: `Add ${what}` }).click();
  const form = section.getByRole('form', { name: `New ${what}` });
  await fill(form, values);
  await form.getByRole('button', { name: `Create ${what}` }).click();
  return form;
}

/** Deletes each row (children first) with its confirmed Delete button (`what` names it), waits for it to
 * go, then checks the API lists none of the kinds at `emptied` (path → list key). */
async function deleteRows(
  rows: [row: Locator, what: string][],
  emptied: Record<string, string>,
): Promise<void> {
  for (const [row, what] of rows) {
    await deleteConfirmed(row.getByRole('button', { name: `Delete ${what}` }), `Delete ${what}?`);
    await row.waitFor({ state: 'detached' });
  }
  for (const [at, key] of Object.entries(emptied)) assert.deepEqual((await adminGet(at))[key], []);
}

type Refused = { values: Record<string, string>; refusal: string | RegExp; fixed: Record<string, string> };

/** Submits a new `what` the API refuses with `refusal` (shown beside the form), then again with `fixed`; the
 * row that shows `shown` once made. */
async function submitAfterRefusal(
  section: Locator,
  what: string,
  how: Refused,
  shown: string,
): Promise<Locator> {
  const form = await submitNew(section, what, how.values);
  await form.getByRole('alert').waitFor();
  const said = (await form.getByRole('alert').textContent()) ?? '';
  if (typeof how.refusal === 'string') assert.equal(said, how.refusal);
  else assert.match(said, how.refusal);
  await fill(form, how.fixed);
  await form.getByRole('button', { name: `Create ${what}` }).click();
  const row = section.locator('tr', { hasText: shown });
  await row.waitFor();
  return row;
}

/** Clicks `button`, then `confirm` (Delete) in the confirmation dialog it opens, titled `title`. */
async function deleteConfirmed(button: Locator, title: string | RegExp, confirm = 'Delete'): Promise<void> {
  await button.click();
  await page.getByRole('dialog', { name: title }).getByRole('button', { name: confirm }).click();
}

describe('the web dashboard against sluice serve', { skip: chromiumMissing }, () => {
  before(async () => {
    backend = http.createServer((_request, response) => response.end(`backend ${BACKEND_HOST}`));
    await new Promise<void>((resolve) => backend.listen(0, BACKEND_HOST, resolve));
    backendPort = (backend.address() as net.AddressInfo).port;
    listenerPort = await freePort();
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pageToken = watchToken(page);
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    backend?.close();
  });

  it('ships under 200 KB of gzipped JavaScript', () => {
    const scripts = fs.readdirSync(path.join(BUILD, 'assets')).filter((f) => f.endsWith('.js'));
    const gzipped = scripts.reduce(
      (sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(BUILD, 'assets', f))).length,
      0,
    );
    console.log(
      `# dashboard JavaScript: ${scripts.length} file(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`,
    );
    assert.ok(gzipped < 200 * 1024, `${gzipped} bytes gzipped`);
  });

  it('renders the login form at /dashboard under its Content-Security-Policy (first render measured)', async () => {
    const started = performance.now();
    const response = await page.goto(`${server.url}/dashboard`);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    const rendered = performance.now() - started;
    console.log(`# first render (navigation → login form visible): ${rendered.toFixed(0)} ms`);
    assert.equal(new URL(page.url()).pathname, '/dashboard/');
    assert.match(response?.headers()['content-security-policy'] ?? '', /^default-src 'self'/);
    await page.screenshot({ path: path.join(SHOTS, 'login.png') });
  });

  it('refuses a wrong password with Keystone’s message, then logs the admin in', async () => {
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(
      await page.getByRole('alert').textContent(),
      'The request you have made requires authentication.',
    );
    await logIn(page, 'admin', PASSWORD);
    await page.getByText('No load balancers.').waitFor();
  });

  it('shows the API’s validation message beside the wizard, and creates nothing', async () => {
    await page.getByRole('link', { name: 'Create load balancer' }).click();
    await page.getByLabel('Name').fill('web');
    await page.getByLabel('VIP subnet').selectOption({ label: 'public-subnet (127.77.0.0/16)' });
    await page.getByLabel('Port', { exact: true }).fill('70000');
    await page.getByLabel('Member 1 address').fill(BACKEND_HOST);
    await page.getByLabel('Member 1 port').fill(String(backendPort));
    await page.getByRole('button', { name: 'Create' }).click();
    const alert = page.locator('#wizard-error');
    await alert.waitFor();
    assert.match(
      (await alert.textContent()) ?? '',
      /^Invalid input for field\/attribute protocol_port\. Value: '70000'/,
    );
    assert.deepEqual((await adminGet('/v2/lbaas/loadbalancers')).loadbalancers, []);
  });

  it('creates a whole load balancer with the wizard and sees it go ACTIVE and ONLINE', async () => {
    await page.getByLabel('Port', { exact: true }).fill(String(listenerPort));
    await page.getByLabel('Algorithm').selectOption('ROUND_ROBIN');
    await page.getByLabel('Type').selectOption('HTTP');
    await page.getByLabel('Delay (s)').fill('1');
    await page.getByLabel('Timeout (s)').fill('1');
    await page.getByLabel('Max retries').fill('1');
    await page.screenshot({ path: path.join(SHOTS, 'wizard.png'), fullPage: true });
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/dashboard\/loadbalancers\/[0-9a-f-]+$/);
    lbId = page.url().split('/').at(-1)!;
    const header = page.locator('p', { hasText: 'VIP' });
    await header.locator('[data-status="ACTIVE"]').waitFor({ timeout: 60_000 });
    const member = page.locator(`li.member[data-member="${BACKEND_HOST}:${backendPort}"]`);
    await member.locator('[data-status="ONLINE"]').waitFor({ timeout: 60_000 });
    await header.locator('[data-status="ONLINE"]').waitFor({ timeout: 60_000 });
    // One POST made all of it: the listener, pool, member and monitor exist under the load balancer.
    const lb = (await adminGet(`/v2/lbaas/loadbalancers/${lbId}`)).loadbalancer;
    vip = lb.vip_address;
    const tree = (await adminGet(`/v2/lbaas/loadbalancers/${lbId}/status`)).statuses.loadbalancer;
    assert.equal(tree.listeners[0].pools[0].health_monitor.type, 'HTTP');
    assert.equal(tree.listeners[0].pools[0].members[0].address, BACKEND_HOST);
  });

  it('moves the request counter and chart as real requests go through the VIP', async () => {
    const counter = page.locator('[data-counter="requests"]');
    await counter.waitFor({ timeout: 30_000 });
    const before = Number(await counter.textContent());
    let seenRate = false;
    // Bounded: at most 60 rounds of 5 requests, until the chart shows a rate above 0.
    for (let round = 0; round < 60 && !seenRate; round++) {
      for (let i = 0; i < 5; i++) {
        const answer = await (
          await fetch(`http://${vip}:${listenerPort}/`, { signal: AbortSignal.timeout(10_000) })
        ).text();
        assert.equal(answer, `backend ${BACKEND_HOST}`);
      }
      await new Promise((r) => setTimeout(r, 250));
      const rate = await page
        .locator('figure', { hasText: 'Requests' })
        .locator('.chart-value')
        .first()
        .textContent();
      seenRate = Number(rate) > 0;
    }
    assert.ok(seenRate, 'the requests/s chart never rose above 0');
    await page.waitForFunction(
      ([selector, least]) => Number(document.querySelector(selector)?.textContent) >= least,
      ['[data-counter="requests"]', before + 5] as const,
      { timeout: 30_000 },
    );
    // Every request answered 200: the 2xx class counts them (the member's responses since it started).
    await page.waitForFunction(
      (least) => Number(document.querySelector('[data-counter="2xx"]')?.textContent) >= least,
      before + 5,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: path.join(SHOTS, 'load-balancer.png'), fullPage: true });
  });

  it('drains the member to weight 0 and back', async () => {
    const member = page.locator(`li.member[data-member="${BACKEND_HOST}:${backendPort}"]`);
    await member.getByRole('button', { name: 'Drain' }).click();
    await member.getByText('weight 0').waitFor();
    await member.getByRole('button', { name: 'Undrain' }).click();
    await member.getByText('weight 1').waitFor();
  });

  it('adds, edits and deletes a member with the object forms, showing the API’s message beside the form', async () => {
    const members = page.locator('section[data-resource="members"]');
    const form = await submitNew(members, 'member', { Name: 'extra', Address: '127.0.0.60', Port: 'eighty' });
    await form.getByRole('alert').waitFor();
    assert.match(
      (await form.getByRole('alert').textContent()) ?? '',
      // Octavia's (WSME's) words for a member body it cannot read, as the API answered them.
      /^Invalid input for field\/attribute member_\. .*invalid literal for int\(\) with base 10: "eighty"$/,
    );
    await form.getByLabel('Port').fill('8080');
    await form.getByRole('button', { name: 'Create member' }).click();
    const row = members.locator('tr', { hasText: 'extra' });
    await row.waitFor();
    assert.equal(await row.locator('td[data-label="address"]').textContent(), '127.0.0.60');
    await row.getByRole('button', { name: 'Edit member extra' }).click();
    const edit = members.getByRole('form', { name: 'Edit member' });
    await edit.getByLabel('Weight').fill('5');
    await edit.getByRole('button', { name: 'Save' }).click();
    await row.locator('td[data-label="weight"]', { hasText: '5' }).waitFor();
    await deleteConfirmed(row.getByRole('button', { name: 'Delete member extra' }), 'Delete member extra?');
    await row.waitFor({ state: 'detached', timeout: 60_000 });
    const pools = (await adminGet(`/v2/lbaas/pools?loadbalancer_id=${lbId}`)).pools;
    const left = (await adminGet(`/v2/lbaas/pools/${pools[0].id}/members`)).members;
    assert.deepEqual(
      left.map((m: { address: string }) => m.address),
      [BACKEND_HOST],
    );
  });

  it('turns the member ERROR with the reason once its backend stops', async () => {
    await new Promise<void>((resolve) => {
      backend.close(() => resolve());
      backend.closeAllConnections();
    });
    const member = page.locator(`li.member[data-member="${BACKEND_HOST}:${backendPort}"]`);
    await member.locator('.node [data-status="ERROR"]').waitFor({ timeout: 60_000 });
    const reason = await member.locator('.node .reason').textContent();
    assert.ok(reason && reason.length > 0, 'the member shows no reason');
    await page.locator('.timeline li', { hasText: reason }).first().waitFor();
  });

  it('adds an L7 policy and rule with the object forms, and the VIP then rejects what the rule matches', async () => {
    const policies = page.locator('section[data-resource="l7policies"]');
    await submitNew(policies, 'L7 policy', { Name: 'block', Action: 'REJECT' });
    await policies.locator('tr', { hasText: 'block' }).waitFor();
    const rules = page.locator('section[data-resource="rules"]', { hasText: 'Rules of L7 policy block' });
    await submitNew(rules, 'rule', { Type: 'PATH', Compare: 'STARTS_WITH', Value: '/blocked' });
    await rules.locator('td[data-label="value"]', { hasText: '/blocked' }).waitFor();
    // Applied by the data plane once ACTIVE: polled, at most 60 times.
    let status = 0;
    for (let i = 0; i < 60 && status !== 403; i++) {
      status = (
        await fetch(`http://${vip}:${listenerPort}/blocked/page`, { signal: AbortSignal.timeout(10_000) })
      ).status;
      if (status !== 403) await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(status, 403);
  });

  it('uploads a PKCS#12 certificate and terminates TLS with it on a listener made in the form', {
    skip: opensslMissing,
  }, async () => {
    const pki = await createTestPki();
    try {
      const bundle = await pki.pkcs12(await pki.server(['web.example']));
      await page.getByRole('link', { name: 'Certificates' }).click();
      const upload = page.getByRole('form', { name: 'Upload certificate' });
      await upload.getByLabel('Name').fill('web-cert');
      await upload.getByLabel('PKCS#12 or PEM file').setInputFiles({
        name: 'web.p12',
        mimeType: 'application/x-pkcs12',
        buffer: bundle,
      });
      await upload.getByRole('button', { name: 'Upload' }).click();
      const ref = (await page.locator('tr[data-secret="web-cert"] code.ref').textContent())!;
      assert.match(ref, new RegExp(`^${server.url}/key-manager/v1/secrets/[0-9a-f-]{36}$`));
      await page.screenshot({ path: path.join(SHOTS, 'certificates.png') });
      await page.goBack();
      const httpsPort = await freePort();
      const listeners = page.locator('section[data-resource="listeners"]');
      await submitNew(listeners, 'listener', {
        Name: 'web-https',
        Protocol: 'TERMINATED_HTTPS',
        Port: String(httpsPort),
        'Certificate reference (TERMINATED_HTTPS)': ref,
      });
      await listeners
        .locator('tr', { hasText: 'web-https' })
        .locator('[data-status="ACTIVE"]')
        .waitFor({ timeout: 60_000 });
      // The VIP now presents the uploaded certificate: polled, at most 60 handshakes of at most 5 s each.
      let subject: string | undefined;
      for (let i = 0; i < 60 && subject === undefined; i++) {
        subject = await new Promise<string | undefined>((resolve) => {
          const socket = tls.connect({
            host: vip,
            port: httpsPort,
            servername: 'web.example',
            rejectUnauthorized: false,
          });
          socket.once('secureConnect', () => {
            resolve(String(socket.getPeerCertificate().subject.CN));
            socket.end();
          });
          socket.once('error', () => resolve(undefined));
          // A handshake that never completes counts as a failed attempt.
          socket.setTimeout(5000, () => {
            socket.destroy();
            resolve(undefined);
          });
        });
        if (subject === undefined) await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(subject, 'web.example');
    } finally {
      await pki.remove();
    }
  });

  it('lets an admin create a flavor profile and a flavor, edit the flavor and delete both, the API’s message beside the form', async () => {
    await page.getByRole('link', { name: 'Administration' }).click();
    const profiles = page.locator('section[data-resource="flavorprofiles"]');
    const profile = await submitAfterRefusal(
      profiles,
      'flavor profile',
      {
        values: { Name: 'fp-e2e', Provider: 'native', 'Flavor data (JSON)': '{not json' },
        refusal: '{not json is not a valid option for flavor_data',
        fixed: { 'Flavor data (JSON)': '{}' },
      },
      'fp-e2e',
    );
    const profileId = (await profile.getAttribute('data-id'))!;
    const flavors = page.locator('section[data-resource="flavors"]');
    await submitNew(flavors, 'flavor', { Name: 'gold', Description: 'first', 'Flavor profile': 'fp-e2e' });
    const flavor = flavors.locator('tr', { hasText: 'gold' });
    await flavor.locator('td[data-label="flavor_profile_id"]', { hasText: profileId }).waitFor();
    await flavor.getByRole('button', { name: 'Edit flavor gold' }).click();
    const edit = flavors.getByRole('form', { name: 'Edit flavor' });
    await edit.getByLabel('Description').fill('second');
    await edit.getByRole('button', { name: 'Save' }).click();
    await flavor.locator('td[data-label="description"]', { hasText: 'second' }).waitFor();
    const [stored] = (await adminGet('/v2/lbaas/flavors?name=gold')).flavors;
    assert.deepEqual(
      [stored.description, stored.flavor_profile_id, stored.enabled],
      ['second', profileId, true],
    );
    await deleteRows(
      [
        [flavor, 'flavor gold'],
        [profile, 'flavor profile fp-e2e'],
      ],
      { '/v2/lbaas/flavors': 'flavors', '/v2/lbaas/flavorprofiles': 'flavorprofiles' },
    );
  });

  it('lets an admin create an availability zone profile and a zone, and delete them', async () => {
    const profiles = page.locator('section[data-resource="availability_zone_profiles"]');
    // The native data plane has no zones: the API's own refusal shows beside the form.
    const profile = await submitAfterRefusal(
      profiles,
      'availability zone profile',
      {
        values: { Name: 'azp-e2e', Provider: 'native', 'Availability zone data (JSON)': '{}' },
        refusal:
          "Provider 'native' does not support a requested action: This provider does not support validating the availability zone.",
        fixed: { Provider: 'noop' },
      },
      'azp-e2e',
    );
    const zones = page.locator('section[data-resource="availability_zones"]');
    await submitNew(zones, 'availability zone', {
      Name: 'az-e2e',
      Description: 'rack one',
      'Availability zone profile': 'azp-e2e',
    });
    const zone = zones.locator('tr', { hasText: 'az-e2e' });
    await zone.locator('td[data-label="description"]', { hasText: 'rack one' }).waitFor();
    const [made] = (await adminGet('/v2/lbaas/availabilityzones')).availability_zones;
    assert.equal(made.availability_zone_profile_id, await profile.getAttribute('data-id'));
    await deleteRows(
      [
        [zone, 'availability zone az-e2e'],
        [profile, 'availability zone profile azp-e2e'],
      ],
      {
        '/v2/lbaas/availabilityzones': 'availability_zones',
        '/v2/lbaas/availabilityzoneprofiles': 'availability_zone_profiles',
      },
    );
  });

  it('sets a project’s member quota, shows the API’s answer, and resets it to the defaults after a confirmation', async () => {
    const project = ((await adminGet('/v3/projects')).projects as { id: string; name: string }[]).find(
      (p) => p.name === 'admin',
    )!;
    const quotas = page.locator('section[data-resource="quotas"]');
    const member = 'member (-1 = unlimited)';
    // The row of a project's quotas shows the project's name.
    const row = await submitAfterRefusal(
      quotas,
      'quotas',
      {
        values: { Project: 'admin', [member]: '-2' },
        refusal: /^Invalid input for field\/attribute member\./,
        fixed: { [member]: '7' },
      },
      'admin',
    );
    assert.equal(await row.getAttribute('data-id'), project.id);
    await row.locator('td[data-label="member"]', { hasText: '7' }).waitFor();
    assert.equal((await adminGet(`/v2/lbaas/quotas/${project.id}`)).quota.member, 7);
    await page.screenshot({ path: path.join(SHOTS, 'admin.png'), fullPage: true });
    await deleteConfirmed(
      row.getByRole('button', { name: 'Reset quotas admin' }),
      'Reset quotas admin?',
      'Reset',
    );
    await row.waitFor({ state: 'detached' });
    // The reset answers 202 with no body: a success, so nothing is shown as a failure.
    assert.equal(await page.getByRole('alert').count(), 0);
    const defaults = (await adminGet(`/v2/lbaas/quotas/${project.id}/default`)).quota;
    assert.equal((await adminGet(`/v2/lbaas/quotas/${project.id}`)).quota.member, defaults.member);
  });

  it('fails the load balancer’s amphora over after a confirmation, and the load balancer comes back ACTIVE', async () => {
    const amphorae = page.locator('section[data-resource="amphorae"]');
    const row = amphorae.locator('tr', {
      has: page.locator('td[data-label="loadbalancer_id"]', { hasText: lbId }),
    });
    await row.first().waitFor();
    await deleteConfirmed(
      row.first().getByRole('button', { name: /^Failover amphora / }),
      /^Failover amphora /,
      'Failover',
    );
    // Seen through the API: the failover took the load balancer's lock (PENDING_UPDATE), or is already done.
    const events = (await adminGet(`/sluice/v1/loadbalancers/${lbId}/events?limit=50`)).events as {
      reason: string | null;
    }[];
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.ok(
      events.some((e) => e.reason === 'failover requested through the API'),
      'no failover event',
    );
    await page.goBack();
    await page.getByRole('heading', { name: 'web', exact: true, level: 1 }).waitFor();
    await page.locator('.timeline li', { hasText: 'failover requested through the API' }).first().waitFor();
    await page
      .locator('p', { hasText: 'VIP' })
      .locator('[data-status="ACTIVE"]')
      .waitFor({ timeout: 60_000 });
    assert.equal(
      (await adminGet(`/v2/lbaas/loadbalancers/${lbId}`)).loadbalancer.provisioning_status,
      'ACTIVE',
    );
  });

  it('shows another project’s user (picking one of two projects) none of the first project’s load balancers, and ends the session with the token', async () => {
    const token = await issueToken(server.url, PASSWORD);
    const post = async (p: string, body: unknown, method = 'POST') =>
      fetch(`${server.url}${p}`, {
        method,
        headers: { 'x-auth-token': token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const newProject = async (name: string) =>
      (await (await post('/v3/projects', { project: { name, domain_id: 'default' } })).json()).project;
    const [project, second] = [await newProject('tenant-b'), await newProject('tenant-c')];
    const user = (
      await (
        await post('/v3/users', { user: { name: 'bob', password: 'bob-pw', domain_id: 'default' } })
      ).json()
    ).user;
    const roles = (await adminGet('/v3/roles')).roles as { id: string; name: string }[];
    for (const [where, name] of [
      [project, 'member'],
      [project, 'load-balancer_member'],
      [second, 'member'],
    ]) {
      const role = roles.find((r) => r.name === name)!;
      const granted = await post(
        `/v3/projects/${where.id}/users/${user.id}/roles/${role.id}`,
        undefined,
        'PUT',
      );
      assert.equal(granted.status, 204);
    }
    const other = await browser.newPage();
    const otherToken = watchToken(other);
    try {
      await other.goto(`${server.url}/dashboard/`);
      assert.equal(
        await logIn(other, 'bob', 'bob-pw', 'tenant-b'),
        true,
        'no project picker for two projects',
      );
      await other.getByText('No load balancers.').waitFor();
      assert.match((await other.locator('.top').textContent()) ?? '', /project tenant-b/);
      // Not an admin: no Administration link, and its address shows the list rather than the admin page.
      assert.equal(await other.getByRole('link', { name: 'Administration' }).count(), 0);
      await goInApp(other, '/dashboard/admin');
      await other.getByRole('heading', { name: 'Load balancers' }).waitFor();
      assert.equal(await other.getByRole('heading', { name: 'Administration' }).count(), 0);
      await goInApp(other, `/dashboard/loadbalancers/${lbId}`);
      await other.getByRole('alert').waitFor();
      // Octavia's answer to another project's object under its RBAC: the dashboard shows the API's words.
      assert.equal(
        await other.getByRole('alert').textContent(),
        'Policy does not allow this request to be performed.',
      );
      // The token revoked behind the dashboard's back: its next call answers 401 and the session ends.
      const revoked = await fetch(`${server.url}/v3/auth/tokens`, {
        method: 'DELETE',
        headers: { 'x-auth-token': token, 'x-subject-token': otherToken() },
      });
      assert.equal(revoked.status, 204);
      // The next call (the page's own polling, or the list it is sent to) ends the session: the page may be
      // gone before a click lands, so it goes to the list as its link does.
      await goInApp(other, '/dashboard/');
      await other.getByRole('button', { name: 'Log in' }).waitFor();
    } finally {
      await other.close();
    }
  });

  it('lays the load balancer page and the list out on a phone screen without sideways scrolling', async () => {
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.locator('section[data-resource="members"] tr', { hasText: BACKEND_HOST }).waitFor();
      assert.ok(await fits(), 'the load balancer page overflows a phone screen');
      await page.screenshot({ path: path.join(SHOTS, 'load-balancer-phone.png') });
      await page.getByRole('link', { name: '← Load balancers' }).click();
      await page.locator('tr[data-lb="web"]').waitFor();
      assert.ok(await fits(), 'the list overflows a phone screen');
      await page.screenshot({ path: path.join(SHOTS, 'list-phone.png') });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('lists the load balancer and deletes it after a confirmation', async () => {
    const row = page.locator('tr[data-lb="web"]');
    await row.waitFor();
    assert.equal(await row.locator('td').nth(1).textContent(), vip);
    await page.screenshot({ path: path.join(SHOTS, 'list.png') });
    await row.getByRole('button', { name: 'Delete web' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete web?' });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No load balancers.').waitFor({ timeout: 60_000 });
    assert.deepEqual((await adminGet('/v2/lbaas/loadbalancers')).loadbalancers, []);
    if (!opensslMissing) {
      await page.getByRole('link', { name: 'Certificates' }).click();
      await deleteConfirmed(
        page.getByRole('button', { name: 'Delete secret web-cert' }),
        'Delete secret web-cert?',
      );
      await page.getByText('No secrets.').waitFor();
      await page.getByRole('link', { name: 'Sluice' }).click();
    }
    assert.deepEqual(cspViolations, []);
  });

  it('keeps the token in memory only: no web storage or cookie holds it, and a reload shows the login page', async () => {
    const token = pageToken();
    assert.ok(token.length > 0, 'the dashboard sent no token');
    assert.equal((await stored(page)).includes(token), false);
    assert.deepEqual(await page.evaluate(() => [sessionStorage.length, localStorage.length]), [0, 0]);
    await page.reload();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
    assert.deepEqual(await page.evaluate(() => [sessionStorage.length, localStorage.length]), [0, 0]);
    await logIn(page, 'admin', PASSWORD);
    await page.getByText('No load balancers.').waitFor();
    assert.notEqual(pageToken(), token);
  });

  it('logs out: the token is revoked and the tab forgets it', async () => {
    const token = pageToken();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal((await stored(page)).includes(token), false);
    const after = await fetch(`${server.url}/v2/lbaas/loadbalancers`, { headers: { 'x-auth-token': token } });
    assert.equal(after.status, 401);
  });
});
