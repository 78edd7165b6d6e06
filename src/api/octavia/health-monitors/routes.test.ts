import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { QUOTA_CLASS_NAMES } from '../../../model/quotas.ts';
import { setQuota } from '../../../store/repositories/quota-repository.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
const HMS = '/v2/lbaas/healthmonitors';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
let api: TestApi;
let lbId: string;

async function newLb(token = api.adminToken): Promise<string> {
  const lb = await api.call('POST', LB, token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } });
  await api.provisioner.idle();
  return lb.json().loadbalancer.id;
}
async function newPool(protocol = 'HTTP', loadBalancerId = lbId, token = api.adminToken): Promise<string> {
  const body = { loadbalancer_id: loadBalancerId, protocol, lb_algorithm: 'ROUND_ROBIN' };
  const pool = await api.call('POST', POOLS, token, { pool: body });
  await api.provisioner.idle();
  return pool.json().pool.id;
}
const tcp = (poolId: string) => ({ pool_id: poolId, type: 'TCP', delay: 5, timeout: 3, max_retries: 3 });
const create = (healthmonitor: Record<string, unknown>, token = api.adminToken) =>
  api.call('POST', HMS, token, { healthmonitor });
const update = (id: string, healthmonitor: Record<string, unknown>) =>
  api.call('PUT', `${HMS}/${id}`, api.adminToken, { healthmonitor });

describe('health monitors API', () => {
  before(async () => {
    api = await startTestApi();
    lbId = await newLb();
  });
  after(async () => api.close());

  it('creates an HTTP monitor with GET, / and 200 defaults: PENDING_CREATE, then ACTIVE and ONLINE', async () => {
    const poolId = await newPool();
    let hm: Record<string, unknown> = {};
    await api.held(async () => {
      const response = await create({ pool_id: poolId, type: 'HTTP', delay: 5, timeout: 3, max_retries: 2 });
      assert.equal(response.statusCode, 201);
      hm = response.json().healthmonitor;
      assert.deepEqual(
        [
          hm.http_method,
          hm.url_path,
          hm.expected_codes,
          hm.max_retries_down,
          hm.http_version,
          hm.domain_name,
        ],
        ['GET', '/', '200', 3, null, null],
      );
      assert.deepEqual([hm.provisioning_status, hm.operating_status], ['PENDING_CREATE', 'OFFLINE']);
      assert.deepEqual(hm.pools, [{ id: poolId }]);
      assert.equal(hm.tenant_id, hm.project_id);
      const pool = (await api.call('GET', `${POOLS}/${poolId}`, api.adminToken)).json().pool;
      assert.deepEqual([pool.provisioning_status, pool.healthmonitor_id], ['PENDING_UPDATE', hm.id]);
    });
    const shown = (await api.call('GET', `${HMS}/${hm.id}`, api.adminToken)).json().healthmonitor;
    assert.deepEqual([shown.provisioning_status, shown.operating_status], ['ACTIVE', 'ONLINE']);
    assert.equal(api.noop.applied.get(lbId)?.pools.find((p) => p.id === poolId)?.healthMonitor?.id, hm.id);
  });

  it('goes OFFLINE when created disabled', async () => {
    const hm = (await create({ ...tcp(await newPool()), admin_state_up: false })).json().healthmonitor;
    await api.provisioner.idle();
    assert.equal(
      (await api.call('GET', `${HMS}/${hm.id}`, api.adminToken)).json().healthmonitor.operating_status,
      'OFFLINE',
    );
  });

  it('rejects a second monitor on the same pool', async () => {
    const poolId = await newPool();
    await create(tcp(poolId));
    await api.provisioner.idle();
    await expectFault(create(tcp(poolId)), 409, 'This pool already has a health monitor');
  });

  it('rejects UDP-CONNECT monitors on non-UDP pools', async () => {
    await expectFault(
      create({ ...tcp(await newPool()), type: 'UDP-CONNECT' }),
      400,
      'Validation failure: The UDP-CONNECT type is only supported for pools of type UDP/SCTP.',
    );
  });

  it('rejects monitor types a UDP pool cannot use', async () => {
    await expectFault(
      create({ ...tcp(await newPool('UDP')), type: 'PING' }),
      400,
      'Validation failure: The associated pool protocol is UDP, so only a UDP-CONNECT/SCTP/TCP/HTTP health monitor is supported.',
    );
  });

  it('rejects a UDP-CONNECT delay below 3 seconds', async () => {
    await expectFault(
      create({ ...tcp(await newPool('UDP')), type: 'UDP-CONNECT', delay: 2 }),
      400,
      'Validation failure: The request delay value 2 should be larger than 3 for UDP-CONNECT health monitor type.',
    );
  });

  it('rejects HTTP fields on a TCP monitor', async () => {
    await expectFault(
      create({ ...tcp(await newPool()), http_method: 'GET' }),
      400,
      'http_method is not a valid option for health monitors of type TCP',
    );
  });

  it('requires http_version 1.1 with domain_name', async () => {
    const poolId = await newPool();
    const http = { ...tcp(poolId), type: 'HTTP', domain_name: 'example.com' };
    await expectFault(
      create(http),
      400,
      "Validation failure: 'http_version' must be specified when 'domain_name' is provided.",
    );
    await expectFault(
      create({ ...http, http_version: 1.0 }),
      400,
      'http_version 1.0 is not a valid option for health monitors HTTP 1.1 domain name health check',
    );
    const ok = await create({ ...http, http_version: 1.1 });
    assert.equal(ok.json().healthmonitor.http_version, 1.1);
    await api.provisioner.idle();
  });

  describe('rejects malformed bodies with WSME faults', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'a url_path without a leading slash',
        { type: 'HTTP', url_path: 'health' },
        "Invalid input for field/attribute url_path. Value: 'health'. Value must be a valid URL Path string",
      ],
      [
        'a url_path with a host',
        { type: 'HTTP', url_path: 'http://h/x' },
        "Invalid input for field/attribute url_path. Value: 'http://h/x'. Value must be a valid URL Path string",
      ],
      [
        'malformed expected_codes',
        { type: 'HTTP', expected_codes: '200-' },
        "Invalid input for field/attribute expected_codes. Value: '200-'. Value should match the pattern ^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$",
      ],
      [
        'an unknown http_version',
        { type: 'HTTP', http_version: 2 },
        "Invalid input for field/attribute http_version. Value: '2.0'. Value should be one of: 1.0, 1.1",
      ],
      [
        'max_retries above 10',
        { max_retries: 11 },
        "Invalid input for field/attribute max_retries. Value: '11'. Value should be lower or equal to 10",
      ],
      ['a null delay', { delay: null }, 'None is not a valid option for delay'],
      [
        'an unknown type',
        { type: 'ICMP' },
        "Invalid input for field/attribute type. Value: 'ICMP'. Value should be one of: HTTP, HTTPS, PING, TCP, TLS-HELLO, UDP-CONNECT, SCTP",
      ],
    ];
    for (const [what, patch, text] of cases) {
      it(`rejects ${what}`, async () =>
        expectFault(create({ ...tcp(await newPool()), ...patch }), 400, text));
    }
    it('rejects a missing delay', async () => {
      const { delay: _, ...rest } = tcp(await newPool());
      await expectFault(
        create(rest),
        400,
        "Invalid input for field/attribute delay. Value: 'None'. Mandatory field missing.",
      );
    });
  });

  it('answers 404 for an unknown pool or monitor', async () => {
    const id = '4b3a2c1d-0e9f-4a8b-b7c6-d5e4f3a2b188';
    await expectFault(create(tcp(id)), 404, `Pool ${id} not found.`);
    await expectFault(
      api.call('GET', `${HMS}/${id}`, api.adminToken),
      404,
      `Health Monitor ${id} not found.`,
    );
  });

  it('updates a monitor: null resets HTTP fields and max_retries_down to defaults', async () => {
    const hm = (
      await create({ ...tcp(await newPool()), type: 'HTTP', http_method: 'HEAD', max_retries_down: 5 })
    ).json().healthmonitor;
    await api.provisioner.idle();
    const response = await update(hm.id, { http_method: null, max_retries_down: null, delay: 9 });
    assert.equal(response.statusCode, 200);
    const body = response.json().healthmonitor;
    assert.deepEqual(
      [body.http_method, body.max_retries_down, body.delay, body.provisioning_status],
      ['GET', 3, 9, 'PENDING_UPDATE'],
    );
    await api.provisioner.idle();
  });

  it('rejects null delay, timeout or max_retries and HTTP fields of a TCP monitor on update', async () => {
    const hm = (await create(tcp(await newPool()))).json().healthmonitor;
    await api.provisioner.idle();
    await expectFault(update(hm.id, { timeout: null }), 400, 'None is not a valid option for timeout');
    await expectFault(
      update(hm.id, { url_path: null }),
      400,
      'url_path is not a valid option for health monitors of type TCP',
    );
    await expectFault(
      update(hm.id, { type: 'HTTP' }),
      400,
      'Unknown attribute for argument health_monitor_.healthmonitor: type',
    );
  });

  it('answers 409 while the pool is not ACTIVE', async () => {
    const poolId = await newPool();
    await api.held(async () => {
      await api.call('PUT', `${POOLS}/${poolId}`, api.adminToken, { pool: { name: 'busy' } });
      await expectFault(create(tcp(poolId)), 409, `Pool ${poolId} is immutable and cannot be updated.`);
    });
  });

  it('deletes a monitor: 204, PENDING_DELETE, then gone with the members back to NO_MONITOR', async () => {
    const poolId = await newPool();
    const hm = (await create(tcp(poolId))).json().healthmonitor;
    await api.provisioner.idle();
    const member = (
      await api.call('POST', `${POOLS}/${poolId}/members`, api.adminToken, {
        member: { address: '10.2.0.1', protocol_port: 80 },
      })
    ).json().member;
    assert.equal(member.operating_status, 'OFFLINE');
    await api.provisioner.idle();
    await api.held(async () => {
      assert.equal((await api.call('DELETE', `${HMS}/${hm.id}`, api.adminToken)).statusCode, 204);
      assert.equal(
        (await api.call('GET', `${HMS}/${hm.id}`, api.adminToken)).json().healthmonitor.provisioning_status,
        'PENDING_DELETE',
      );
    });
    await expectFault(
      api.call('GET', `${HMS}/${hm.id}`, api.adminToken),
      404,
      `Health Monitor ${hm.id} not found.`,
    );
    const after = (await api.call('GET', `${POOLS}/${poolId}/members/${member.id}`, api.adminToken)).json()
      .member;
    assert.equal(after.operating_status, 'NO_MONITOR');
  });

  it('enforces the health monitor quota of the project', async () => {
    const user = await api.userWithRoles(['load-balancer_member']);
    const poolId = await newPool('HTTP', await newLb(user.token), user.token);
    await setQuota(api.store.db, user.projectId, { health_monitor: 0 });
    await expectFault(
      create(tcp(poolId), user.token),
      403,
      `Quota has been met for resources: ${QUOTA_CLASS_NAMES.health_monitor}`,
    );
  });

  it('lists monitors under `healthmonitors`, scoped by project and filtered by pool_id', async () => {
    const owner = await api.userWithRoles(['load-balancer_member']);
    const project = (await api.call('GET', `/v3/projects/${owner.projectId}`, api.adminToken)).json().project
      .name;
    const observer = await api.userWithRoles(['load-balancer_observer'], project);
    const stranger = await api.userWithRoles(['load-balancer_member']);
    const poolId = await newPool('HTTP', await newLb(owner.token), owner.token);
    const hm = (await create(tcp(poolId), owner.token)).json().healthmonitor;
    await api.provisioner.idle();
    const listed = (await api.call('GET', `${HMS}?pool_id=${poolId}`, observer.token)).json();
    assert.deepEqual(Object.keys(listed).sort(), ['healthmonitors', 'healthmonitors_links']);
    assert.deepEqual(
      listed.healthmonitors.map((h: { id: string }) => h.id),
      [hm.id],
    );
    assert.deepEqual((await api.call('GET', HMS, stranger.token)).json().healthmonitors, []);
    await expectFault(api.call('GET', `${HMS}/${hm.id}`, stranger.token), 403, FORBIDDEN);
    await expectFault(api.call('DELETE', `${HMS}/${hm.id}`, observer.token), 403, FORBIDDEN);
    await expectFault(create(tcp(poolId), stranger.token), 403, FORBIDDEN);
  });
});
