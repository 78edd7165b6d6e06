import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fault, type LoadBalancerWire, newLoadBalancer } from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LISTENERS = '/v2/lbaas/listeners';
// Without a secret store the refs are stored unchecked, which is all these policy checks need.
const REF = 'http://127.0.0.1:9311/v1/secrets/6a2f7c9e-0d2b-4c55-9a8e-3b1f4d6e7a01';

describe('listeners API under the admin TLS policy (Octavia [api_settings])', () => {
  let strict: TestApi;
  let closed: TestApi;
  let lb: LoadBalancerWire;
  let closedLb: LoadBalancerWire;
  let port = 4000;
  const post = (api: TestApi, on: LoadBalancerWire, fields: Record<string, unknown>) =>
    api.call('POST', LISTENERS, api.adminToken, {
      listener: { loadbalancer_id: on.id, protocol_port: ++port, ...fields },
    });
  const https = (fields: Record<string, unknown> = {}) =>
    post(strict, lb, { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: REF, ...fields });
  const listenerCount = async (api: TestApi) =>
    (await api.call('GET', LISTENERS, api.adminToken)).json().listeners.length;

  before(async () => {
    [strict, closed] = await Promise.all([
      startTestApi({
        tlsPolicy: { tlsCipherProhibitList: 'RC4-MD5:DES-CBC3-SHA', minimumTlsVersion: 'TLSv1.2' },
      }),
      startTestApi({ tlsPolicy: { allowTlsTerminatedListeners: 'false' } }),
    ]);
    [lb, closedLb] = await Promise.all([newLoadBalancer(strict), newLoadBalancer(closed)]);
  });
  after(() => Promise.all([strict.close(), closed.close()]));

  it('refuses prohibited ciphers on create, naming them in the order given, and creates nothing', async () => {
    const before = await listenerCount(strict);
    const response = await https({ tls_ciphers: 'DES-CBC3-SHA:ECDHE-RSA-AES128-GCM-SHA256:RC4-MD5' });
    assert.deepEqual(fault(response), {
      status: 400,
      faultstring:
        'Validation failure: The following ciphers have been prohibited by an administrator: DES-CBC3-SHA, RC4-MD5',
    });
    assert.equal(await listenerCount(strict), before);
  });

  it('refuses TLS versions below the minimum on create', async () => {
    const response = await https({ tls_versions: ['TLSv1', 'TLSv1.1', 'TLSv1.2'] });
    assert.deepEqual(fault(response), {
      status: 400,
      faultstring:
        'Validation failure: Requested TLS versions are less than the minimum: TLSv1, TLSv1.1 < TLSv1.2',
    });
  });

  it('accepts allowed ciphers, versions at the minimum and the defaults', async () => {
    const given = await https({ tls_ciphers: 'ECDHE-RSA-AES128-GCM-SHA256', tls_versions: ['TLSv1.2'] });
    assert.equal(given.statusCode, 201, given.body);
    const defaults = await https();
    assert.equal(defaults.statusCode, 201, defaults.body);
    assert.deepEqual(defaults.json().listener.tls_versions, ['TLSv1.2', 'TLSv1.3']);
  });

  it('refuses prohibited ciphers and low versions on update, and changes nothing', async () => {
    const created = await https();
    const id = created.json().listener.id as string;
    await strict.provisioner.idle();
    const put = (fields: Record<string, unknown>) =>
      strict.call('PUT', `${LISTENERS}/${id}`, strict.adminToken, { listener: fields });
    assert.deepEqual(fault(await put({ tls_ciphers: 'RC4-MD5' })), {
      status: 400,
      faultstring:
        'Validation failure: The following ciphers have been prohibited by an administrator: RC4-MD5',
    });
    assert.deepEqual(fault(await put({ tls_versions: ['SSLv3', 'TLSv1.3'] })), {
      status: 400,
      faultstring: 'Validation failure: Requested TLS versions are less than the minimum: SSLv3 < TLSv1.2',
    });
    const shown = (await strict.call('GET', `${LISTENERS}/${id}`, strict.adminToken)).json().listener;
    assert.deepEqual(shown.tls_versions, ['TLSv1.2', 'TLSv1.3']);
    assert.equal(shown.provisioning_status, 'ACTIVE');
  });

  it('refuses prohibited ciphers on an HTTP listener too, as upstream checks any cipher string given', async () => {
    const response = await post(strict, lb, { protocol: 'HTTP', tls_ciphers: 'RC4-MD5' });
    assert.equal(
      fault(response).faultstring,
      'Validation failure: The following ciphers have been prohibited by an administrator: RC4-MD5',
    );
  });

  it('answers DisabledOption for TERMINATED_HTTPS, and PROMETHEUS with a certificate, when not allowed', async () => {
    for (const [protocol, shown] of [
      ['TERMINATED_HTTPS', 'TERMINATED_HTTPS'],
      ['PROMETHEUS', 'PROMETHEUS with TLS'],
    ]) {
      const response = await post(closed, closedLb, { protocol, default_tls_container_ref: REF });
      assert.deepEqual(fault(response), {
        status: 400,
        faultstring: `The selected protocol is not allowed in this deployment: ${shown}`,
      });
    }
    assert.equal(await listenerCount(closed), 0);
    const http = await post(closed, closedLb, { protocol: 'HTTP' });
    assert.equal(http.statusCode, 201, http.body);
  });

  it('applies the policy to the listeners of a fully populated load balancer create', async () => {
    const response = await closed.call('POST', '/v2/lbaas/loadbalancers', closed.adminToken, {
      loadbalancer: {
        vip_subnet_id: closed.publicSubnetId,
        listeners: [{ protocol: 'TERMINATED_HTTPS', protocol_port: 443, default_tls_container_ref: REF }],
      },
    });
    assert.deepEqual(fault(response), {
      status: 400,
      faultstring: 'The selected protocol is not allowed in this deployment: TERMINATED_HTTPS',
    });
  });
});
