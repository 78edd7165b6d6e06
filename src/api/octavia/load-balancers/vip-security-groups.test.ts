import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertSecurityGroup } from '../../../../test/helpers/security-groups.ts';
import { snapshotStore } from '../../../../test/helpers/store-changes.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
const LISTENERS = '/v2/lbaas/listeners';
let api: TestApi;
let member: { token: string; projectId: string };

async function settled(id: string, token = api.adminToken) {
  await api.provisioner.idle();
  return (await api.call('GET', `${LB}/${id}`, token)).json().loadbalancer;
}
async function vipPortGroups(portId: string): Promise<string[]> {
  return (await api.call('GET', `/v2.0/ports/${portId}`, api.adminToken)).json().port.security_groups;
}
/** A member's ACTIVE load balancer on the public subnet with `vip_sg_ids` (none when omitted). */
async function activeLb(sgIds?: string[]): Promise<{ id: string; vip_port_id: string }> {
  const body = { vip_subnet_id: api.publicSubnetId, ...(sgIds && { vip_sg_ids: sgIds }) };
  const response = await api.call('POST', LB, member.token, { loadbalancer: body });
  assert.equal(response.statusCode, 201, response.body);
  return settled(response.json().loadbalancer.id);
}
function fault(response: { statusCode: number; json(): { faultstring: string } }) {
  return [response.statusCode, response.json().faultstring];
}

describe('load balancer vip_sg_ids and vip_vnic_type (API 2.28, 2.29)', () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['load-balancer_member', 'member']);
  });
  after(async () => api.close());

  it('answers an empty vip_sg_ids and a normal vip_vnic_type when none were given', async () => {
    const response = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assert.equal(response.statusCode, 201, response.body);
    const lb = response.json().loadbalancer;
    assert.deepEqual([lb.vip_sg_ids, lb.vip_vnic_type], [[], 'normal']);
    assert.deepEqual((await settled(lb.id)).vip_sg_ids, []);
  });

  it("creates a load balancer with the caller's groups, echoes them and puts them on the VIP port", async () => {
    const a = await insertSecurityGroup(api.store.db, member.projectId);
    const b = await insertSecurityGroup(api.store.db, member.projectId);
    const response = await api.call('POST', LB, member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, vip_sg_ids: [a, b] },
    });
    assert.equal(response.statusCode, 201, response.body);
    const lb = response.json().loadbalancer;
    assert.deepEqual(lb.vip_sg_ids, [a, b]);
    assert.deepEqual((await settled(lb.id, member.token)).vip_sg_ids, [a, b]);
    assert.deepEqual(await vipPortGroups(lb.vip_port_id), [a, b]);
    const listed = (await api.call('GET', `${LB}?id=${lb.id}`, member.token)).json().loadbalancers[0];
    assert.deepEqual([listed.vip_sg_ids, listed.vip_vnic_type], [[a, b], 'normal']);
  });

  it("refuses another project's group or an unknown one with InvalidSubresource and creates nothing", async () => {
    const foreign = await insertSecurityGroup(api.store.db, 'some-other-project');
    const unknown = '6a1b3f5e-0c2d-4e8f-9a7b-1c2d3e4f5a6b';
    for (const id of [foreign, unknown]) {
      const before = await snapshotStore(api.store);
      const response = await api.call('POST', LB, member.token, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, vip_sg_ids: [id] },
      });
      assert.deepEqual(fault(response), [400, `Security Group ${id} not found.`]);
      assert.equal(await snapshotStore(api.store), before, 'nothing is stored, no VIP port is left');
    }
  });

  it("lets an admin use any project's group", async () => {
    const foreign = await insertSecurityGroup(api.store.db, 'some-other-project');
    const response = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, vip_sg_ids: [foreign] },
    });
    assert.equal(response.statusCode, 201, response.body);
  });

  it('replaces the groups on PUT, clears them with null, and keeps the VIP port in step', async () => {
    const a = await insertSecurityGroup(api.store.db, member.projectId);
    const b = await insertSecurityGroup(api.store.db, member.projectId);
    const lb = await activeLb([a]);
    const replaced = await api.call('PUT', `${LB}/${lb.id}`, member.token, {
      loadbalancer: { vip_sg_ids: [b] },
    });
    assert.equal(replaced.statusCode, 200, replaced.body);
    assert.deepEqual(replaced.json().loadbalancer.vip_sg_ids, [b]);
    assert.deepEqual(await vipPortGroups(lb.vip_port_id), [b]);
    await settled(lb.id);
    const cleared = await api.call('PUT', `${LB}/${lb.id}`, member.token, {
      loadbalancer: { vip_sg_ids: null },
    });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.deepEqual(cleared.json().loadbalancer.vip_sg_ids, []);
    assert.deepEqual(await vipPortGroups(lb.vip_port_id), []);
  });

  it('refuses a PUT naming an invisible group and changes nothing', async () => {
    const a = await insertSecurityGroup(api.store.db, member.projectId);
    const foreign = await insertSecurityGroup(api.store.db, 'some-other-project');
    const lb = await activeLb([a]);
    const before = await snapshotStore(api.store);
    const response = await api.call('PUT', `${LB}/${lb.id}`, member.token, {
      loadbalancer: { vip_sg_ids: [a, foreign] },
    });
    assert.deepEqual(fault(response), [400, `Security Group ${foreign} not found.`]);
    assert.equal(await snapshotStore(api.store), before);
  });

  it('refuses vip_vnic_type in a POST or PUT body like any unknown attribute', async () => {
    const post = await api.call('POST', LB, api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, vip_vnic_type: 'normal' },
    });
    assert.deepEqual(fault(post), [
      400,
      'Unknown attribute for argument load_balancer.loadbalancer: vip_vnic_type',
    ]);
    const lb = (
      await api.call('POST', LB, api.adminToken, { loadbalancer: { vip_subnet_id: api.publicSubnetId } })
    ).json().loadbalancer;
    await settled(lb.id);
    const put = await api.call('PUT', `${LB}/${lb.id}`, api.adminToken, {
      loadbalancer: { vip_vnic_type: 'direct' },
    });
    assert.deepEqual(fault(put), [
      400,
      'Unknown attribute for argument load_balancer.loadbalancer: vip_vnic_type',
    ]);
  });

  describe('allowed_cidrs on a load balancer with VIP security groups', () => {
    const REFUSED =
      'Validation failure: Allowed CIDRs are not allowed when using custom VIP Security Groups.';

    it('refuses a listener created with allowed_cidrs, but not one without', async () => {
      const group = await insertSecurityGroup(api.store.db, member.projectId);
      const lb = await activeLb([group]);
      const refused = await api.call('POST', LISTENERS, member.token, {
        listener: {
          loadbalancer_id: lb.id,
          protocol: 'TCP',
          protocol_port: 80,
          allowed_cidrs: ['127.0.0.0/8'],
        },
      });
      assert.deepEqual(fault(refused), [400, REFUSED]);
      const created = await api.call('POST', LISTENERS, member.token, {
        listener: { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: 80, allowed_cidrs: [] },
      });
      assert.equal(created.statusCode, 201, created.body);
      await settled(lb.id);
      const put = await api.call('PUT', `${LISTENERS}/${created.json().listener.id}`, member.token, {
        listener: { allowed_cidrs: ['127.0.0.0/8'] },
      });
      assert.deepEqual(fault(put), [400, REFUSED]);
    });

    it('refuses a graph create whose listener has allowed_cidrs', async () => {
      const group = await insertSecurityGroup(api.store.db, member.projectId);
      const before = await snapshotStore(api.store);
      const response = await api.call('POST', LB, member.token, {
        loadbalancer: {
          vip_subnet_id: api.publicSubnetId,
          vip_sg_ids: [group],
          listeners: [{ protocol: 'HTTP', protocol_port: 80, allowed_cidrs: ['127.0.0.0/8'] }],
        },
      });
      assert.deepEqual(fault(response), [400, REFUSED]);
      assert.equal(await snapshotStore(api.store), before);
    });

    it('still lets a load balancer without groups take allowed_cidrs', async () => {
      const lb = await activeLb();
      const created = await api.call('POST', LISTENERS, member.token, {
        listener: {
          loadbalancer_id: lb.id,
          protocol: 'TCP',
          protocol_port: 81,
          allowed_cidrs: ['127.0.0.0/8'],
        },
      });
      assert.equal(created.statusCode, 201, created.body);
    });
  });
});
