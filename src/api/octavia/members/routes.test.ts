import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { setQuota } from '../../../store/repositories/quota-repository.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
let api: TestApi;
let lbId: string;

async function newLb(token = api.adminToken): Promise<string> {
  const lb = await api.call('POST', LB, token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } });
  await api.provisioner.idle();
  return lb.json().loadbalancer.id;
}
async function newPool(loadBalancerId = lbId, token = api.adminToken): Promise<string> {
  const body = { loadbalancer_id: loadBalancerId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' };
  const pool = await api.call('POST', POOLS, token, { pool: body });
  await api.provisioner.idle();
  return pool.json().pool.id;
}
const members = (poolId: string) => `${POOLS}/${poolId}/members`;
const add = (poolId: string, member: Record<string, unknown>, token = api.adminToken) =>
  api.call('POST', members(poolId), token, { member });
const status = async (table: 'load_balancers' | 'pools' | 'members', id: string) =>
  (await api.store.db.selectFrom(table).select('provisioning_status').where('id', '=', id).executeTakeFirst())
    ?.provisioning_status;

describe('members API', () => {
  before(async () => {
    api = await startTestApi();
    lbId = await newLb();
  });
  after(async () => api.close());

  it('creates a member: PENDING_CREATE and NO_MONITOR, pool and LB PENDING_UPDATE, all ACTIVE after', async () => {
    const poolId = await newPool();
    let member: Record<string, unknown> = {};
    await api.held(async () => {
      const response = await add(poolId, { address: '10.0.0.1', protocol_port: 80, name: 'm1' });
      assert.equal(response.statusCode, 201);
      member = response.json().member;
      assert.deepEqual(
        [member.provisioning_status, member.operating_status, member.weight, member.backup],
        ['PENDING_CREATE', 'NO_MONITOR', 1, false],
      );
      assert.deepEqual([member.subnet_id, member.monitor_address, member.monitor_port], [null, null, null]);
      assert.equal(member.tenant_id, member.project_id);
      assert.deepEqual(
        [await status('pools', poolId), await status('load_balancers', lbId)],
        ['PENDING_UPDATE', 'PENDING_UPDATE'],
      );
    });
    assert.deepEqual(
      [await status('members', member.id as string), await status('pools', poolId)],
      ['ACTIVE', 'ACTIVE'],
    );
    const pool = (await api.call('GET', `${POOLS}/${poolId}`, api.adminToken)).json().pool;
    assert.deepEqual(pool.members, [{ id: member.id }]);
    assert.equal(
      api.noop.applied.get(lbId)?.pools.find((p) => p.id === poolId)?.members[0].address,
      '10.0.0.1',
    );
  });

  it('starts a member OFFLINE when its pool has a health monitor', async () => {
    const poolId = await newPool();
    await api.call('POST', '/v2/lbaas/healthmonitors', api.adminToken, {
      healthmonitor: { pool_id: poolId, type: 'TCP', delay: 5, timeout: 3, max_retries: 3 },
    });
    await api.provisioner.idle();
    assert.equal(
      (await add(poolId, { address: '10.0.0.2', protocol_port: 80 })).json().member.operating_status,
      'OFFLINE',
    );
    await api.provisioner.idle();
  });

  it('accepts the pool_id filter neutron lbaas-member-list sends, and lists nothing for another pool id', async () => {
    const poolId = await newPool();
    assert.equal((await add(poolId, { address: '10.0.0.9', protocol_port: 80 })).statusCode, 201);
    await api.provisioner.idle();
    const same = await api.call('GET', `${members(poolId)}?pool_id=${poolId}`, api.adminToken);
    assert.equal(same.statusCode, 200);
    assert.equal(same.json().members.length, 1);
    const other = await api.call('GET', `${members(poolId)}?pool_id=${lbId}`, api.adminToken);
    assert.deepEqual(other.json().members, []);
  });

  it('rejects a member whose address and port are already used in the pool', async () => {
    const poolId = await newPool();
    await add(poolId, { address: '10.0.0.3', protocol_port: 80 });
    await api.provisioner.idle();
    await expectFault(
      add(poolId, { address: '10.0.0.3', protocol_port: 80 }),
      409,
      'Another member on this pool is already using ip 10.0.0.3 on protocol_port 80',
    );
    assert.equal((await api.call('GET', members(poolId), api.adminToken)).json().members.length, 1);
  });

  it('rejects a reserved member address', async () => {
    const poolId = await newPool();
    await expectFault(
      add(poolId, { address: '169.254.169.254', protocol_port: 80 }),
      400,
      '169.254.169.254 is not a valid option for member address',
    );
  });

  it('rejects a subnet_id that does not exist and accepts one that does', async () => {
    const poolId = await newPool();
    const id = '5e0b7a1c-8c1d-4c1f-9a0e-0f4e3b2a1c44';
    await expectFault(
      add(poolId, { address: '10.0.0.4', protocol_port: 80, subnet_id: id }),
      400,
      `Subnet ${id} not found.`,
    );
    const ok = await add(poolId, { address: '10.0.0.4', protocol_port: 80, subnet_id: api.publicSubnetId });
    assert.equal(ok.json().member.subnet_id, api.publicSubnetId);
    await api.provisioner.idle();
  });

  it('answers a subnet of another project like a missing one, in member create, batch and graph create', async () => {
    const owner = await api.userWithRoles(['member', 'load-balancer_member']);
    const other = await api.userWithRoles(['member', 'load-balancer_member']);
    const network = (
      await api.call('POST', '/v2.0/networks', other.token, { network: { name: 'private' } })
    ).json().network;
    const hidden = (
      await api.call('POST', '/v2.0/subnets', other.token, {
        subnet: { network_id: network.id, ip_version: 4, cidr: '10.44.0.0/24' },
      })
    ).json().subnet.id as string;
    const poolId = await newPool(await newLb(owner.token), owner.token);
    const notFound = `Subnet ${hidden} not found.`;
    const member = { address: '10.44.0.5', protocol_port: 80, subnet_id: hidden };
    await expectFault(add(poolId, member, owner.token), 400, notFound);
    await expectFault(api.call('PUT', members(poolId), owner.token, { members: [member] }), 400, notFound);
    const graph = {
      vip_subnet_id: api.publicSubnetId,
      pools: [{ name: 'p', protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', members: [member] }],
    };
    await expectFault(api.call('POST', LB, owner.token, { loadbalancer: graph }), 400, notFound);
    assert.equal((await api.call('GET', members(poolId), owner.token)).json().members.length, 0);
    // The owner of the subnet, and an admin, may use it.
    const own = await newPool(await newLb(other.token), other.token);
    assert.equal((await add(own, member, other.token)).statusCode, 201);
    assert.equal((await add(poolId, member)).statusCode, 201);
    await api.provisioner.idle();
  });

  describe('rejects malformed bodies with WSME faults', () => {
    const cases: [string, string, unknown, string][] = [
      [
        'POST',
        'a missing address',
        { member: { protocol_port: 80 } },
        "Invalid input for field/attribute address. Value: 'None'. Mandatory field missing.",
      ],
      [
        'POST',
        'a weight above 256',
        { member: { address: '10.0.0.9', protocol_port: 80, weight: 257 } },
        "Invalid input for field/attribute weight. Value: '257'. Value should be lower or equal to 256",
      ],
      [
        'POST',
        'a port of 0',
        { member: { address: '10.0.0.9', protocol_port: 0 } },
        "Invalid input for field/attribute protocol_port. Value: '0'. Value should be greater or equal to 1",
      ],
      [
        'POST',
        'an address that is not an IP',
        { member: { address: 'host', protocol_port: 80 } },
        "Invalid input for field/attribute address. Value: 'host'. Value should be IPv4 or IPv6 format",
      ],
      [
        'POST',
        'an unknown attribute',
        { member: { address: '10.0.0.9', protocol_port: 80, bogus: 1 } },
        'Unknown attribute for argument member_.member: bogus',
      ],
    ];
    for (const [method, what, body, text] of cases) {
      it(`rejects ${what}`, async () => {
        const poolId = await newPool();
        await expectFault(api.call(method as 'POST', members(poolId), api.adminToken, body), 400, text);
      });
    }
  });

  it('answers 404 for an unknown pool, and for a member of another pool', async () => {
    const missing = '9f3c1b2a-1d2e-4f5a-8b9c-0d1e2f3a4b55';
    await expectFault(api.call('GET', members(missing), api.adminToken), 404, `Pool ${missing} not found.`);
    const [p1, p2] = [await newPool(), await newPool()];
    const m = (await add(p1, { address: '10.0.1.1', protocol_port: 80 })).json().member;
    await api.provisioner.idle();
    await expectFault(
      api.call('GET', `${members(p2)}/${m.id}`, api.adminToken),
      404,
      `Member ${m.id} not found.`,
    );
  });

  it('answers 409 while the pool is not ACTIVE', async () => {
    const poolId = await newPool();
    await api.held(async () => {
      assert.equal((await add(poolId, { address: '10.0.2.1', protocol_port: 80 })).statusCode, 201);
      await expectFault(
        add(poolId, { address: '10.0.2.2', protocol_port: 80 }),
        409,
        `Pool ${poolId} is immutable and cannot be updated.`,
      );
    });
    assert.equal((await api.call('GET', members(poolId), api.adminToken)).json().members.length, 1);
  });

  it('updates a member, resetting weight and backup on null, and rejects immutable fields', async () => {
    const poolId = await newPool();
    const m = (await add(poolId, { address: '10.0.3.1', protocol_port: 80, weight: 5, backup: true })).json()
      .member;
    await api.provisioner.idle();
    const url = `${members(poolId)}/${m.id}`;
    const updated = await api.call('PUT', url, api.adminToken, {
      member: { weight: null, backup: null, name: 'n' },
    });
    assert.equal(updated.statusCode, 200);
    const body = updated.json().member;
    assert.deepEqual(
      [body.weight, body.backup, body.name, body.provisioning_status],
      [1, false, 'n', 'PENDING_UPDATE'],
    );
    await api.provisioner.idle();
    await expectFault(
      api.call('PUT', url, api.adminToken, { member: { address: '10.0.3.2' } }),
      400,
      'Unknown attribute for argument member_.member: address',
    );
  });

  it('deletes a member: 204, PENDING_DELETE, then gone', async () => {
    const poolId = await newPool();
    const m = (await add(poolId, { address: '10.0.4.1', protocol_port: 80 })).json().member;
    await api.provisioner.idle();
    await api.held(async () => {
      assert.equal((await api.call('DELETE', `${members(poolId)}/${m.id}`, api.adminToken)).statusCode, 204);
      assert.equal(await status('members', m.id), 'PENDING_DELETE');
    });
    await expectFault(
      api.call('GET', `${members(poolId)}/${m.id}`, api.adminToken),
      404,
      `Member ${m.id} not found.`,
    );
  });

  it('lists members under `members` with `members_links`, with filters and fields', async () => {
    const poolId = await newPool();
    await add(poolId, { address: '10.0.5.1', protocol_port: 80 });
    await api.provisioner.idle();
    await add(poolId, { address: '10.0.5.2', protocol_port: 81 });
    await api.provisioner.idle();
    const listed = (
      await api.call('GET', `${members(poolId)}?protocol_port=81&fields=address`, api.adminToken)
    ).json();
    assert.deepEqual(listed, { members: [{ address: '10.0.5.2' }], members_links: [] });
  });

  it('enforces the member quota of the project', async () => {
    const user = await api.userWithRoles(['load-balancer_member']);
    const poolId = await newPool(await newLb(user.token), user.token);
    await setQuota(api.store.db, user.projectId, { member: 0 });
    await expectFault(
      add(poolId, { address: '10.0.6.1', protocol_port: 80 }, user.token),
      403,
      'Quota has been met for resources: Member',
    );
    assert.equal(await status('pools', poolId), 'ACTIVE');
  });

  it('applies the member policy of the owning project: owner writes, observer reads, others get 403', async () => {
    const owner = await api.userWithRoles(['load-balancer_member']);
    const project = (await api.call('GET', `/v3/projects/${owner.projectId}`, api.adminToken)).json().project
      .name;
    const observer = await api.userWithRoles(['load-balancer_observer'], project);
    const stranger = await api.userWithRoles(['load-balancer_member']);
    const poolId = await newPool(await newLb(owner.token), owner.token);
    assert.equal(
      (await add(poolId, { address: '10.0.7.1', protocol_port: 80 }, owner.token)).statusCode,
      201,
    );
    await api.provisioner.idle();
    assert.equal((await api.call('GET', members(poolId), observer.token)).json().members.length, 1);
    await expectFault(
      add(poolId, { address: '10.0.7.2', protocol_port: 80 }, observer.token),
      403,
      FORBIDDEN,
    );
    await expectFault(api.call('GET', members(poolId), stranger.token), 403, FORBIDDEN);
    await expectFault(
      add(poolId, { address: '10.0.7.3', protocol_port: 80 }, stranger.token),
      403,
      FORBIDDEN,
    );
  });
});
