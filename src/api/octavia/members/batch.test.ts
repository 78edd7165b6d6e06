import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { listMembers } from '../../../store/repositories/member-repository.ts';
import { setQuota } from '../../../store/repositories/quota-repository.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
let api: TestApi;
let lbId: string;

type Member = { id: string; address: string; protocol_port: number; weight: number; [k: string]: unknown };

async function newLb(token = api.adminToken): Promise<string> {
  const lb = await api.call('POST', LB, token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } });
  await api.provisioner.idle();
  return lb.json().loadbalancer.id;
}
async function newPool(
  members: Record<string, unknown>[] = [],
  loadBalancerId = lbId,
  token = api.adminToken,
) {
  const body = { loadbalancer_id: loadBalancerId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' };
  const id = (await api.call('POST', POOLS, token, { pool: body })).json().pool.id as string;
  await api.provisioner.idle();
  for (const member of members) {
    await api.call('POST', `${POOLS}/${id}/members`, token, { member });
    await api.provisioner.idle();
  }
  return id;
}
const batch = (poolId: string, list: unknown, query = '', token = api.adminToken) =>
  api.call('PUT', `${POOLS}/${poolId}/members${query}`, token, { members: list });
const listed = async (poolId: string): Promise<Member[]> =>
  (await api.call('GET', `${POOLS}/${poolId}/members`, api.adminToken)).json().members;
const lbRevision = async () =>
  (
    await api.store.db
      .selectFrom('load_balancers')
      .select('revision')
      .where('id', '=', lbId)
      .executeTakeFirstOrThrow()
  ).revision;

describe('batch member update (reference §6.1)', () => {
  before(async () => {
    api = await startTestApi();
    lbId = await newLb();
  });
  after(async () => api.close());

  it('refuses an existing member named twice in one batch (400) and changes nothing', async () => {
    const poolId = await newPool([{ address: '10.1.9.1', protocol_port: 80, weight: 5 }]);
    const revision = await lbRevision();
    await expectFault(
      batch(poolId, [
        { address: '10.1.9.1', protocol_port: 80, weight: 2 },
        { address: '10.1.9.1', protocol_port: 80, weight: 3 },
      ]),
      400,
      'Validation failure: Member must be updated only once in the same request.',
    );
    const [member] = await listed(poolId);
    assert.deepEqual([member.weight, member.provisioning_status], [5, 'ACTIVE']);
    assert.equal(await lbRevision(), revision);
  });

  it('creates new, updates matching (resetting omitted fields) and deletes absent members: 202, empty body', async () => {
    const poolId = await newPool([
      { address: '10.1.0.1', protocol_port: 80, weight: 7, backup: true, name: 'keep-name' },
      { address: '10.1.0.2', protocol_port: 80 },
    ]);
    const before = await listed(poolId);
    const first = before.find((m) => m.address === '10.1.0.1')!;
    const second = before.find((m) => m.address === '10.1.0.2')!;
    await api.held(async () => {
      const response = await batch(poolId, [
        { address: '10.1.0.1', protocol_port: 80 },
        { address: '10.1.0.3', protocol_port: 80, weight: 3 },
      ]);
      assert.equal(response.statusCode, 202);
      assert.equal(response.body, '');
      const now = await listed(poolId);
      const by = (address: string) => now.find((m) => m.address === address);
      assert.deepEqual(
        [by('10.1.0.1')?.provisioning_status, by('10.1.0.1')?.weight, by('10.1.0.1')?.backup],
        ['PENDING_UPDATE', 1, false],
      );
      assert.equal(by('10.1.0.1')?.name, 'keep-name');
      assert.equal(by('10.1.0.2')?.provisioning_status, 'PENDING_DELETE');
      assert.deepEqual([by('10.1.0.3')?.provisioning_status, by('10.1.0.3')?.weight], ['PENDING_CREATE', 3]);
      const pool = (await api.call('GET', `${POOLS}/${poolId}`, api.adminToken)).json().pool;
      assert.equal(pool.provisioning_status, 'PENDING_UPDATE');
    });
    const after = await listed(poolId);
    assert.deepEqual(after.map((m) => [m.address, m.provisioning_status]).sort(), [
      ['10.1.0.1', 'ACTIVE'],
      ['10.1.0.3', 'ACTIVE'],
    ]);
    assert.equal(after.find((m) => m.address === '10.1.0.1')?.id, first.id);
    assert.ok(!after.some((m) => m.id === second.id));
  });

  it('leaves absent members untouched with additive_only=true', async () => {
    const poolId = await newPool([{ address: '10.1.1.1', protocol_port: 80 }]);
    assert.equal(
      (await batch(poolId, [{ address: '10.1.1.2', protocol_port: 80 }], '?additive_only=true')).statusCode,
      202,
    );
    await api.provisioner.idle();
    assert.deepEqual((await listed(poolId)).map((m) => m.address).sort(), ['10.1.1.1', '10.1.1.2']);
  });

  it('deletes every member for an empty list without additive_only', async () => {
    const poolId = await newPool([
      { address: '10.1.2.1', protocol_port: 80 },
      { address: '10.1.2.2', protocol_port: 80 },
    ]);
    assert.equal((await batch(poolId, [])).statusCode, 202);
    await api.provisioner.idle();
    assert.deepEqual(await listed(poolId), []);
  });

  it('answers 202 and changes nothing when there is nothing to do', async () => {
    const poolId = await newPool();
    const before = await lbRevision();
    assert.equal((await batch(poolId, [])).statusCode, 202);
    assert.equal((await batch(poolId, [], '?additive_only=true')).statusCode, 202);
    assert.equal(await lbRevision(), before);
  });

  it('rejects a reserved address among the new members, and changes nothing', async () => {
    const poolId = await newPool([{ address: '10.1.3.1', protocol_port: 80 }]);
    await expectFault(
      batch(poolId, [{ address: '169.254.169.254', protocol_port: 80 }]),
      400,
      '169.254.169.254 is not a valid option for member address',
    );
    assert.deepEqual(
      (await listed(poolId)).map((m) => m.provisioning_status),
      ['ACTIVE'],
    );
  });

  it('rejects an unknown subnet', async () => {
    const poolId = await newPool();
    const id = '2d6f5c1e-7a3b-4c8d-9e0f-1a2b3c4d5e66';
    await expectFault(
      batch(poolId, [{ address: '10.1.4.1', protocol_port: 80, subnet_id: id }]),
      400,
      `Subnet ${id} not found.`,
    );
  });

  it('checks each subnet the batch names: an unknown one after a known one repeated is refused', async () => {
    const poolId = await newPool();
    const unknown = '2d6f5c1e-7a3b-4c8d-9e0f-1a2b3c4d5e77';
    const known = { protocol_port: 80, subnet_id: api.publicSubnetId };
    await expectFault(
      batch(poolId, [
        { ...known, address: '10.1.4.2' },
        { ...known, address: '10.1.4.3' },
        { address: '10.1.4.4', protocol_port: 80, subnet_id: unknown },
      ]),
      400,
      `Subnet ${unknown} not found.`,
    );
    assert.deepEqual(await listed(poolId), []);
  });

  it('creates, updates with differing changes and removes members of a batch as large as the body cap allows', async () => {
    // 2,000 members: about 96 KB of JSON, under the 114,688-byte cap; more rows than one SQL statement binds.
    const count = 2000;
    const endpoint = (i: number) => ({
      address: `10.2.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      protocol_port: 80,
    });
    const poolId = await newPool();
    /** Sends one batch, expects 202, and lets the provider finish it. */
    const accepted = async (list: unknown[]) => {
      assert.equal((await batch(poolId, list)).statusCode, 202);
      await api.provisioner.idle();
    };
    await accepted(Array.from({ length: count }, (_, i) => ({ ...endpoint(i), weight: 9 })));
    const stored = async () => {
      const members = await listMembers(api.store.db, poolId);
      return new Map(members.map((m) => [`${m.address}:${m.protocolPort}`, m]));
    };
    const created = await stored();
    assert.equal(created.size, count);
    assert.ok([...created.values()].every((m) => m.provisioningStatus === 'ACTIVE' && m.weight === 9));
    // Three kinds of change in one batch: a weight, a name (the weight back to its default 1), and none.
    const change = (i: number) =>
      i % 3 === 0
        ? { ...endpoint(i), weight: 3 }
        : i % 3 === 1
          ? { ...endpoint(i), name: `m${i}` }
          : endpoint(i);
    await accepted(Array.from({ length: count }, (_, i) => change(i)));
    const updated = await stored();
    for (let i = 0; i < count; i += 1) {
      const m = updated.get(`${endpoint(i).address}:80`);
      const want = i % 3 === 0 ? [3, null] : i % 3 === 1 ? [1, `m${i}`] : [1, null];
      assert.deepEqual(
        [m?.weight, m?.name, m?.provisioningStatus, m?.id],
        [...want, 'ACTIVE', created.get(`${endpoint(i).address}:80`)?.id],
      );
    }
    const half = Array.from({ length: count / 2 }, (_, i) => change(i));
    await accepted(half);
    const kept = await stored();
    assert.deepEqual([...kept.keys()].sort(), half.map((m) => `${m.address}:80`).sort());
  });

  it('rejects the same address and port twice among new members', async () => {
    const poolId = await newPool();
    const twice = { address: '10.1.5.1', protocol_port: 80 };
    await expectFault(
      batch(poolId, [twice, twice]),
      409,
      'Another member on this pool is already using ip 10.1.5.1 on protocol_port 80',
    );
  });

  it('rejects a malformed member list with WSME faults', async () => {
    const poolId = await newPool();
    await expectFault(
      batch(poolId, [{ address: '10.1.6.1' }]),
      400,
      "Invalid input for field/attribute protocol_port. Value: 'None'. Mandatory field missing.",
    );
  });

  it('answers 409 while the pool is not ACTIVE, even for a no-op', async () => {
    const poolId = await newPool();
    await api.held(async () => {
      await api.call('PUT', `${POOLS}/${poolId}`, api.adminToken, { pool: { name: 'busy' } });
      await expectFault(batch(poolId, []), 409, `Pool ${poolId} is immutable and cannot be updated.`);
    });
  });

  it('checks the member quota against the net increase only', async () => {
    const user = await api.userWithRoles(['load-balancer_member']);
    const poolId = await newPool(
      [{ address: '10.1.7.1', protocol_port: 80 }],
      await newLb(user.token),
      user.token,
    );
    await setQuota(api.store.db, user.projectId, { member: 1 });
    assert.equal(
      (await batch(poolId, [{ address: '10.1.7.2', protocol_port: 80 }], '', user.token)).statusCode,
      202,
    );
    await api.provisioner.idle();
    const two = [
      { address: '10.1.7.2', protocol_port: 80 },
      { address: '10.1.7.3', protocol_port: 80 },
    ];
    await expectFault(batch(poolId, two, '', user.token), 403, 'Quota has been met for resources: Member');
  });

  it('needs member post, put and delete rights: an observer is refused', async () => {
    const owner = await api.userWithRoles(['load-balancer_member']);
    const project = (await api.call('GET', `/v3/projects/${owner.projectId}`, api.adminToken)).json().project
      .name;
    const observer = await api.userWithRoles(['load-balancer_observer'], project);
    const poolId = await newPool([], await newLb(owner.token), owner.token);
    const forbidden = 'Policy does not allow this request to be performed.';
    await expectFault(batch(poolId, [], '?additive_only=true', observer.token), 403, forbidden);
    assert.equal(
      (await batch(poolId, [{ address: '10.1.8.1', protocol_port: 80 }], '', owner.token)).statusCode,
      202,
    );
    await api.provisioner.idle();
  });

  it('turns every changed member ERROR and the pool back ACTIVE when the provider fails', async () => {
    const poolId = await newPool([{ address: '10.1.9.1', protocol_port: 80 }]);
    const apply = api.noop.apply;
    api.noop.apply = async () => {
      throw new Error('provider down');
    };
    try {
      await batch(poolId, [
        { address: '10.1.9.1', protocol_port: 80 },
        { address: '10.1.9.2', protocol_port: 80 },
      ]);
      await api.provisioner.idle();
    } finally {
      api.noop.apply = apply;
    }
    assert.deepEqual(
      (await listed(poolId)).map((m) => m.provisioning_status),
      ['ERROR', 'ERROR'],
    );
    assert.equal(
      (await api.call('GET', `${POOLS}/${poolId}`, api.adminToken)).json().pool.provisioning_status,
      'ACTIVE',
    );
  });
});
