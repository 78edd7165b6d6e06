// Certificate rotation under load on every data-plane provider (issue #14): while wrk drives HTTPS through the
// VIP over kept-alive connections and, separately, over a new connection (TLS handshake) per request, the
// listener's default_tls_container_ref is switched to a new secret and back. No request may fail, the
// listener is ACTIVE after each switch, and new handshakes get the certificate just set.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type Api, apiClient, createService } from '../conformance/api-client.ts';
import { type Backend, httpBackend } from '../conformance/backends.ts';
import { conformanceProviders } from '../conformance/providers.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { createTestPki, opensslMissing, type TestPki } from '../helpers/test-pki.ts';
import { servedCertificate } from '../helpers/tls-probes.ts';
import { startWrk, type WrkResult, wrkMissing } from '../helpers/wrk-run.ts';

const PASSWORD = 'tls-rotation-password';
const PORT = 18454;
const NAME = 'www.example.test';
/** Requests the member must see between two steps, so each switch happens with the load running. */
const REQUESTS_PER_STEP = 200;

for (const PROVIDER of conformanceProviders()) {
  describe(`certificate rotation under load (${PROVIDER} provider)`, {
    skip: wrkMissing || opensslMissing,
  }, () => {
    let server: ServeProcess;
    let api: Api;
    let pki: TestPki;
    let member: Backend;
    let vip: string;
    let listenerId: string;
    const refs = { current: '', next: '' };
    const fingerprints = { current: '', next: '' };

    /** Stores a PKCS#12 bundle of a fresh certificate for NAME; returns its ref and fingerprint. */
    async function storeCertificate(name: string): Promise<[string, string]> {
      const issued = await pki.server([NAME]);
      const created = await api.call('POST', '/key-manager/v1/secrets', {
        name,
        payload: (await pki.pkcs12(issued)).toString('base64'),
        payload_content_type: 'application/octet-stream',
        payload_content_encoding: 'base64',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return [created.body.secret_ref as string, new X509Certificate(issued.certificate).fingerprint256];
    }

    /** The fingerprint of the certificate a new handshake gets (openssl s_client). */
    const served = async () =>
      (await servedCertificate({ name: NAME, address: vip, port: PORT, caFile: pki.caFile }))?.fingerprint256;

    /** Waits (bounded) until the member has answered `count` more requests: the load is flowing. */
    async function moreRequests(count: number): Promise<void> {
      const target = member.hits + count;
      for (let i = 0; i < 600 && member.hits < target; i += 1) await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        member.hits >= target,
        `the member saw ${member.hits} requests, expected ${target} within 30 s`,
      );
    }

    /** Points the listener at `ref`, then checks it is ACTIVE and new handshakes get `fingerprint`. */
    async function switchTo(ref: string, fingerprint: string): Promise<void> {
      await api.change('PUT', `/v2/lbaas/listeners/${listenerId}`, {
        listener: { default_tls_container_ref: ref },
      });
      const shown = (await api.call('GET', `/v2/lbaas/listeners/${listenerId}`)).body.listener as Record<
        string,
        unknown
      >;
      assert.equal(shown.provisioning_status, 'ACTIVE');
      assert.equal(shown.default_tls_container_ref, ref);
      assert.equal(await served(), fingerprint);
    }

    before(async () => {
      pki = await createTestPki();
      member = await httpBackend('member1', '127.0.14.2');
      server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: PROVIDER } });
      api = await apiClient(server.url, PASSWORD);
      [refs.current, fingerprints.current] = await storeCertificate('current');
      [refs.next, fingerprints.next] = await storeCertificate('next');
      vip = (await api.createLoadBalancer({ provider: PROVIDER })).vip_address;
      listenerId = (
        await createService(
          api,
          { protocol: 'TERMINATED_HTTPS', protocol_port: PORT, default_tls_container_ref: refs.current },
          { protocol: 'HTTP' },
          [{ backend: member }],
        )
      ).listener;
    });
    after(async () => {
      await server?.stop();
      await member?.close();
      await pki?.remove();
    });

    it('switches the default certificate to a new secret and back without a failed request', async (t) => {
      assert.equal(await served(), fingerprints.current);
      const url = `https://${vip}:${PORT}/`;
      const keepAlive = startWrk(url, { connections: 8, durationSeconds: 30 });
      const handshakes = startWrk(url, {
        connections: 4,
        durationSeconds: 30,
        headers: ['Connection: close'],
      });
      const results: WrkResult[] = [];
      try {
        await moreRequests(REQUESTS_PER_STEP);
        await switchTo(refs.next, fingerprints.next);
        await moreRequests(REQUESTS_PER_STEP);
        await switchTo(refs.current, fingerprints.current);
        await moreRequests(REQUESTS_PER_STEP);
      } finally {
        results.push(await keepAlive.stop(), await handshakes.stop());
      }
      t.diagnostic(`kept-alive: ${results[0].requests} requests; a connection each: ${results[1].requests}`);
      for (const result of results) {
        assert.ok(result.requests > 0, result.output);
        assert.deepEqual(result.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 }, result.output);
        assert.equal(result.errorResponses, 0, result.output);
      }
    });
  });
}
