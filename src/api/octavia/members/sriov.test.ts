import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
const SRIOV_DISABLED = 'The load balancer flavor does not allow SR-IOV member ports.';
let api: TestApi;
let poolId: string;

const members = (id = poolId) => `${POOLS}/${id}/members`;
const add = (member: Record<string, unknown>) => api.call('POST', members(), api.adminToken, { member });
const memberCount = async () =>
  (await api.store.db.selectFrom('members').select('id').where('pool_id', '=', poolId).execute()).length;

describe('member SR-IOV (API 2.30)', () => {
  before(async () => {
    api = await startTestApi();
    const lb = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    await api.provisioner.idle();
    const pool = {
      loadbalancer_id: lb.json().loadbalancer.id,
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
    };
    poolId = (await api.call('POST', POOLS, api.adminToken, { pool })).json().pool.id;
    await api.provisioner.idle();
  });
  after(async () => api.close());

  it('accepts request_sriov false and shows vnic_type normal on create, show and list', async () => {
    const created = await add({ address: '10.0.0.1', protocol_port: 80, request_sriov: false });
    assert.equal(created.statusCode, 201, created.body);
    const member = created.json().member;
    assert.equal(member.vnic_type, 'normal');
    assert.equal('request_sriov' in member, false);
    await api.provisioner.idle();
    const shown = await api.call('GET', `${members()}/${member.id}`, api.adminToken);
    assert.equal(shown.json().member.vnic_type, 'normal');
    const listed = await api.call('GET', `${members()}?vnic_type=normal`, api.adminToken);
    assert.deepEqual(
      listed.json().members.map((m: { id: string }) => m.id),
      [member.id],
    );
  });

  it('refuses request_sriov true with MemberSRIOVDisabled and creates nothing', async () => {
    const before = await memberCount();
    await expectFault(
      add({ address: '10.0.0.2', protocol_port: 80, request_sriov: true }),
      400,
      SRIOV_DISABLED,
    );
    assert.equal(await memberCount(), before);
  });

  it('refuses request_sriov on a member update as an unknown attribute', async () => {
    const id = (await add({ address: '10.0.0.3', protocol_port: 80 })).json().member.id;
    await api.provisioner.idle();
    await expectFault(
      api.call('PUT', `${members()}/${id}`, api.adminToken, { member: { request_sriov: false } }),
      400,
      'Unknown attribute for argument member_.member: request_sriov',
    );
  });

  it('refuses request_sriov true on a new batch member but ignores it on an existing one', async () => {
    const existing = (await api.call('GET', members(), api.adminToken)).json().members as {
      address: string;
      protocol_port: number;
    }[];
    const keep = existing.map((m) => ({ address: m.address, protocol_port: m.protocol_port }));
    const batch = (list: Record<string, unknown>[]) =>
      api.call('PUT', members(), api.adminToken, { members: list });
    await expectFault(
      batch([...keep, { address: '10.0.0.9', protocol_port: 80, request_sriov: true }]),
      400,
      SRIOV_DISABLED,
    );
    const [first, ...rest] = keep;
    const ignored = await batch([{ ...first, request_sriov: true, weight: 7 }, ...rest]);
    assert.equal(ignored.statusCode, 202, ignored.body);
    await api.provisioner.idle();
    const after = (await api.call('GET', members(), api.adminToken)).json().members as Record<
      string,
      unknown
    >[];
    const updated = after.find((m) => m.address === first.address);
    assert.deepEqual([updated?.weight, updated?.vnic_type], [7, 'normal']);
  });

  it('refuses request_sriov true on a member of a fully populated load balancer create', async () => {
    const pool = {
      name: 'p',
      protocol: 'TCP',
      lb_algorithm: 'ROUND_ROBIN',
      members: [{ address: '10.0.0.4', protocol_port: 80, request_sriov: true }],
    };
    await expectFault(
      api.call('POST', LB, api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, listeners: [], pools: [pool] },
      }),
      400,
      SRIOV_DISABLED,
    );
    pool.members[0].request_sriov = false;
    const created = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, listeners: [], pools: [pool] },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().loadbalancer.pools.length, 1);
  });
});
