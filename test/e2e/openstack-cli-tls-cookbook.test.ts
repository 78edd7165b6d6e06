// The Octavia cookbook's TLS recipes typed unchanged into a shell with the Debian clients (barbicanclient,
// octaviaclient) against `sluice serve`, on every data-plane provider: PKCS#12 bundles stored as secrets, one
// TERMINATED_HTTPS listener with SNI and mandatory client certificates (CA and CRL); then curl and
// `openssl s_client` through the VIP. https://docs.openstack.org/octavia/latest/user/guides/basic-cookbook.html
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SSL_HEADERS } from '../../src/model/listener.ts';
import { type Api, apiClient } from '../conformance/api-client.ts';
import { type Backend, httpBackend } from '../conformance/backends.ts';
import { conformanceProviders } from '../conformance/providers.ts';
import {
  clientShell,
  OPENSTACK_COMMAND,
  openstackLacks,
  openstackMissing,
} from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { createTestPki, type IssuedCertificate, opensslMissing, type TestPki } from '../helpers/test-pki.ts';
import {
  curlHttps,
  curlMissing,
  servedCertificate,
  subjectCn,
  type TlsTarget,
} from '../helpers/tls-probes.ts';

const PASSWORD = 'cli-tls-cookbook-password';
const PORT = 443;

const secretMissing: string | false =
  openstackMissing ||
  (await promisify(execFile)(OPENSTACK_COMMAND, ['secret', 'store', '--help']).then(
    () => false,
    () => 'the openstack client has no `secret` commands (apt-get install python3-barbicanclient)',
  ));
const hstsFlagsLacking = await openstackLacks('--hsts-max-age', 'loadbalancer', 'listener', 'create');
const skip = secretMissing || opensslMissing || curlMissing;

/** `YYMMDDhhmmssZ`, the ASN.1 UTCTime HAProxy's ssl_c_notbefore/notafter give (HAProxy manual 7.3.4). */
const utcTime = (date: Date) => `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;

for (const PROVIDER of conformanceProviders()) {
  describe(`the Octavia TLS cookbook through the openstack client (${PROVIDER} provider)`, { skip }, () => {
    let server: ServeProcess;
    let api: Api;
    let pki: TestPki;
    let member: Backend;
    let sh: (line: string) => Promise<string>;
    let vip: string;
    let alice: IssuedCertificate;
    let revoked: IssuedCertificate;
    let work: string;
    /** the secrets' refs by name, as the secret store lists them */
    const refs: Record<string, string> = {};
    /** The VIP reached as `name` (SNI and Host), trusting the test CA, with alice's certificate unless told. */
    const target = (name: string, clientCert: IssuedCertificate | undefined = alice): TlsTarget => ({
      name,
      address: vip,
      port: PORT,
      caFile: pki.caFile,
      clientCert,
    });

    before(async () => {
      pki = await createTestPki();
      work = path.join(pki.dir, 'cookbook');
      await fs.mkdir(work);
      // The files the cookbook starts from: server.p12 and server2.p12 (made with its `openssl pkcs12
      // -export … -passout pass:` line), the client CA and its CRL as PEM.
      const [www, www2] = await Promise.all([
        pki.server(['www.example.test']),
        pki.server(['www2.example.test']),
      ]);
      [alice, revoked] = await Promise.all([pki.client('alice'), pki.client('mallory')]);
      await fs.writeFile(path.join(work, 'server.p12'), await pki.pkcs12(www));
      await fs.writeFile(path.join(work, 'server2.p12'), await pki.pkcs12(www2));
      await fs.writeFile(path.join(work, 'client_ca.pem'), pki.ca);
      await fs.writeFile(path.join(work, 'client_ca.crl'), await pki.crl([revoked]));
      member = await httpBackend('member1', '127.0.14.1');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      sh = clientShell(server.url, PASSWORD, work);
    });
    after(async () => {
      await server?.stop();
      await member?.close();
      await pki?.remove();
    });

    /** The cookbook's "re-run `openstack loadbalancer show lb1` until ACTIVE", done over the API. */
    async function untilActive(): Promise<void> {
      if (!api.loadBalancerId) {
        const found = await api.call('GET', '/v2/lbaas/loadbalancers?name=lb1');
        api.loadBalancerId = (found.body.loadbalancers as { id: string }[])[0].id;
      }
      await api.waitActive();
    }

    it('stores the PKCS#12 bundles, the client CA and the CRL with `openstack secret store`', async () => {
      for (const [name, file] of [
        ['tls_secret1', 'server.p12'],
        ['tls_secret2', 'server2.p12'],
        ['client_ca_cert', 'client_ca.pem'],
        ['client_ca_crl', 'client_ca.crl'],
      ])
        await sh(
          `openstack secret store --name='${name}' -t 'application/octet-stream' -e 'base64' --payload="$(base64 < ${file})"`,
        );
      const listed = (await api.call('GET', '/key-manager/v1/secrets?limit=100')).body.secrets as {
        name: string;
        secret_ref: string;
      }[];
      for (const secret of listed) refs[secret.name] = secret.secret_ref;
      assert.deepEqual(Object.keys(refs).sort(), [
        'client_ca_cert',
        'client_ca_crl',
        'tls_secret1',
        'tls_secret2',
      ]);
    });

    it('creates lb1, then listener1 with SNI and mandatory client authentication, its pool and member', async () => {
      // --provider picks the data plane under test; the cookbook line is otherwise as printed.
      await sh(
        `openstack loadbalancer create --name lb1 --vip-subnet-id public-subnet --provider ${PROVIDER}`,
      );
      await untilActive();
      const secret = (name: string) => `$(openstack secret list | awk '/ ${name} / {print $2}')`;
      // The SNI and the client-authentication recipes joined on one listener, plus the X-SSL headers.
      await sh(
        `openstack loadbalancer listener create --protocol-port ${PORT} --protocol TERMINATED_HTTPS --name listener1 ` +
          `--default-tls-container=${secret('tls_secret1')} ` +
          `--client-authentication=MANDATORY --client-ca-tls-container-ref=${secret('client_ca_cert')} ` +
          `--client-crl-container=${secret('client_ca_crl')} ` +
          `--insert-headers ${SSL_HEADERS.map((h) => `${h}=true`).join(',')} ` +
          (hstsFlagsLacking ? '' : '--hsts-max-age 31536000 --hsts-include-subdomains --hsts-preload ') +
          `--sni-container-refs ${secret('tls_secret1')} ${secret('tls_secret2')} -- lb1`,
      );
      await untilActive();
      const listener = (
        (await api.call('GET', '/v2/lbaas/listeners?name=listener1')).body.listeners as Record<
          string,
          unknown
        >[]
      )[0];
      if (hstsFlagsLacking) {
        // Debian's octaviaclient has no --hsts-* flags (they came with API 2.27): the same fields over the API.
        await api.change('PUT', `/v2/lbaas/listeners/${listener.id}`, {
          listener: { hsts_max_age: 31536000, hsts_include_subdomains: true, hsts_preload: true },
        });
      }
      await sh(
        'openstack loadbalancer pool create --name pool1 --lb-algorithm ROUND_ROBIN --listener listener1 --protocol HTTP',
      );
      await untilActive();
      await sh(
        `openstack loadbalancer member create --address ${member.address} --protocol-port ${member.port} pool1`,
      );
      await untilActive();
      const shown = (await api.call('GET', `/v2/lbaas/listeners/${listener.id}`)).body.listener as Record<
        string,
        unknown
      >;
      assert.equal(shown.provisioning_status, 'ACTIVE');
      assert.equal(shown.client_authentication, 'MANDATORY');
      assert.equal(shown.default_tls_container_ref, refs.tls_secret1);
      assert.deepEqual(shown.sni_container_refs, [refs.tls_secret1, refs.tls_secret2]);
      assert.equal(shown.client_ca_tls_container_ref, refs.client_ca_cert);
      assert.equal(shown.client_crl_container_ref, refs.client_ca_crl);
      const lb = (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`)).body;
      vip = (lb.loadbalancer as { vip_address: string }).vip_address;
    });

    it('serves the certificate of each SNI name to openssl s_client, the default one to other names', async () => {
      assert.equal(subjectCn(await servedCertificate(target('www.example.test'))), 'www.example.test');
      assert.equal(subjectCn(await servedCertificate(target('www2.example.test'))), 'www2.example.test');
      assert.equal(subjectCn(await servedCertificate(target('other.example.test'))), 'www.example.test');
    });

    it('answers curl with a verified certificate per name and the HSTS header', async () => {
      for (const name of ['www.example.test', 'www2.example.test']) {
        const answer = await curlHttps(target(name), '/cookbook');
        assert.equal(answer.exitCode, 0, answer.stderr);
        assert.equal(answer.status, 200);
        assert.equal(
          answer.headers['strict-transport-security'],
          'max-age=31536000; includeSubDomains; preload;',
        );
        assert.equal(JSON.parse(answer.body).name, 'member1');
      }
    });

    it('negotiates h2 with curl --http2 by ALPN', async () => {
      const answer = await curlHttps(target('www2.example.test'), '/', { http2: true });
      assert.equal(answer.exitCode, 0, answer.stderr);
      assert.equal(answer.httpVersion, '2');
      assert.equal(answer.status, 200);
    });

    it('refuses a client without a certificate and one whose certificate the CRL revokes', async () => {
      const hitsBefore = member.hits;
      for (const clientCert of [undefined, revoked]) {
        const answer = await curlHttps({ ...target('www.example.test'), clientCert }, '/');
        assert.notEqual(answer.exitCode, 0, `curl was served: ${answer.status} ${answer.body}`);
        assert.equal(answer.status, 0);
      }
      assert.equal(member.hits, hitsBefore);
    });

    it('passes the verified client certificate to the member in the X-SSL headers', async () => {
      const answer = await curlHttps(target('www.example.test'), '/whoami');
      assert.equal(answer.status, 200, answer.stderr);
      const seen = JSON.parse(answer.body).headers as Record<string, string>;
      const certificate = new X509Certificate(alice.certificate);
      assert.deepEqual(Object.fromEntries(SSL_HEADERS.map((h) => [h, seen[h.toLowerCase()]])), {
        'X-SSL-Client-Verify': '0',
        'X-SSL-Client-Has-Cert': '1',
        'X-SSL-Client-DN': '/CN=alice',
        'X-SSL-Client-CN': 'alice',
        'X-SSL-Issuer': '/CN=Sluice Test CA',
        'X-SSL-Client-SHA1': certificate.fingerprint.replaceAll(':', ''),
        'X-SSL-Client-Not-Before': utcTime(certificate.validFromDate),
        'X-SSL-Client-Not-After': utcTime(certificate.validToDate),
      });
    });
  });
}
