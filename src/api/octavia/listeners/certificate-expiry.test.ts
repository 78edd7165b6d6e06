import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type LoadBalancerWire, newLoadBalancer } from '../../../../test/helpers/listener-fixtures.ts';
import { type MemorySecrets, memorySecrets } from '../../../../test/helpers/memory-secrets.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import {
  createTestPki,
  type IssuedCertificate,
  opensslMissing,
  type TestPki,
} from '../../../../test/helpers/test-pki.ts';
import { backfillListenerCertificates } from '../../../store/repositories/listener-certificate-backfill.ts';

const LISTENERS = '/v2/lbaas/listeners';
/** The certificate's end of validity as the API prints it, to the second. */
const notAfter = (issued: IssuedCertificate) =>
  new X509Certificate(issued.certificate).validToDate.toISOString().replace('.000Z', 'Z');

describe('listeners API: certificate subject, SANs and expiry (Sluice extension fields)', {
  skip: opensslMissing,
}, () => {
  let api: TestApi;
  let lb: LoadBalancerWire;
  let pki: TestPki;
  let secrets: MemorySecrets;
  let soon: IssuedCertificate;
  let later: IssuedCertificate;
  let expired: IssuedCertificate;
  let soonRef: string;
  let laterRef: string;
  let expiredRef: string;
  let port = 5000;
  const post = (fields: Record<string, unknown>) =>
    api.call('POST', LISTENERS, api.adminToken, {
      listener: { loadbalancer_id: lb.id, protocol_port: ++port, ...fields },
    });
  const show = async (id: string, query = '') =>
    (await api.call('GET', `${LISTENERS}/${id}${query}`, api.adminToken)).json().listener;

  before(async () => {
    secrets = memorySecrets();
    [api, pki] = await Promise.all([startTestApi({ secrets }), createTestPki()]);
    lb = await newLoadBalancer(api);
    // `openssl x509 -days -1` ends validity a day before issue: an expired certificate.
    [soon, later, expired] = await Promise.all([
      pki.server(['www.example.test', 'example.test'], 9),
      pki.server(['api.example.test'], 60),
      pki.server(['old.example.test'], -1),
    ]);
    [soonRef, laterRef, expiredRef] = await Promise.all(
      [soon, later, expired].map(async (issued) => secrets.add(lb.project_id, await pki.pkcs12(issued))),
    );
  });
  after(() => Promise.all([api.close(), pki.remove()]));

  it('shows the subject, SAN DNS names and expiry of each server certificate, and warns 14 days ahead', async () => {
    const response = await post({
      protocol: 'TERMINATED_HTTPS',
      default_tls_container_ref: soonRef,
      sni_container_refs: [laterRef],
    });
    assert.equal(response.statusCode, 201, response.body);
    const answered = response.json().listener;
    const expected = {
      tls_certificates: [
        {
          ref: soonRef,
          role: 'default',
          subject: 'CN=www.example.test',
          subject_alt_names: ['www.example.test', 'example.test'],
          not_after: notAfter(soon),
        },
        {
          ref: laterRef,
          role: 'sni',
          subject: 'CN=api.example.test',
          subject_alt_names: ['api.example.test'],
          not_after: notAfter(later),
        },
      ],
      operating_status_reason: `certificate ${soonRef} (CN=www.example.test) expires ${notAfter(soon)}, in 9 days`,
    };
    const extensions = (l: Record<string, unknown>) => ({
      tls_certificates: l.tls_certificates,
      operating_status_reason: l.operating_status_reason,
    });
    assert.deepEqual(extensions(answered), expected);
    await api.provisioner.idle();
    assert.deepEqual(extensions(await show(answered.id)), expected);
    const listed = (await api.call('GET', `${LISTENERS}?id=${answered.id}`, api.adminToken)).json().listeners;
    assert.deepEqual(extensions(listed[0]), expected);
    assert.doesNotMatch(JSON.stringify(listed), /PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  it('says an expired certificate expired, and nothing for one far from expiry', async () => {
    const old = (await post({ protocol: 'TERMINATED_HTTPS', default_tls_container_ref: expiredRef })).json();
    assert.equal(
      old.listener.operating_status_reason,
      `certificate ${expiredRef} (CN=old.example.test) expired ${notAfter(expired)}`,
    );
    const fine = (await post({ protocol: 'TERMINATED_HTTPS', default_tls_container_ref: laterRef })).json();
    assert.equal(fine.listener.operating_status_reason, null);
    assert.equal(fine.listener.tls_certificates[0].not_after, notAfter(later));
    await api.provisioner.idle();
  });

  it('records the new certificate when an update points the listener at it', async () => {
    const created = (await post({ protocol: 'TERMINATED_HTTPS', default_tls_container_ref: soonRef })).json();
    await api.provisioner.idle();
    const updated = await api.call('PUT', `${LISTENERS}/${created.listener.id}`, api.adminToken, {
      listener: { default_tls_container_ref: laterRef },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().listener.operating_status_reason, null);
    assert.deepEqual(
      updated.json().listener.tls_certificates.map((c: { ref: string; role: string }) => [c.ref, c.role]),
      [[laterRef, 'default']],
    );
    await api.provisioner.idle();
  });

  it('records the facts of the listeners of a fully populated load balancer create, in its answer', async () => {
    const response = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: {
        vip_subnet_id: api.publicSubnetId,
        listeners: [{ protocol: 'TERMINATED_HTTPS', protocol_port: 443, sni_container_refs: [expiredRef] }],
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    const [listener] = response.json().loadbalancer.listeners;
    assert.deepEqual(
      listener.tls_certificates.map((c: { ref: string; role: string }) => [c.ref, c.role]),
      [[expiredRef, 'sni']],
    );
    assert.match(listener.operating_status_reason, / expired /);
    await api.provisioner.idle();
  });

  it('shows an empty list and no reason on a listener without TLS, and honours fields=', async () => {
    const http = (await post({ protocol: 'HTTP' })).json().listener;
    assert.deepEqual(http.tls_certificates, []);
    assert.equal(http.operating_status_reason, null);
    await api.provisioner.idle();
    assert.deepEqual(await show(http.id, '?fields=id&fields=operating_status_reason'), {
      id: http.id,
      operating_status_reason: null,
    });
    const upstream = await show(http.id, '?fields=id&fields=protocol');
    assert.deepEqual(upstream, { id: http.id, protocol: 'HTTP' });
  });

  it('fills the facts of a listener recorded without them (before migration 013) at start', async () => {
    const created = (await post({ protocol: 'TERMINATED_HTTPS', default_tls_container_ref: soonRef })).json();
    await api.provisioner.idle();
    await api.store.db
      .updateTable('listeners')
      .set({ tls_certificates: null })
      .where('id', '=', created.listener.id)
      .execute();
    assert.deepEqual((await show(created.listener.id)).tls_certificates, []);
    assert.ok((await backfillListenerCertificates(api.store.db, secrets)) >= 1);
    const shown = await show(created.listener.id);
    assert.deepEqual(
      shown.tls_certificates.map((c: { ref: string; not_after: string }) => [c.ref, c.not_after]),
      [[soonRef, notAfter(soon)]],
    );
    assert.match(shown.operating_status_reason, /, in 9 days$/);
    assert.equal(
      await backfillListenerCertificates(api.store.db, secrets),
      0,
      'a second start reads nothing',
    );
  });
});
