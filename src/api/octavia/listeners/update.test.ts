import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  insertPool,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LISTENERS = '/v2/lbaas/listeners';
let api: TestApi;
let lb: LoadBalancerWire;
let port = 2000;

const create = (fields: Record<string, unknown>) =>
  created(api, LISTENERS, 'listener', { loadbalancer_id: lb.id, protocol_port: ++port, ...fields });
async function put(id: string, fields: Record<string, unknown>) {
  const response = await api.call('PUT', `${LISTENERS}/${id}`, api.adminToken, { listener: fields });
  await api.provisioner.idle();
  return response;
}
const TLS = { protocol: 'TERMINATED_HTTPS', default_tls_container_ref: 'cert-1' };

describe('listeners API: updates (reference §4.4)', () => {
  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
  });
  after(async () => api.close());

  it('updates the mutable fields and answers 200 with the listener PENDING_UPDATE', async () => {
    const listener = await create({ protocol: 'HTTP' });
    const response = await put(listener.id, {
      name: 'renamed',
      description: 'd',
      connection_limit: 100,
      timeout_client_data: 1000,
      insert_headers: { 'X-Forwarded-For': 'true' },
      tags: ['a'],
      allowed_cidrs: ['192.0.2.0/24'],
    });
    assert.equal(response.statusCode, 200);
    const updated = response.json().listener;
    assert.equal(updated.provisioning_status, 'PENDING_UPDATE');
    assert.deepEqual(
      [updated.name, updated.description, updated.connection_limit, updated.timeout_client_data],
      ['renamed', 'd', 100, 1000],
    );
    assert.deepEqual(updated.insert_headers, { 'X-Forwarded-For': 'true' });
    assert.deepEqual([updated.tags, updated.allowed_cidrs], [['a'], ['192.0.2.0/24']]);
    const settled = (await api.call('GET', `${LISTENERS}/${listener.id}`, api.adminToken)).json().listener;
    assert.equal(settled.provisioning_status, 'ACTIVE');
  });

  it('puts fields sent as null back to their defaults', async () => {
    const listener = await create({
      ...TLS,
      connection_limit: 5,
      timeout_member_connect: 1,
      timeout_tcp_inspect: 7,
      client_ca_tls_container_ref: 'ca',
      client_authentication: 'MANDATORY',
      tls_versions: ['TLSv1.3'],
      alpn_protocols: ['h2'],
      allowed_cidrs: ['10.0.0.0/8'],
      sni_container_refs: ['s'],
    });
    const updated = (
      await put(listener.id, {
        connection_limit: null,
        timeout_member_connect: null,
        timeout_tcp_inspect: null,
        client_authentication: null,
        tls_versions: null,
        alpn_protocols: null,
        allowed_cidrs: null,
        sni_container_refs: null,
        admin_state_up: null,
        name: null,
      })
    ).json().listener;
    assert.deepEqual(
      [updated.connection_limit, updated.timeout_member_connect, updated.timeout_tcp_inspect],
      [-1, 5000, 0],
    );
    assert.equal(updated.client_authentication, 'NONE');
    assert.deepEqual(updated.tls_versions, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(updated.alpn_protocols, ['h2', 'http/1.1', 'http/1.0']);
    assert.deepEqual([updated.allowed_cidrs, updated.sni_container_refs], [null, []]);
    assert.deepEqual([updated.admin_state_up, updated.name], [false, '']);
  });

  it('sets and clears the default pool', async () => {
    const listener = await create({ protocol: 'HTTP' });
    const poolId = await insertPool(api, lb, 'HTTP');
    assert.equal(
      (await put(listener.id, { default_pool_id: poolId })).json().listener.default_pool_id,
      poolId,
    );
    assert.equal((await put(listener.id, { default_pool_id: null })).json().listener.default_pool_id, null);
  });

  it('rejects a default pool of another protocol family in an update', async () => {
    const listener = await create({ protocol: 'HTTP' });
    const poolId = await insertPool(api, lb, 'TCP');
    assert.deepEqual(fault(await put(listener.id, { default_pool_id: poolId })), {
      status: 400,
      faultstring:
        "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol is 'HTTP'.",
    });
  });

  it('rejects a change of protocol or port, which are immutable', async () => {
    const listener = await create({ protocol: 'HTTP' });
    assert.deepEqual(fault(await put(listener.id, { protocol: 'TCP' })), {
      status: 400,
      faultstring: 'Unknown attribute for argument listener_.listener: protocol',
    });
    assert.deepEqual(fault(await put(listener.id, { protocol_port: 81 })), {
      status: 400,
      faultstring: 'Unknown attribute for argument listener_.listener: protocol_port',
    });
  });

  it('rejects certificates added to an HTTP listener', async () => {
    const listener = await create({ protocol: 'HTTP' });
    assert.deepEqual(fault(await put(listener.id, { default_tls_container_ref: 'c' })), {
      status: 400,
      faultstring:
        'Validation failure: Certificate container references are only allowed on TERMINATED_HTTPS protocol listeners.',
    });
  });

  it('rejects TLS settings or inserted headers on a UDP listener', async () => {
    const listener = await create({ protocol: 'UDP' });
    assert.deepEqual(fault(await put(listener.id, { insert_headers: { 'X-Forwarded-For': 'true' } })), {
      status: 400,
      faultstring: 'Validation failure: UDP protocol listener does not support TLS or header insertion.',
    });
  });

  it('rejects an unknown inserted header in an update, listing the keys', async () => {
    const listener = await create({ protocol: 'HTTP' });
    assert.deepEqual(fault(await put(listener.id, { insert_headers: { 'X-Bogus': 'true' } })), {
      status: 400,
      faultstring: "['X-Bogus'] is not a valid option for insert_headers",
    });
  });

  it('rejects an update that would leave a TERMINATED_HTTPS listener without a certificate', async () => {
    const listener = await create(TLS);
    assert.deepEqual(fault(await put(listener.id, { default_tls_container_ref: null })), {
      status: 400,
      faultstring:
        'Validation failure: An SNI or default certificate container reference must be provided for TERMINATED_HTTPS protocol listeners.',
    });
    // Replacing the default certificate by an SNI one is fine.
    const response = await put(listener.id, { default_tls_container_ref: null, sni_container_refs: ['s'] });
    assert.equal(response.statusCode, 200);
  });

  it('rejects client authentication in an update when there is no client CA', async () => {
    const listener = await create(TLS);
    assert.deepEqual(fault(await put(listener.id, { client_authentication: 'OPTIONAL' })), {
      status: 400,
      faultstring:
        'Validation failure: Client authentication setting OPTIONAL requires a client CA container reference.',
    });
  });

  it('rejects a CRL in an update when there is no client CA', async () => {
    const listener = await create(TLS);
    assert.deepEqual(fault(await put(listener.id, { client_crl_container_ref: 'crl' })), {
      status: 400,
      faultstring:
        'Validation failure: A client authentication CA reference is required to specify a client authentication revocation list.',
    });
    const withCa = await put(listener.id, {
      client_crl_container_ref: 'crl',
      client_ca_tls_container_ref: 'ca',
    });
    assert.equal(withCa.statusCode, 200);
  });

  it('rejects an empty TLS version list in an update', async () => {
    const listener = await create(TLS);
    assert.deepEqual(fault(await put(listener.id, { tls_versions: [] })), {
      status: 400,
      faultstring:
        'Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.',
    });
  });

  it('rejects a cipher string with characters outside the whitelist in an update', async () => {
    const listener = await create(TLS);
    assert.deepEqual(fault(await put(listener.id, { tls_ciphers: 'AES128-SHA\n  bind :1' })), {
      status: 400,
      faultstring:
        'Validation failure: Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.',
    });
  });

  it('rejects an allowed CIDR of the other IP family in an update', async () => {
    const listener = await create({ protocol: 'TCP' });
    assert.deepEqual(fault(await put(listener.id, { allowed_cidrs: ['2001:db8::/32'] })), {
      status: 400,
      faultstring: `Validation failure: CIDR 2001:db8::/32 IP version incompatible with all VIPs ['${lb.vip_address}'] IP version.`,
    });
  });

  it('leaves the stored listener untouched when an update is refused', async () => {
    const listener = await create({ protocol: 'HTTP', name: 'keep' });
    await put(listener.id, { name: 'changed', insert_headers: { 'X-Bogus': 'x' } });
    const stored = (await api.call('GET', `${LISTENERS}/${listener.id}`, api.adminToken)).json().listener;
    assert.deepEqual([stored.name, stored.provisioning_status], ['keep', 'ACTIVE']);
  });
});
