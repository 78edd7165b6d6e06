import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const A = '/v2/octavia/amphorae';
const LB = '/v2/lbaas/loadbalancers';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
const UNKNOWN = '6a1f3c2b-0d4e-4f5a-8b9c-1d2e3f4a5b6c';
const FIELDS = (
  'id loadbalancer_id compute_id lb_network_ip vrrp_ip ha_ip vrrp_port_id ha_port_id cert_expiration ' +
  'cert_busy role status vrrp_interface vrrp_id vrrp_priority cached_zone created_at updated_at image_id ' +
  'compute_flavor'
).split(' ');
let api: TestApi;
let owner: { token: string; projectId: string };

/** An ACTIVE load balancer and its one (STANDALONE) amphora. */
async function placedLoadBalancer(token = api.adminToken): Promise<{ lbId: string; amphoraId: string }> {
  const lb = (
    await api.call('POST', LB, token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } })
  ).json().loadbalancer;
  await api.provisioner.idle();
  const amphorae = (await api.call('GET', `${A}?loadbalancer_id=${lb.id}`, api.adminToken)).json().amphorae;
  assert.equal(amphorae.length, 1);
  return { lbId: lb.id, amphoraId: amphorae[0].id };
}
async function lbStatus(id: string): Promise<string> {
  return (await api.call('GET', `${LB}/${id}`, api.adminToken)).json().loadbalancer.provisioning_status;
}

describe('amphorae admin API', () => {
  before(async () => {
    api = await startTestApi();
    owner = await api.userWithRoles(['load-balancer_member']);
  });
  after(async () => api.close());

  it('lists and shows the placement of an ACTIVE load balancer with every amphora field', async () => {
    const { lbId, amphoraId } = await placedLoadBalancer();
    const list = (await api.call('GET', A, api.adminToken)).json();
    assert.deepEqual(Object.keys(list).sort(), ['amphorae', 'amphorae_links']);
    const shown = (await api.call('GET', `${A}/${amphoraId}`, api.adminToken)).json().amphora;
    assert.deepEqual(Object.keys(shown), FIELDS);
    assert.deepEqual(
      [shown.loadbalancer_id, shown.role, shown.status, shown.cert_busy],
      [lbId, 'STANDALONE', 'ALLOCATED', false],
    );
    assert.match(shown.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.deepEqual((await api.call('GET', `${A}/${amphoraId}?fields=role`, api.adminToken)).json(), {
      amphora: { role: 'STANDALONE' },
    });
  });

  it("filters on any field, and on project_id through the owning load balancer's project", async () => {
    const { amphoraId } = await placedLoadBalancer(owner.token);
    const byProject = (await api.call('GET', `${A}?project_id=${owner.projectId}`, api.adminToken)).json()
      .amphorae;
    assert.deepEqual(
      byProject.map((a: { id: string }) => a.id),
      [amphoraId],
    );
    const byRole = (await api.call('GET', `${A}?role=MASTER`, api.adminToken)).json().amphorae;
    assert.deepEqual(byRole, []);
  });

  it('rejects a filter that is not an amphora attribute', async () => {
    assertFault(
      await api.call('GET', `${A}?bogus=1`, api.adminToken),
      400,
      'One or more arguments are either duplicate or invalid',
    );
  });

  it('answers 404 for an unknown amphora', async () => {
    for (const [method, url] of [
      ['GET', `${A}/${UNKNOWN}`],
      ['PUT', `${A}/${UNKNOWN}/config`],
      ['PUT', `${A}/${UNKNOWN}/failover`],
      ['DELETE', `${A}/${UNKNOWN}`],
    ] as const) {
      assertFault(await api.call(method, url, api.adminToken), 404, `Amphora ${UNKNOWN} not found.`);
    }
  });

  it('answers 404 for the stats of an amphora that reported none', async () => {
    const { amphoraId } = await placedLoadBalancer();
    assertFault(
      await api.call('GET', `${A}/${amphoraId}/stats`, api.adminToken),
      404,
      `Amphora stats for ${amphoraId} not found.`,
    );
  });

  it('reports one stats entry per listener the amphora serves', async () => {
    const { lbId, amphoraId } = await placedLoadBalancer();
    const listenerId = '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6';
    await api.store.db
      .insertInto('listeners')
      .values({
        id: listenerId,
        project_id: 'p',
        load_balancer_id: lbId,
        name: null,
        admin_state_up: 1,
        provisioning_status: 'ACTIVE',
        operating_status: 'ONLINE',
        tags: '[]',
        created_at: new Date().toISOString(),
        updated_at: null,
        description: null,
        protocol: 'HTTP',
        protocol_port: 80,
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
        listener_id: listenerId,
        amphora_id: amphoraId,
        bytes_in: 10,
        bytes_out: 20,
        active_connections: 1,
        total_connections: 5,
        request_errors: 2,
      })
      .execute();
    const response = await api.call('GET', `${A}/${amphoraId}/stats`, api.adminToken);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      amphora_stats: [
        {
          id: amphoraId,
          listener_id: listenerId,
          loadbalancer_id: lbId,
          active_connections: 1,
          bytes_in: 10,
          bytes_out: 20,
          total_connections: 5,
          request_errors: 2,
        },
      ],
    });
  });

  it('accepts a configuration push with 202 and an empty body', async () => {
    const { amphoraId } = await placedLoadBalancer();
    const response = await api.call('PUT', `${A}/${amphoraId}/config`, api.adminToken);
    assert.equal(response.statusCode, 202);
    assert.equal(response.body, '');
  });

  it('fails an amphora over: its load balancer goes PENDING_UPDATE, refuses a second one, then ACTIVE', async () => {
    const { lbId, amphoraId } = await placedLoadBalancer();
    await api.provisioner.stop();
    try {
      const response = await api.call('PUT', `${A}/${amphoraId}/failover`, api.adminToken);
      assert.equal(response.statusCode, 202);
      assert.equal(response.body, '');
      assert.equal(await lbStatus(lbId), 'PENDING_UPDATE');
      assertFault(
        await api.call('PUT', `${A}/${amphoraId}/failover`, api.adminToken),
        409,
        `Load Balancer ${lbId} is immutable and cannot be updated.`,
      );
    } finally {
      api.provisioner.start();
    }
    await api.provisioner.idle();
    assert.equal(await lbStatus(lbId), 'ACTIVE');
  });

  it('refuses to delete an amphora that is not in ERROR, a spare (READY) one included', async () => {
    const { amphoraId } = await placedLoadBalancer();
    assertFault(
      await api.call('DELETE', `${A}/${amphoraId}`, api.adminToken),
      409,
      `amphora ${amphoraId} is immutable and cannot be updated.`,
    );
    const amphorae = () => api.store.db.updateTable('amphorae').where('id', '=', amphoraId);
    const { status } = await api.store.db
      .selectFrom('amphorae')
      .select('status')
      .where('id', '=', amphoraId)
      .executeTakeFirstOrThrow();
    await amphorae().set({ status: 'READY' }).execute();
    assertFault(
      await api.call('DELETE', `${A}/${amphoraId}`, api.adminToken),
      409,
      `amphora ${amphoraId} is immutable and cannot be updated.`,
    );
    await amphorae().set({ status }).execute();
  });

  it('deletes an amphora in ERROR, after which it is not found', async () => {
    const { amphoraId } = await placedLoadBalancer();
    await api.store.db.updateTable('amphorae').set({ status: 'ERROR' }).where('id', '=', amphoraId).execute();
    assert.equal((await api.call('DELETE', `${A}/${amphoraId}`, api.adminToken)).statusCode, 204);
    assertFault(
      await api.call('GET', `${A}/${amphoraId}`, api.adminToken),
      404,
      `Amphora ${amphoraId} not found.`,
    );
  });

  it('is also mounted under /v2.0/octavia and the load-balancer catalog prefix', async () => {
    for (const prefix of ['/v2.0/octavia', '/load-balancer/v2/octavia']) {
      assert.equal((await api.call('GET', `${prefix}/amphorae`, api.adminToken)).statusCode, 200);
    }
  });

  describe('RBAC', () => {
    it("refuses every amphora call to a member, even for its own load balancer's amphora", async () => {
      const { amphoraId } = await placedLoadBalancer(owner.token);
      for (const [method, url] of [
        ['GET', A],
        ['GET', `${A}/${amphoraId}`],
        ['GET', `${A}/${amphoraId}/stats`],
        ['PUT', `${A}/${amphoraId}/config`],
        ['PUT', `${A}/${amphoraId}/failover`],
        ['DELETE', `${A}/${amphoraId}`],
      ] as const) {
        assertFault(await api.call(method, url, owner.token), 403, FORBIDDEN);
      }
    });

    it('refuses the amphora list to a global observer', async () => {
      const global = await api.userWithRoles(['load-balancer_global_observer']);
      assertFault(await api.call('GET', A, global.token), 403, FORBIDDEN);
    });
  });
});
