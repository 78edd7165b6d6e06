import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { setQuota } from '../../../store/repositories/quota-repository.ts';

const LB = '/v2/lbaas/loadbalancers';
let api: TestApi;

async function activeLb(token = api.adminToken): Promise<{ id: string; project_id: string }> {
  const response = await api.call('POST', LB, token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } });
  assert.equal(response.statusCode, 201, response.body);
  await api.provisioner.idle();
  return response.json().loadbalancer;
}
const amphoraIds = async (lbId: string) =>
  (await api.store.db.selectFrom('amphorae').select('id').where('load_balancer_id', '=', lbId).execute()).map(
    (r) => r.id,
  );

describe('load balancer actions', () => {
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('places one STANDALONE amphora when a SINGLE load balancer goes ACTIVE', async () => {
    const lb = await activeLb();
    const rows = await api.store.db
      .selectFrom('amphorae')
      .selectAll()
      .where('load_balancer_id', '=', lb.id)
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.role, r.status]),
      [['STANDALONE', 'ALLOCATED']],
    );
  });

  it('fails a load balancer over with 202 and rebuilds its amphorae', async () => {
    const lb = await activeLb();
    const before = await amphoraIds(lb.id);
    const response = await api.call('PUT', `${LB}/${lb.id}/failover`, api.adminToken);
    assert.equal(response.statusCode, 202);
    assert.equal(response.body, '');
    await api.provisioner.idle();
    const shown = (await api.call('GET', `${LB}/${lb.id}`, api.adminToken)).json().loadbalancer;
    assert.equal(shown.provisioning_status, 'ACTIVE');
    const after = await amphoraIds(lb.id);
    assert.equal(after.length, 1);
    assert.notDeepEqual(after, before);
  });

  it('refuses failover to a project member (admin only by default)', async () => {
    const member = await api.userWithRoles(['load-balancer_member']);
    const lb = await activeLb(member.token);
    const response = await api.call('PUT', `${LB}/${lb.id}/failover`, member.token);
    assert.equal(response.statusCode, 403);
  });

  it('refuses failover while the load balancer is pending, with 409', async () => {
    const lb = await activeLb();
    await api.provisioner.stop();
    await api.call('PUT', `${LB}/${lb.id}`, api.adminToken, { loadbalancer: { name: 'busy' } });
    const response = await api.call('PUT', `${LB}/${lb.id}/failover`, api.adminToken);
    assert.equal(response.statusCode, 409);
    assert.equal(
      response.json().faultstring,
      `Invalid state PENDING_UPDATE of loadbalancer resource ${lb.id}`,
    );
    api.provisioner.start();
    await api.provisioner.idle();
  });

  it('sums the stats of every listener of the load balancer', async () => {
    const lb = await activeLb();
    const [amphora] = await amphoraIds(lb.id);
    // Statistics rows as a data plane reports them, for two listeners.
    const listenerIds = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    for (const [i, id] of listenerIds.entries()) {
      await api.store.db
        .insertInto('listeners')
        .values({
          id,
          project_id: lb.project_id,
          load_balancer_id: lb.id,
          name: null,
          admin_state_up: 1,
          provisioning_status: 'ACTIVE',
          operating_status: 'ONLINE',
          tags: '[]',
          created_at: new Date().toISOString(),
          updated_at: null,
          description: null,
          protocol: 'TCP',
          protocol_port: 1000 + i,
          connection_limit: -1,
          default_pool_id: null,
          default_tls_container_ref: null,
          sni_container_refs: '[]',
          insert_headers: null,
          timeout_client_data: null,
          timeout_member_connect: null,
          timeout_member_data: null,
          timeout_tcp_inspect: null,
          client_ca_tls_container_ref: null,
          client_authentication: 'NONE',
          client_crl_container_ref: null,
          allowed_cidrs: null,
          tls_ciphers: null,
          tls_versions: null,
          alpn_protocols: null,
        })
        .execute();
      await api.store.db
        .insertInto('listener_statistics')
        .values({
          listener_id: id,
          amphora_id: amphora,
          bytes_in: 100 * (i + 1),
          bytes_out: 10,
          active_connections: 2,
          total_connections: 7,
          request_errors: 1,
        })
        .execute();
    }
    const stats = (await api.call('GET', `${LB}/${lb.id}/stats`, api.adminToken)).json();
    assert.deepEqual(stats, {
      stats: {
        bytes_in: 300,
        bytes_out: 20,
        active_connections: 4,
        total_connections: 14,
        request_errors: 2,
      },
    });
  });

  it('takes provider and topology from the flavor: ACTIVE_STANDBY places a MASTER and a BACKUP', async () => {
    const profile = await api.call('POST', '/v2/lbaas/flavorprofiles', api.adminToken, {
      flavorprofile: {
        name: 'ha',
        provider_name: 'noop',
        flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
      },
    });
    assert.equal(profile.statusCode, 201, profile.body);
    const flavor = await api.call('POST', '/v2/lbaas/flavors', api.adminToken, {
      flavor: { name: 'ha', flavor_profile_id: profile.json().flavorprofile.id },
    });
    assert.equal(flavor.statusCode, 201, flavor.body);
    const flavorId = flavor.json().flavor.id;
    const response = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, flavor_id: flavorId },
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().loadbalancer.flavor_id, flavorId);
    await api.provisioner.idle();
    const lbId = response.json().loadbalancer.id;
    const roles = await api.store.db
      .selectFrom('amphorae')
      .select('role')
      .where('load_balancer_id', '=', lbId)
      .execute();
    assert.deepEqual(roles.map((r) => r.role).sort(), ['BACKUP', 'MASTER']);
    assert.equal(api.noop.applied.get(lbId)?.topology, 'ACTIVE_STANDBY');

    const mismatch = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, flavor_id: flavorId, provider: 'amphora' },
    });
    assert.equal(mismatch.statusCode, 400);
    assert.equal(
      mismatch.json().faultstring,
      `Flavor '${flavorId}' is not compatible with provider 'amphora'`,
    );

    await api.call('PUT', `/v2/lbaas/flavors/${flavorId}`, api.adminToken, { flavor: { enabled: false } });
    const disabled = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, flavor_id: flavorId },
    });
    assert.equal(disabled.statusCode, 400);
    assert.equal(
      disabled.json().faultstring,
      `The selected flavor is not allowed in this deployment: ${flavorId}`,
    );
  });

  it('rejects an unknown flavor and an unknown availability zone', async () => {
    const flavor = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, flavor_id: '0b8a3c3e-5a56-4b7e-8a1e-3f2d9c1b7a10' },
    });
    assert.equal(flavor.json().faultstring, 'Validation failure: Invalid flavor_id.');
    const zone = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, availability_zone: 'nowhere' },
    });
    assert.equal(zone.json().faultstring, 'Validation failure: Invalid availability zone.');
  });

  it('enforces the load balancer quota of the project', async () => {
    const member = await api.userWithRoles(['load-balancer_member']);
    await setQuota(api.store.db, member.projectId, { load_balancer: 1 });
    await activeLb(member.token);
    const response = await api.call('POST', LB, member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().faultstring, 'Quota has been met for resources: Load Balancer');
  });
});

describe('the noop network driver', () => {
  let noopApi: TestApi;
  before(async () => {
    noopApi = await startTestApi({ networkDriver: 'noop' });
  });
  after(async () => noopApi.close());

  it('accepts VIP and member subnet ids without looking them up', async () => {
    const subnet = '6b1f0e3e-7b4a-4c1e-9d0a-1c2b3d4e5f60';
    const response = await noopApi.call('POST', LB, noopApi.adminToken, {
      loadbalancer: { vip_subnet_id: subnet, vip_address: '203.0.113.7' },
    });
    assert.equal(response.statusCode, 201, response.body);
    const lb = response.json().loadbalancer;
    assert.equal(lb.vip_subnet_id, subnet);
    assert.equal(lb.vip_address, '203.0.113.7');
    await noopApi.provisioner.idle();
    const pool = await noopApi.call('POST', '/v2/lbaas/pools', noopApi.adminToken, {
      pool: { loadbalancer_id: lb.id, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' },
    });
    await noopApi.provisioner.idle();
    const member = await noopApi.call(
      'POST',
      `/v2/lbaas/pools/${pool.json().pool.id}/members`,
      noopApi.adminToken,
      {
        member: { address: '203.0.113.20', protocol_port: 80, subnet_id: subnet },
      },
    );
    assert.equal(member.statusCode, 201, 'a member subnet is accepted without lookup too');
    await noopApi.provisioner.idle();
    assert.equal(
      (await noopApi.call('DELETE', `${LB}/${lb.id}?cascade=true`, noopApi.adminToken)).statusCode,
      204,
    );
    await noopApi.provisioner.idle();
    assert.equal((await noopApi.call('GET', `${LB}/${lb.id}`, noopApi.adminToken)).statusCode, 404);
  });
});
