import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { now } from '../../../store/codec.ts';
import { setQuota } from '../../../store/repositories/quota-repository.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
let api: TestApi;
let lbId: string;

async function newPool(extra: Record<string, unknown> = {}): Promise<string> {
  const body = { loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', ...extra };
  const response = await api.call('POST', POOLS, api.adminToken, { pool: body });
  assert.equal(response.statusCode, 201, response.body);
  await api.provisioner.idle();
  return response.json().pool.id;
}
const status = async (
  table: 'load_balancers' | 'listeners' | 'pools' | 'members' | 'health_monitors',
  id: string,
) =>
  (await api.store.db.selectFrom(table).select('provisioning_status').where('id', '=', id).executeTakeFirst())
    ?.provisioning_status;
const put = (id: string, pool: unknown) => api.call('PUT', `${POOLS}/${id}`, api.adminToken, { pool });
/** Listeners and L7 policies are other resources' APIs: tests place rows directly in the store. */
async function addListener(defaultPoolId: string | null, port: number): Promise<string> {
  const id = crypto.randomUUID();
  const lb = await api.store.db
    .selectFrom('load_balancers')
    .selectAll()
    .where('id', '=', lbId)
    .executeTakeFirstOrThrow();
  await api.store.db
    .insertInto('listeners')
    .values({
      id,
      project_id: lb.project_id,
      load_balancer_id: lbId,
      name: null,
      admin_state_up: 1,
      provisioning_status: 'ACTIVE',
      operating_status: 'ONLINE',
      tags: '[]',
      created_at: now(),
      updated_at: null,
      description: null,
      protocol: 'HTTP',
      protocol_port: port,
      connection_limit: -1,
      default_pool_id: defaultPoolId,
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
  return id;
}

describe('pool updates, deletes and the state machine', () => {
  before(async () => {
    api = await startTestApi();
    const lb = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    lbId = lb.json().loadbalancer.id;
    await api.provisioner.idle();
  });
  after(async () => api.close());

  it('updates a pool: 200 PENDING_UPDATE, its listeners and LB PENDING_UPDATE, all ACTIVE after', async () => {
    const id = await newPool();
    const listenerId = await addListener(id, 81);
    await api.held(async () => {
      const response = await put(id, { name: 'renamed', lb_algorithm: 'LEAST_CONNECTIONS' });
      assert.equal(response.statusCode, 200);
      const pool = response.json().pool;
      assert.deepEqual(
        [pool.name, pool.lb_algorithm, pool.provisioning_status],
        ['renamed', 'LEAST_CONNECTIONS', 'PENDING_UPDATE'],
      );
      assert.deepEqual(pool.listeners, [{ id: listenerId }]);
      assert.equal(await status('listeners', listenerId), 'PENDING_UPDATE');
      assert.equal(await status('load_balancers', lbId), 'PENDING_UPDATE');
    });
    assert.deepEqual(
      [await status('pools', id), await status('listeners', listenerId)],
      ['ACTIVE', 'ACTIVE'],
    );
  });

  it('answers 409 while the load balancer is pending, and changes nothing', async () => {
    const id = await newPool({ name: 'before' });
    await api.held(async () => {
      assert.equal((await put(id, { name: 'first' })).statusCode, 200);
      const second = await put(id, { name: 'second' });
      assert.equal(second.statusCode, 409);
      assert.equal(second.json().faultstring, `Load Balancer ${lbId} is immutable and cannot be updated.`);
      const create = await api.call('POST', POOLS, api.adminToken, {
        pool: { loadbalancer_id: lbId, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN', name: 'refused' },
      });
      assert.equal(create.statusCode, 409);
      const named = (await api.call('GET', `${POOLS}?name=refused`, api.adminToken)).json().pools;
      assert.deepEqual(named, []);
    });
    assert.equal((await api.call('GET', `${POOLS}/${id}`, api.adminToken)).json().pool.name, 'first');
  });

  it('rejects immutable attributes in a PUT body', async () => {
    const id = await newPool();
    const response = await put(id, { protocol: 'TCP' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().faultstring, 'Unknown attribute for argument pool_.pool: protocol');
  });

  it('keeps the stored persistence type when a PUT omits it, and removes persistence on null', async () => {
    const id = await newPool({ session_persistence: { type: 'APP_COOKIE', cookie_name: 'a' } });
    const kept = (await put(id, { session_persistence: { cookie_name: 'b' } })).json().pool;
    assert.deepEqual(kept.session_persistence, {
      type: 'APP_COOKIE',
      cookie_name: 'b',
      persistence_timeout: null,
      persistence_granularity: null,
    });
    await api.provisioner.idle();
    assert.equal((await put(id, { session_persistence: null })).json().pool.session_persistence, null);
    await api.provisioner.idle();
  });

  it('resets TLS versions and ciphers to the defaults on null', async () => {
    const id = await newPool({
      tls_enabled: true,
      tls_versions: ['TLSv1.3'],
      tls_ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    });
    const pool = (await put(id, { tls_versions: null, tls_ciphers: null })).json().pool;
    assert.deepEqual(pool.tls_versions, ['TLSv1.2', 'TLSv1.3']);
    assert.match(
      pool.tls_ciphers,
      /^TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:.*:DHE-RSA-CHACHA20-POLY1305$/,
    );
    await api.provisioner.idle();
  });

  it('refuses to remove the CA while a CRL is present', async () => {
    const id = await newPool({ ca_tls_container_ref: 'ca', crl_container_ref: 'crl' });
    const response = await put(id, { ca_tls_container_ref: null });
    assert.equal(response.statusCode, 400);
    assert.equal(
      response.json().faultstring,
      'Validation failure: A CA reference cannot be removed when a certificate revocation list is present.',
    );
  });

  it('deletes a pool with its members and monitor, and clears the listener default pool', async () => {
    const id = await newPool();
    const listenerId = await addListener(id, 82);
    const member = (
      await api.call('POST', `${POOLS}/${id}/members`, api.adminToken, {
        member: { address: '10.0.0.5', protocol_port: 80 },
      })
    ).json().member;
    await api.provisioner.idle();
    const hm = (
      await api.call('POST', '/v2/lbaas/healthmonitors', api.adminToken, {
        healthmonitor: { pool_id: id, type: 'TCP', delay: 5, timeout: 3, max_retries: 3 },
      })
    ).json().healthmonitor;
    await api.provisioner.idle();
    await api.held(async () => {
      assert.equal((await api.call('DELETE', `${POOLS}/${id}`, api.adminToken)).statusCode, 204);
      assert.equal(await status('pools', id), 'PENDING_DELETE');
      assert.equal(await status('members', member.id), 'PENDING_DELETE');
      assert.equal(await status('health_monitors', hm.id), 'PENDING_DELETE');
      assert.equal(await status('listeners', listenerId), 'PENDING_UPDATE');
    });
    const gone = await api.call('GET', `${POOLS}/${id}`, api.adminToken);
    assert.deepEqual([gone.statusCode, gone.json().faultstring], [404, `Pool ${id} not found.`]);
    assert.equal(await status('members', member.id), undefined);
    const listener = await api.store.db
      .selectFrom('listeners')
      .selectAll()
      .where('id', '=', listenerId)
      .executeTakeFirstOrThrow();
    assert.deepEqual([listener.default_pool_id, listener.provisioning_status], [null, 'ACTIVE']);
  });

  it('refuses to delete a pool an L7 policy redirects to', async () => {
    const id = await newPool();
    const listenerId = await addListener(null, 83);
    const policyId = crypto.randomUUID();
    const lb = await api.store.db
      .selectFrom('load_balancers')
      .select('project_id')
      .where('id', '=', lbId)
      .executeTakeFirstOrThrow();
    await api.store.db
      .insertInto('l7policies')
      .values({
        id: policyId,
        project_id: lb.project_id,
        load_balancer_id: lbId,
        name: null,
        admin_state_up: 1,
        provisioning_status: 'ACTIVE',
        operating_status: 'ONLINE',
        tags: '[]',
        created_at: now(),
        updated_at: null,
        description: null,
        listener_id: listenerId,
        action: 'REDIRECT_TO_POOL',
        redirect_pool_id: id,
        redirect_url: null,
        redirect_prefix: null,
        redirect_http_code: null,
        position: 1,
      })
      .execute();
    assert.deepEqual((await api.call('GET', `${POOLS}/${id}`, api.adminToken)).json().pool.listeners, [
      { id: listenerId },
    ]);
    const response = await api.call('DELETE', `${POOLS}/${id}`, api.adminToken);
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().faultstring, `Pool ${id} is in use by L7 policy ${policyId}`);
    assert.equal(await status('pools', id), 'ACTIVE');
  });

  it('enforces the pool quota of the project and creates nothing', async () => {
    const member = await api.userWithRoles(['load-balancer_member']);
    const lb = await api.call('POST', LB, member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    await api.provisioner.idle();
    await setQuota(api.store.db, member.projectId, { pool: 0 });
    const response = await api.call('POST', POOLS, member.token, {
      pool: { loadbalancer_id: lb.json().loadbalancer.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().faultstring, 'Quota has been met for resources: Pool');
    assert.equal(await status('load_balancers', lb.json().loadbalancer.id), 'ACTIVE');
    assert.deepEqual((await api.call('GET', POOLS, member.token)).json().pools, []);
  });

  it('turns the pool ERROR and the load balancer back ACTIVE when the provider fails', async () => {
    const id = await newPool();
    const apply = api.noop.apply;
    api.noop.apply = async () => {
      throw new Error('provider down');
    };
    try {
      assert.equal((await put(id, { name: 'doomed' })).statusCode, 200);
      await api.provisioner.idle();
    } finally {
      api.noop.apply = apply;
    }
    assert.deepEqual([await status('pools', id), await status('load_balancers', lbId)], ['ERROR', 'ACTIVE']);
    // Octavia does not check the child's own status for pool updates (reference §2.2).
    assert.equal((await put(id, { name: 'fixed' })).statusCode, 200);
    await api.provisioner.idle();
    assert.equal(await status('pools', id), 'ACTIVE');
  });
});
