// The real openstack client against `sluice serve` started with an admin TLS policy: a TERMINATED_HTTPS
// listener on a PKCS#12 secret stored with `openstack secret store`, shown and listed by the client with the
// Sluice extension fields (certificate facts, expiry reason) in the body, and TLS versions below the
// configured minimum refused with Octavia's message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { issueToken, type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { createTestPki, opensslMissing, type TestPki } from '../helpers/test-pki.ts';

const PASSWORD = 'cli-certificates-password';
const ENV = {
  SLUICE_ADMIN_PASSWORD: PASSWORD,
  SLUICE_PROVIDER: 'noop',
  SLUICE_AGENT: 'none',
  SLUICE_MINIMUM_TLS_VERSION: 'TLSv1.2',
};
let server: ServeProcess;
let openstack: OpenStackCli;
let pki: TestPki;
let secretHref = '';

describe('the openstack client with listener certificate facts and the TLS policy', {
  skip: openstackMissing || opensslMissing,
}, () => {
  before(async () => {
    [server, pki] = await Promise.all([startServe({ env: ENV }), createTestPki()]);
    openstack = openstackCli(server.url, PASSWORD);
    const bundle = await pki.pkcs12(await pki.server(['www.example.test'], 5));
    // The cookbook's way: a PKCS#12 bundle as base64 octet-stream (short flags, as it types them).
    const stored = await openstack.json(
      ...['secret', 'store', '--name', 'tls_secret1', '-t', 'application/octet-stream', '-e', 'base64'],
      ...['--payload', bundle.toString('base64')],
    );
    secretHref = stored['Secret href'];
    await openstack('loadbalancer', 'create', '--name', 'lb1', '--vip-subnet-id', 'public-subnet', '--wait');
  });
  after(async () => {
    await server?.stop();
    await pki?.remove();
  });

  it('creates, shows and lists a TERMINATED_HTTPS listener whose body carries the certificate facts', async () => {
    const created = await openstack.json(
      'loadbalancer',
      'listener',
      'create',
      '--name',
      'listener1',
      '--protocol',
      'TERMINATED_HTTPS',
      '--protocol-port',
      '443',
      '--default-tls-container-ref',
      secretHref,
      '--wait',
      'lb1',
    );
    assert.equal(created.default_tls_container_ref, secretHref);
    const shown = await openstack.json('loadbalancer', 'listener', 'show', 'listener1');
    assert.equal(shown.protocol, 'TERMINATED_HTTPS');
    assert.equal(shown.provisioning_status, 'ACTIVE');
    const listed = await openstack.json('loadbalancer', 'listener', 'list');
    assert.deepEqual(
      listed.map((row: { name: string }) => row.name),
      ['listener1'],
    );
    // What the client received: the same listener with the extension fields.
    const token = await issueToken(server.url, PASSWORD);
    const body = await (
      await fetch(`${server.url}/v2/lbaas/listeners/${shown.id}`, {
        headers: { 'x-auth-token': token },
      })
    ).json();
    assert.equal(body.listener.tls_certificates[0].subject, 'CN=www.example.test');
    assert.match(
      body.listener.operating_status_reason,
      new RegExp(`^certificate ${secretHref} \\(CN=www\\.example\\.test\\) expires \\S+Z, in 5 days$`),
    );
  });

  it('refuses TLS versions below --minimum-tls-version with Octavia’s message', async () => {
    await assert.rejects(
      openstack(
        'loadbalancer',
        'listener',
        'create',
        '--protocol',
        'TERMINATED_HTTPS',
        '--protocol-port',
        '8443',
        '--default-tls-container-ref',
        secretHref,
        '--tls-version',
        'TLSv1.1',
        '--tls-version',
        'TLSv1.2',
        'lb1',
      ),
      /Validation failure: Requested TLS versions are less than the minimum: TLSv1\.1 < TLSv1\.2/,
    );
  });
});
