import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { now } from '../../../store/codec.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
let api: TestApi;
let lbId: string;

async function newLb(): Promise<string> {
  const lb = await api.call('POST', LB, api.adminToken, {
    loadbalancer: { vip_subnet_id: api.publicSubnetId },
  });
  await api.provisioner.idle();
  return lb.json().loadbalancer.id;
}
/** Listeners are another resource's API: tests place one directly in the store, ACTIVE. */
async function addListener(loadBalancerId: string, protocol = 'HTTP', port = 80): Promise<string> {
  const lb = await api.store.db
    .selectFrom('load_balancers')
    .select('project_id')
    .where('id', '=', loadBalancerId)
    .executeTakeFirstOrThrow();
  const id = crypto.randomUUID();
  await api.store.db
    .insertInto('listeners')
    .values({
      id,
      project_id: lb.project_id,
      load_balancer_id: loadBalancerId,
      name: null,
      admin_state_up: 1,
      provisioning_status: 'ACTIVE',
      operating_status: 'ONLINE',
      tags: '[]',
      created_at: now(),
      updated_at: null,
      description: null,
      protocol,
      protocol_port: port,
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
  return id;
}
/** Runs `work` with the controller stopped, so the changes it makes stay pending; then lets them apply. */
const create = (pool: Record<string, unknown>) => api.call('POST', POOLS, api.adminToken, { pool });
const http = () => ({ loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' });
async function expectFault(
  response: Promise<{ statusCode: number; json(): { faultstring: string } }>,
  status: number,
  text: string,
) {
  const r = await response;
  assert.equal(r.statusCode, status, r.json().faultstring);
  assert.equal(r.json().faultstring, text);
}

describe('pools API', () => {
  before(async () => {
    api = await startTestApi();
    lbId = await newLb();
  });
  after(async () => api.close());

  it('creates a pool on a load balancer, PENDING_CREATE then ACTIVE, in the `pool` envelope', async () => {
    let pool: Record<string, unknown> = {};
    await api.held(async () => {
      const response = await create({ ...http(), name: 'web', tags: ['t1'] });
      assert.equal(response.statusCode, 201);
      pool = response.json().pool;
      assert.equal(pool.provisioning_status, 'PENDING_CREATE');
      assert.equal(pool.operating_status, 'OFFLINE');
      assert.deepEqual(pool.loadbalancers, [{ id: lbId }]);
      assert.deepEqual([pool.listeners, pool.members, pool.healthmonitor_id], [[], [], null]);
      assert.equal(pool.tenant_id, pool.project_id);
      assert.deepEqual([pool.description, pool.session_persistence, pool.tls_enabled], ['', null, false]);
      assert.deepEqual([pool.tls_ciphers, pool.tls_versions, pool.alpn_protocols], [null, null, null]);
      const lb = (await api.call('GET', `${LB}/${lbId}`, api.adminToken)).json().loadbalancer;
      assert.equal(lb.provisioning_status, 'PENDING_UPDATE');
    });
    const shown = (await api.call('GET', `${POOLS}/${pool.id}`, api.adminToken)).json().pool;
    assert.equal(shown.provisioning_status, 'ACTIVE');
    assert.deepEqual(shown.tags, ['t1']);
    assert.ok(api.noop.applied.get(lbId)?.pools.some((p) => p.id === pool.id));
  });

  it('rejects a pool with neither loadbalancer_id nor listener_id', async () => {
    await expectFault(
      create({ protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' }),
      400,
      'Validation failure: Must provide at least one of: loadbalancer_id, listener_id',
    );
  });

  it('rejects an unknown load balancer or listener with 404', async () => {
    const id = '0b9e1d0c-3f7e-4b7a-9a39-5d7c9d8f0a11';
    await expectFault(create({ ...http(), loadbalancer_id: id }), 404, `Load Balancer ${id} not found.`);
    await expectFault(
      create({ ...http(), loadbalancer_id: undefined, listener_id: id }),
      404,
      `Listener ${id} not found.`,
    );
  });

  it('makes the pool the default pool of the listener given as listener_id', async () => {
    const listenerId = await addListener(lbId, 'HTTP', 8080);
    const listener = () =>
      api.store.db.selectFrom('listeners').selectAll().where('id', '=', listenerId).executeTakeFirstOrThrow();
    let poolId = '';
    await api.held(async () => {
      const pool = (
        await create({ listener_id: listenerId, protocol: 'PROXY', lb_algorithm: 'SOURCE_IP' })
      ).json().pool;
      poolId = pool.id;
      assert.deepEqual(pool.loadbalancers, [{ id: lbId }]);
      assert.deepEqual(pool.listeners, [{ id: listenerId }]);
      const row = await listener();
      assert.deepEqual([row.default_pool_id, row.provisioning_status], [pool.id, 'PENDING_UPDATE']);
    });
    assert.deepEqual(
      [(await listener()).provisioning_status, (await listener()).default_pool_id],
      ['ACTIVE', poolId],
    );
  });

  it('rejects a second default pool for a listener with 409', async () => {
    const listenerId = await addListener(lbId, 'TCP', 8081);
    assert.equal(
      (await create({ listener_id: listenerId, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' })).statusCode,
      201,
    );
    await api.provisioner.idle();
    await expectFault(
      create({ listener_id: listenerId, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' }),
      409,
      'This listener already has a default pool',
    );
  });

  it('rejects a pool protocol the listener cannot use', async () => {
    const listenerId = await addListener(lbId, 'HTTP', 8082);
    await expectFault(
      create({ listener_id: listenerId, protocol: 'UDP', lb_algorithm: 'ROUND_ROBIN' }),
      400,
      "Validation failure: The pool protocol 'UDP' is invalid while the listener protocol is 'HTTP'.",
    );
  });

  describe('rejects malformed bodies with WSME faults', () => {
    const cases: [string, unknown, string][] = [
      [
        'an unknown attribute',
        { pool: { protocol: 'HTTP', bogus: 1 } },
        'Unknown attribute for argument pool_.pool: bogus',
      ],
      [
        'a missing protocol',
        { pool: { lb_algorithm: 'ROUND_ROBIN' } },
        "Invalid input for field/attribute protocol. Value: 'None'. Mandatory field missing.",
      ],
      [
        'an unknown lb_algorithm',
        { pool: { protocol: 'HTTP', lb_algorithm: 'RANDOM' } },
        "Invalid input for field/attribute lb_algorithm. Value: 'RANDOM'. Value should be one of: ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP, SOURCE_IP_PORT",
      ],
      [
        'a session persistence without type',
        { pool: { protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', session_persistence: {} } },
        "Invalid input for field/attribute type. Value: 'None'. Mandatory field missing.",
      ],
    ];
    for (const [what, body, text] of cases) {
      it(`rejects ${what}`, async () =>
        expectFault(api.call('POST', POOLS, api.adminToken, body), 400, text));
    }
  });

  it('requires a cookie name for APP_COOKIE session persistence', async () => {
    await expectFault(
      create({ ...http(), session_persistence: { type: 'APP_COOKIE' } }),
      400,
      'Validation failure: Field "cookie_name" must be specified when using the "APP_COOKIE" session persistence type.',
    );
  });

  it('rejects an invalid cookie name', async () => {
    await expectFault(
      create({ ...http(), session_persistence: { type: 'APP_COOKIE', cookie_name: 'a;b' } }),
      400,
      'Validation failure: Supplied "cookie_name" is invalid.',
    );
  });

  it('rejects a cookie name with a type other than APP_COOKIE', async () => {
    await expectFault(
      create({ ...http(), session_persistence: { type: 'HTTP_COOKIE', cookie_name: 'c' } }),
      400,
      'Validation failure: Field "cookie_name" can only be specified with session persistence of type "APP_COOKIE".',
    );
  });

  it('rejects persistence_timeout on a pool that is not UDP or SCTP', async () => {
    await expectFault(
      create({ ...http(), session_persistence: { type: 'SOURCE_IP', persistence_timeout: 30 } }),
      400,
      'Validation failure: persistence_timeout and persistence_granularity is only for UDP and SCTP protocol pools.',
    );
  });

  it('rejects cookie session persistence on a UDP pool', async () => {
    await expectFault(
      create({ ...http(), protocol: 'UDP', session_persistence: { type: 'HTTP_COOKIE' } }),
      400,
      'Validation failure: Session persistence of type HTTP_COOKIE is not supported for UDP/SCTP protocol pools.',
    );
  });

  it('stores SOURCE_IP persistence with timeout and granularity on a UDP pool', async () => {
    const sp = { type: 'SOURCE_IP', persistence_timeout: 60, persistence_granularity: '255.255.255.0' };
    const pool = (await create({ ...http(), protocol: 'UDP', session_persistence: sp })).json().pool;
    assert.deepEqual(pool.session_persistence, { ...sp, cookie_name: null });
    await api.provisioner.idle();
  });

  it('requires a CA certificate reference for a CRL', async () => {
    await expectFault(
      create({ ...http(), crl_container_ref: 'crl' }),
      400,
      'Validation failure: A CA certificate reference is required to specify a revocation list.',
    );
  });

  it('rejects an empty TLS version list on a TLS-enabled pool', async () => {
    await expectFault(
      create({ ...http(), tls_enabled: true, tls_versions: [] }),
      400,
      'Validation failure: Empty TLS version list. Either specify at least one TLS version or remove this parameter to use the default.',
    );
  });

  it('refuses a cipher string with characters outside the whitelist, on create and update', async () => {
    const INVALID =
      'Validation failure: Invalid characters in cipher string. Only alphanumeric, -, +, !, :, @, =, _, and . are allowed.';
    await expectFault(create({ ...http(), tls_ciphers: 'AES\n  server x 127.0.0.1:1' }), 400, INVALID);
    const pool = (await create({ ...http(), tls_ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:!aNULL' })).json().pool;
    await api.provisioner.idle();
    await expectFault(
      api.call('PUT', `${POOLS}/${pool.id}`, api.adminToken, { pool: { tls_ciphers: 'A B' } }),
      400,
      INVALID,
    );
  });

  it('fills in the TLS defaults when tls_enabled', async () => {
    const pool = (await create({ ...http(), tls_enabled: true })).json().pool;
    assert.deepEqual(pool.tls_versions, ['TLSv1.2', 'TLSv1.3']);
    assert.deepEqual(pool.alpn_protocols, ['h2', 'http/1.1', 'http/1.0']);
    assert.match(
      pool.tls_ciphers,
      /^TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:.*:DHE-RSA-CHACHA20-POLY1305$/,
    );
    await api.provisioner.idle();
  });

  it('lists pools under `pools` with `pools_links`, filtered by loadbalancer_id, with fields and paging', async () => {
    const other = await newLb();
    const mine = (await create({ ...http(), loadbalancer_id: other, name: 'only' })).json().pool;
    await api.provisioner.idle();
    const listed = (await api.call('GET', `${POOLS}?loadbalancer_id=${other}`, api.adminToken)).json();
    assert.deepEqual(Object.keys(listed).sort(), ['pools', 'pools_links']);
    assert.deepEqual(
      listed.pools.map((p: { id: string }) => p.id),
      [mine.id],
    );
    const fields = (await api.call('GET', `${POOLS}?name=only&fields=id&fields=name`, api.adminToken)).json();
    assert.deepEqual(fields.pools, [{ id: mine.id, name: 'only' }]);
    const page = (await api.call('GET', `${POOLS}?limit=1`, api.adminToken)).json();
    assert.equal(page.pools.length, 1);
    assert.equal(page.pools_links[0].rel, 'next');
    const one = (await api.call('GET', `${POOLS}/${mine.id}?fields=lb_algorithm`, api.adminToken)).json();
    assert.deepEqual(one, { pool: { lb_algorithm: 'ROUND_ROBIN' } });
  });

  it('answers 404 for an unknown pool', async () => {
    const id = '7c1a0c55-2d56-4b1e-8df4-1c1f4c7b1e22';
    await expectFault(api.call('GET', `${POOLS}/${id}`, api.adminToken), 404, `Pool ${id} not found.`);
  });
});
