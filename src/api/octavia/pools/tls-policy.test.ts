import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fault, type LoadBalancerWire, newLoadBalancer } from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const POOLS = '/v2/lbaas/pools';

describe('pools API under the admin TLS policy (Octavia [api_settings])', () => {
  let api: TestApi;
  let lb: LoadBalancerWire;
  const post = (fields: Record<string, unknown>) =>
    api.call('POST', POOLS, api.adminToken, {
      pool: { loadbalancer_id: lb.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', ...fields },
    });
  const poolCount = async () => (await api.call('GET', POOLS, api.adminToken)).json().pools.length;

  before(async () => {
    api = await startTestApi({
      tlsPolicy: { tlsCipherProhibitList: 'RC4-MD5, DES-CBC3-SHA', minimumTlsVersion: 'TLSv1.1' },
    });
    lb = await newLoadBalancer(api);
  });
  after(() => api.close());

  it('refuses prohibited ciphers on create and creates nothing', async () => {
    const response = await post({ tls_enabled: true, tls_ciphers: 'RC4-MD5:AES128-SHA:DES-CBC3-SHA' });
    assert.deepEqual(fault(response), {
      status: 400,
      faultstring:
        'Validation failure: The following ciphers have been prohibited by an administrator: RC4-MD5, DES-CBC3-SHA',
    });
    assert.equal(await poolCount(), 0);
  });

  it('refuses TLS versions below the minimum on a TLS-enabled create, not on a plain one', async () => {
    const response = await post({ tls_enabled: true, tls_versions: ['SSLv3', 'TLSv1', 'TLSv1.2'] });
    assert.deepEqual(fault(response), {
      status: 400,
      faultstring:
        'Validation failure: Requested TLS versions are less than the minimum: SSLv3, TLSv1 < TLSv1.1',
    });
    // _validate_create_pool checks the versions only when tls_enabled is set.
    const plain = await post({ tls_versions: ['TLSv1'] });
    assert.equal(plain.statusCode, 201, plain.body);
    await api.provisioner.idle();
  });

  it('refuses prohibited ciphers and low versions on update, and changes nothing', async () => {
    const created = await post({ tls_enabled: true, tls_versions: ['TLSv1.1', 'TLSv1.2'] });
    assert.equal(created.statusCode, 201, created.body);
    await api.provisioner.idle();
    const id = created.json().pool.id as string;
    const put = (fields: Record<string, unknown>) =>
      api.call('PUT', `${POOLS}/${id}`, api.adminToken, { pool: fields });
    assert.deepEqual(fault(await put({ tls_ciphers: 'DES-CBC3-SHA' })), {
      status: 400,
      faultstring:
        'Validation failure: The following ciphers have been prohibited by an administrator: DES-CBC3-SHA',
    });
    assert.deepEqual(fault(await put({ tls_versions: ['TLSv1'] })), {
      status: 400,
      faultstring: 'Validation failure: Requested TLS versions are less than the minimum: TLSv1 < TLSv1.1',
    });
    const shown = (await api.call('GET', `${POOLS}/${id}`, api.adminToken)).json().pool;
    assert.deepEqual(shown.tls_versions, ['TLSv1.1', 'TLSv1.2']);
    assert.equal(shown.provisioning_status, 'ACTIVE');
  });
});
