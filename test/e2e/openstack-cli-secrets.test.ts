// The real barbicanclient (`openstack secret …`, Debian python3-barbicanclient) against `sluice serve`: store
// binary bytes as base64 octet-stream, list, read a payload back, round-trip binary bytes through
// `secret get --file`, make a certificate container, delete; the key file is 0600 and reused on restart.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe, tempDataDir } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-secrets-password';
const ENV = { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop', SLUICE_AGENT: 'none' };
let server: ServeProcess;
let openstack: OpenStackCli;
const dataDir = tempDataDir();
const work = fs.mkdtempSync(path.join(dataDir, 'files-'));
// Random bytes with NUL, 0xff and a CR LF, which any text handling on the way would damage.
const binary = Buffer.concat([randomBytes(2048), Buffer.from([0, 0xff, 0x0d, 0x0a, 0])]);
const binaryFile = path.join(work, 'server.p12');
let secretHref = '';

describe('the openstack client’s secret commands against sluice serve', { skip: openstackMissing }, () => {
  before(async () => {
    fs.writeFileSync(binaryFile, binary);
    server = await startServe({ dataDir, env: ENV });
    openstack = openstackCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores binary bytes sent as base64 octet-stream and lists the secret', async () => {
    const stored = await openstack.json(
      'secret',
      'store',
      '--name',
      'tls_secret1',
      '--payload-content-type',
      'application/octet-stream',
      '--payload-content-encoding',
      'base64',
      '--payload',
      binary.toString('base64'),
    );
    secretHref = stored['Secret href'];
    assert.match(secretHref, new RegExp(`^${server.url}/key-manager/v1/secrets/[0-9a-f-]{36}$`));
    const listed = await openstack.json('secret', 'list');
    const row = listed.find((s: { Name: string }) => s.Name === 'tls_secret1');
    assert.equal(row['Secret href'], secretHref);
    assert.deepEqual(row['Content types'], { default: 'application/octet-stream' });
    assert.equal(row.Status, 'ACTIVE');
  });

  it('round-trips the binary bytes through secret get --file, and prints a text payload', async () => {
    const out = path.join(work, 'out.p12');
    await openstack(
      'secret',
      'get',
      secretHref,
      '--file',
      out,
      '--payload_content_type',
      'application/octet-stream',
    );
    assert.deepEqual(fs.readFileSync(out), binary);
    const text = await openstack.json(
      'secret',
      'store',
      '--name',
      'note',
      '--payload',
      'hello from barbicanclient',
    );
    const shown = await openstack.json('secret', 'get', text['Secret href'], '--payload');
    assert.deepEqual(shown, { Payload: 'hello from barbicanclient' });
  });

  it('creates a certificate container of the secret and lists it', async () => {
    const container = await openstack.json(
      'secret',
      'container',
      'create',
      '--type',
      'certificate',
      '--name',
      'tls_container',
      '--secret',
      `certificate=${secretHref}`,
    );
    assert.equal(container.Type, 'certificate');
    assert.equal(container.Certificate, secretHref);
    const listed = await openstack.json('secret', 'container', 'list');
    assert.deepEqual(
      listed.map((c: { Name: string }) => c.Name),
      ['tls_container'],
    );
  });

  it('keeps the payload across a restart with the same key file (0600), then deletes the secret', async () => {
    const keyFile = path.join(dataDir, 'secret-store.key');
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    const key = fs.readFileSync(keyFile);
    await server.stop();
    server = await startServe({ dataDir, env: ENV });
    openstack = openstackCli(server.url, PASSWORD);
    assert.deepEqual(fs.readFileSync(keyFile), key);
    const out = path.join(work, 'after-restart.p12');
    const href = secretHref.replace(/^http:\/\/[^/]+/, server.url);
    await openstack(
      'secret',
      'get',
      href,
      '--file',
      out,
      '--payload_content_type',
      'application/octet-stream',
    );
    assert.deepEqual(fs.readFileSync(out), binary);
    await openstack('secret', 'delete', href);
    const names = (await openstack.json('secret', 'list')).map((s: { Name: string }) => s.Name);
    assert.deepEqual(names, ['note']);
  });
});
