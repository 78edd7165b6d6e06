// A security group on a load balancer's VIP (`vip_sg_ids`, Octavia API 2.29) is in use: Neutron refuses to
// delete it while the load balancer lives, and lets it go once the load balancer is deleted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { neutronError } from '../../../../test/helpers/neutron-fixture.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

let api: TestApi;
let member: { token: string; projectId: string };

async function json(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, body?: unknown) {
  const response = await api.call(method, url, token, body);
  return {
    status: response.statusCode,
    raw: response.body,
    body: response.body ? response.json() : undefined,
  };
}

describe('security groups used by a load balancer VIP', () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member', 'load-balancer_member']);
  });
  after(async () => {
    await api.close();
  });

  it('answers SecurityGroupInUse for a group in vip_sg_ids until the load balancer is gone', async () => {
    const group = await json('POST', '/v2.0/security-groups', member.token, {
      security_group: { name: 'vip' },
    });
    assert.equal(group.status, 201, group.raw);
    const groupId = group.body.security_group.id as string;
    const lb = await json('POST', '/v2/lbaas/loadbalancers', member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, name: 'lb-sg' },
    });
    assert.equal(lb.status, 201, lb.raw);
    await api.provisioner.idle();
    const lbId = lb.body.loadbalancer.id as string;
    // The Octavia side that writes vip_sg_ids is another piece of issue #13: write the column it fills.
    await api.store.db
      .updateTable('load_balancers')
      .set({ vip_sg_ids: JSON.stringify([groupId]) })
      .where('id', '=', lbId)
      .execute();

    const refused = await json('DELETE', `/v2.0/security-groups/${groupId}`, member.token);
    assert.equal(refused.status, 409);
    assert.deepEqual(neutronError(refused.raw), {
      type: 'SecurityGroupInUse',
      message: `Security Group ${groupId} in use.`,
      detail: '',
    });

    assert.equal((await json('DELETE', `/v2/lbaas/loadbalancers/${lbId}`, member.token)).status, 204);
    await api.provisioner.idle();
    assert.equal((await json('DELETE', `/v2.0/security-groups/${groupId}`, member.token)).status, 204);
  });
});
