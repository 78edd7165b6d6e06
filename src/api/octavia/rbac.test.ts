// The RBAC policy chosen with `--rbac` reaches every Octavia route: Keystone's default roles under
// keystone-default, the load-balancer_* roles under advanced (the default), the service role's member list
// under both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
const FORBIDDEN = 'Policy does not allow this request to be performed.';

type User = { token: string; projectId: string };

/** A load balancer and a pool owned by `owner`, both ACTIVE; returns the pool's id and the LB's. */
async function lbWithPool(api: TestApi, owner: User): Promise<{ lbId: string; poolId: string }> {
  const lb = await api.call('POST', LB, owner.token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } });
  assert.equal(lb.statusCode, 201, lb.body);
  const lbId = lb.json().loadbalancer.id as string;
  await api.provisioner.idle();
  const pool = await api.call('POST', '/v2/lbaas/pools', owner.token, {
    pool: { loadbalancer_id: lbId, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
  });
  assert.equal(pool.statusCode, 201, pool.body);
  await api.provisioner.idle();
  return { lbId, poolId: pool.json().pool.id as string };
}

/** A `service` user of its own project lists the members of a pool `ownerRoles` made, and reads nothing else. */
async function serviceListsMembersOnly(api: TestApi, ownerRoles: string[]): Promise<void> {
  const owner = await api.userWithRoles(ownerRoles);
  const service = await api.userWithRoles(['service'], 'service');
  const { lbId, poolId } = await lbWithPool(api, owner);
  const members = await api.call('GET', `/v2/lbaas/pools/${poolId}/members`, service.token);
  assert.equal(members.statusCode, 200, members.body);
  assert.deepEqual(members.json().members, []);
  assertFault(await api.call('GET', `${LB}/${lbId}`, service.token), 403, FORBIDDEN);
  assertFault(await api.call('GET', `/v2/lbaas/pools/${poolId}`, service.token), 403, FORBIDDEN);
}

describe('--rbac keystone-default', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ rbac: 'keystone-default' });
  });
  after(async () => api.close());

  it('lets a plain member create, read and delete load balancers of its project', async () => {
    const member = await api.userWithRoles(['member'], 'kd-own');
    const created = await api.call('POST', LB, member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assert.equal(created.statusCode, 201, created.body);
    const lb = created.json().loadbalancer;
    assert.equal(lb.project_id, member.projectId);
    await api.provisioner.idle();
    assert.equal((await api.call('GET', `${LB}/${lb.id}`, member.token)).statusCode, 200);
    assert.equal((await api.call('DELETE', `${LB}/${lb.id}`, member.token)).statusCode, 204);
  });

  it("refuses a reader a load balancer create with Octavia's 403 but lets it read its project", async () => {
    const member = await api.userWithRoles(['member'], 'kd-read');
    const reader = await api.userWithRoles(['reader'], 'kd-read');
    const { lbId } = await lbWithPool(api, member);
    const create = await api.call('POST', LB, reader.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assertFault(create, 403, FORBIDDEN);
    assertFault(await api.call('DELETE', `${LB}/${lbId}`, reader.token), 403, FORBIDDEN);
    assert.equal((await api.call('GET', `${LB}/${lbId}`, reader.token)).statusCode, 200);
    const listed = (await api.call('GET', LB, reader.token)).json().loadbalancers as { id: string }[];
    assert.deepEqual(
      listed.map((l) => l.id),
      [lbId],
    );
  });

  it('refuses the load-balancer_member and load-balancer_admin roles, which it does not know', async () => {
    for (const roles of [['load-balancer_member'], ['load-balancer_admin']]) {
      const user = await api.userWithRoles(roles);
      const create = await api.call('POST', LB, user.token, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId },
      });
      assertFault(create, 403, FORBIDDEN);
      assertFault(await api.call('GET', LB, user.token), 403, FORBIDDEN);
    }
  });

  it("answers 403 when a member of one project reads another project's load balancer", async () => {
    const owner = await api.userWithRoles(['member']);
    const stranger = await api.userWithRoles(['member']);
    const { lbId } = await lbWithPool(api, owner);
    assertFault(await api.call('GET', `${LB}/${lbId}`, stranger.token), 403, FORBIDDEN);
    assertFault(await api.call('GET', `${LB}?project_id=${owner.projectId}`, stranger.token), 403, FORBIDDEN);
  });

  it("lets a service user list another project's pool members, and nothing else", async () => {
    await serviceListsMembersOnly(api, ['member']);
  });
});

describe('--rbac advanced (the default)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it("refuses a plain member a load balancer create with Octavia's 403", async () => {
    const member = await api.userWithRoles(['member']);
    const create = await api.call('POST', LB, member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assertFault(create, 403, FORBIDDEN);
  });

  it("lets a service user list another project's pool members, as Octavia's advanced override does", async () => {
    await serviceListsMembersOnly(api, ['load-balancer_member']);
  });
});
