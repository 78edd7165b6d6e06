// TERMINATED_HTTPS through `sluice serve` on every data-plane provider, the whole chain real: the cookbook's
// PKCS#12 bundle stored in the built-in secret store (Barbican API), a listener naming it, the provider serving
// it on the VIP; checked with real TLS handshakes: the default certificate, an SNI certificate by name, the
// HSTS header exactly as Octavia renders it, the member reached, over HTTP/1.1 and over HTTP/2 negotiated by
// ALPN (with the X-Forwarded-Proto and X-SSL-* headers at the member), no h2 where alpn_protocols leave it
// out; a secret of another project is refused with Octavia's 400.
// https://docs.openstack.org/octavia/latest/user/guides/basic-cookbook.html
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import tls from 'node:tls';
import { alpnOf, h2Connect, h2Request, negotiatedAlpn } from '../helpers/h2-client.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { createTestPki, opensslMissing, type TestPki } from '../helpers/test-pki.ts';
import { type Api, apiClient, createService } from './api-client.ts';
import { type Backend, httpBackend } from './backends.ts';
import { conformanceProviders } from './providers.ts';

const PASSWORD = 'tls-conformance-password';
const PORT = 18443;
/** a listener whose alpn_protocols leave h2 out */
const HTTP1_ONLY_PORT = 18445;

/** Stores `bytes` as the cookbook does (octet-stream, base64); returns the secret's ref. */
async function storeSecret(api: Api, name: string, bytes: Buffer): Promise<string> {
  const created = await api.call('POST', '/key-manager/v1/secrets', {
    name,
    payload: bytes.toString('base64'),
    payload_content_type: 'application/octet-stream',
    payload_content_encoding: 'base64',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.secret_ref as string;
}

/** The subject CN of the certificate the VIP serves for `servername` (none: no SNI). */
function servedCn(host: string, ca: string, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: PORT, ca, servername, rejectUnauthorized: false }, () => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('no TLS handshake within 5 s')));
    socket.on('error', reject);
  });
}

function httpsGet(host: string, ca: string, servername: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const request = https.get(
        { host, port: PORT, path: '/hello', ca, servername, headers: { host: servername }, timeout: 5000 },
        (response) => {
          let body = '';
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
      request.on('error', reject);
    },
  );
}

for (const PROVIDER of conformanceProviders()) {
  describe(`TERMINATED_HTTPS from the secret store (${PROVIDER} provider)`, { skip: opensslMissing }, () => {
    let server: ServeProcess;
    let api: Api;
    let pki: TestPki;
    let backend: Backend;
    let vip: string;

    before(async () => {
      pki = await createTestPki();
      backend = await httpBackend('tls1', '127.0.72.1');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      const www = await storeSecret(api, 'www', await pki.pkcs12(await pki.server(['www.example.test'])));
      const shop = await storeSecret(api, 'shop', await pki.pkcs12(await pki.server(['shop.example.test'])));
      vip = (await api.createLoadBalancer({ provider: PROVIDER })).vip_address;
      await createService(
        api,
        {
          protocol: 'TERMINATED_HTTPS',
          protocol_port: PORT,
          default_tls_container_ref: www,
          sni_container_refs: [shop],
          hsts_max_age: 100,
          hsts_include_subdomains: true,
          hsts_preload: true,
          insert_headers: {
            'X-Forwarded-Proto': 'true',
            'X-SSL-Client-Has-Cert': 'true',
            'X-SSL-Client-Verify': 'true',
          },
        },
        { protocol: 'HTTP' },
        [{ backend }],
      );
      await createService(
        api,
        {
          protocol: 'TERMINATED_HTTPS',
          protocol_port: HTTP1_ONLY_PORT,
          default_tls_container_ref: www,
          alpn_protocols: ['http/1.1'],
        },
        { protocol: 'HTTP' },
        [{ backend }],
      );
    });
    after(async () => {
      await server?.stop();
      await backend?.close();
      await pki?.remove();
    });

    it('serves the default certificate without SNI and for an unknown name', async () => {
      assert.equal(await servedCn(vip, pki.ca), 'www.example.test');
      assert.equal(await servedCn(vip, pki.ca, 'other.example.test'), 'www.example.test');
    });

    it('serves the SNI certificate for its name', async () => {
      assert.equal(await servedCn(vip, pki.ca, 'shop.example.test'), 'shop.example.test');
    });

    it('carries a verified HTTPS request to the member, with the HSTS header Octavia renders', async () => {
      const answer = await httpsGet(vip, pki.ca, 'shop.example.test');
      assert.equal(answer.status, 200);
      assert.equal(JSON.parse(answer.body).name, 'tls1');
      assert.equal(answer.headers['strict-transport-security'], 'max-age=100; includeSubDomains; preload;');
    });

    it('serves an HTTP/2 client negotiated by ALPN: the member answers, with HSTS, X-Forwarded-Proto and X-SSL', async () => {
      const session = await h2Connect(vip, PORT, { ca: pki.ca, servername: 'shop.example.test' });
      try {
        assert.equal(alpnOf(session), 'h2');
        const answer = await h2Request(session, {
          ':method': 'GET',
          ':path': '/hello',
          ':authority': 'shop.example.test',
        });
        assert.equal(answer.status, 200);
        assert.equal(answer.headers['strict-transport-security'], 'max-age=100; includeSubDomains; preload;');
        const seen = JSON.parse(answer.body);
        assert.equal(seen.name, 'tls1');
        assert.equal(seen.path, '/hello');
        assert.equal(seen.headers.host, 'shop.example.test');
        assert.equal(seen.headers['x-forwarded-proto'], 'https');
        assert.equal(seen.headers['x-ssl-client-has-cert'], '0');
        assert.equal(seen.headers['x-ssl-client-verify'], '0');
      } finally {
        session.close();
      }
    });

    it('negotiates no h2 on a listener whose alpn_protocols are [http/1.1]', async () => {
      assert.equal(await negotiatedAlpn(vip, PORT, pki.ca, ['h2', 'http/1.1']), 'h2');
      assert.equal(await negotiatedAlpn(vip, HTTP1_ONLY_PORT, pki.ca, ['h2', 'http/1.1']), 'http/1.1');
    });

    it("refuses another project's secret with Octavia's 400", async () => {
      const demo = await api.call('POST', '/v3/projects', {
        project: { name: `other-${PROVIDER}`, domain_id: 'default' },
      });
      assert.equal(demo.status, 201, JSON.stringify(demo.body));
      const projectId = (demo.body.project as { id: string }).id;
      // The admin stores a secret in its own project, then asks for a listener in the other project's name:
      // Octavia reads refs with the listener's project context, where that secret does not exist.
      const foreign = await storeSecret(
        api,
        'foreign',
        await pki.pkcs12(await pki.server(['x.example.test'])),
      );
      const subnets = (await api.call('GET', '/v2.0/subnets?name=public-subnet')).body.subnets as {
        id: string;
      }[];
      const lb = await api.call('POST', '/v2/lbaas/loadbalancers', {
        loadbalancer: { vip_subnet_id: subnets[0].id, project_id: projectId, provider: PROVIDER },
      });
      assert.equal(lb.status, 201, JSON.stringify(lb.body));
      const refused = await api.call('POST', '/v2/lbaas/listeners', {
        listener: {
          loadbalancer_id: (lb.body.loadbalancer as { id: string }).id,
          protocol: 'TERMINATED_HTTPS',
          protocol_port: PORT + 1,
          default_tls_container_ref: foreign,
        },
      });
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.body, {
        faultcode: 'Client',
        faultstring: `Could not retrieve certificate: ['${foreign}']`,
        debuginfo: null,
      });
    });
  });
}
