import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
const POOLS = '/v2/lbaas/pools';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
let api: TestApi;
type User = { token: string; projectId: string };
let a: User;
let b: User;
let observerOfB: User;
let lbOfB: string;
let poolOfB: string;

describe('pool RBAC (Octavia default policy, reference §9.2)', () => {
  before(async () => {
    api = await startTestApi();
    a = await api.userWithRoles(['load-balancer_member']);
    b = await api.userWithRoles(['load-balancer_member']);
    const projectB = (await api.call('GET', `/v3/projects/${b.projectId}`, api.adminToken)).json().project
      .name;
    observerOfB = await api.userWithRoles(['load-balancer_observer'], projectB);
    lbOfB = (
      await api.call('POST', LB, b.token, { loadbalancer: { vip_subnet_id: api.publicSubnetId } })
    ).json().loadbalancer.id;
    await api.provisioner.idle();
    const pool = await api.call('POST', POOLS, b.token, {
      pool: { loadbalancer_id: lbOfB, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    });
    assert.equal(pool.statusCode, 201, pool.body);
    poolOfB = pool.json().pool.id;
    await api.provisioner.idle();
  });
  after(async () => api.close());

  it('lets the owning load-balancer_member create, read, update and delete pools in its project', async () => {
    assert.equal((await api.call('GET', `${POOLS}/${poolOfB}`, b.token)).json().pool.project_id, b.projectId);
    const created = await api.call('POST', POOLS, b.token, {
      pool: { loadbalancer_id: lbOfB, protocol: 'TCP', lb_algorithm: 'ROUND_ROBIN' },
    });
    assert.equal(created.statusCode, 201);
    await api.provisioner.idle();
    const id = created.json().pool.id;
    assert.equal((await api.call('PUT', `${POOLS}/${id}`, b.token, { pool: { name: 'x' } })).statusCode, 200);
    await api.provisioner.idle();
    assert.equal((await api.call('DELETE', `${POOLS}/${id}`, b.token)).statusCode, 204);
    await api.provisioner.idle();
  });

  it("answers 403 when a member of another project touches project B's pools", async () => {
    for (const [method, url, body] of [
      ['GET', `${POOLS}/${poolOfB}`, undefined],
      ['PUT', `${POOLS}/${poolOfB}`, { pool: { name: 'stolen' } }],
      ['DELETE', `${POOLS}/${poolOfB}`, undefined],
      ['POST', POOLS, { pool: { loadbalancer_id: lbOfB, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' } }],
    ] as const) {
      const response = await api.call(method, url, a.token, body);
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.equal(response.json().faultstring, FORBIDDEN);
    }
    assert.equal((await api.call('GET', `${POOLS}/${poolOfB}`, b.token)).json().pool.name, '');
  });

  it('lets an observer read but not write', async () => {
    assert.equal((await api.call('GET', `${POOLS}/${poolOfB}`, observerOfB.token)).statusCode, 200);
    const listed = (await api.call('GET', POOLS, observerOfB.token)).json().pools;
    assert.deepEqual(
      listed.map((p: { id: string }) => p.id),
      [poolOfB],
    );
    const response = await api.call('PUT', `${POOLS}/${poolOfB}`, observerOfB.token, { pool: { name: 'x' } });
    assert.deepEqual([response.statusCode, response.json().faultstring], [403, FORBIDDEN]);
  });

  it("scopes lists to the caller's project and refuses to list another project", async () => {
    assert.deepEqual((await api.call('GET', POOLS, a.token)).json().pools, []);
    const other = await api.call('GET', `${POOLS}?project_id=${b.projectId}`, a.token);
    assert.deepEqual([other.statusCode, other.json().faultstring], [403, FORBIDDEN]);
    const all = (await api.call('GET', POOLS, api.adminToken)).json().pools;
    assert.ok(all.some((p: { id: string }) => p.id === poolOfB));
  });

  it('answers 403 to a user without a load-balancer role', async () => {
    const plain = await api.userWithRoles(['member']);
    const response = await api.call('GET', POOLS, plain.token);
    assert.deepEqual([response.statusCode, response.json().faultstring], [403, FORBIDDEN]);
  });
});
