import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const Q = '/v2/lbaas/quotas';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
const DEFAULTS = {
  loadbalancer: -1,
  load_balancer: -1,
  listener: -1,
  member: -1,
  pool: -1,
  healthmonitor: -1,
  health_monitor: -1,
  l7policy: -1,
  l7rule: -1,
};
let api: TestApi;

const put = (projectId: string, quota: unknown, token = api.adminToken) =>
  api.call('PUT', `${Q}/${projectId}`, token, { quota });

describe('quotas API', () => {
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('shows the configured defaults, in both spellings, for a project without stored quotas', async () => {
    const response = await api.call('GET', `${Q}/never-set`, api.adminToken);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { quota: DEFAULTS });
    assert.deepEqual((await api.call('GET', `${Q}/never-set/default`, api.adminToken)).json(), {
      quota: DEFAULTS,
    });
  });

  it('sets some limits with 202 and answers the effective quota', async () => {
    const response = await put('p-set', { loadbalancer: 5, health_monitor: 3, member: '7' });
    assert.equal(response.statusCode, 202);
    assert.deepEqual(response.json().quota, {
      ...DEFAULTS,
      loadbalancer: 5,
      load_balancer: 5,
      healthmonitor: 3,
      health_monitor: 3,
      member: 7,
    });
    assert.deepEqual(
      (await api.call('GET', `${Q}/p-set`, api.adminToken)).json().quota,
      response.json().quota,
    );
    assert.deepEqual((await api.call('GET', `${Q}/p-set/default`, api.adminToken)).json().quota, DEFAULTS);
  });

  it('prefers the current spelling when both spellings of a limit are sent', async () => {
    const response = await put('p-both', {
      loadbalancer: 4,
      load_balancer: 9,
      healthmonitor: 1,
      health_monitor: 2,
    });
    const quota = response.json().quota;
    assert.deepEqual([quota.load_balancer, quota.health_monitor], [4, 1]);
  });

  it('puts a limit back to its default when it is set to null', async () => {
    await put('p-null', { pool: 3, listener: 2 });
    const quota = (await put('p-null', { pool: null })).json().quota;
    assert.deepEqual([quota.pool, quota.listener], [-1, 2]);
  });

  it('rejects a limit above 2000000000', async () => {
    assertFault(
      await put('p-range', { pool: 2000000001 }),
      400,
      "Invalid input for field/attribute pool. Value: '2000000001'. Value should be lower or equal to 2000000000",
    );
  });

  it('rejects a limit below -1', async () => {
    assertFault(
      await put('p-range', { l7rule: -2 }),
      400,
      "Invalid input for field/attribute l7rule. Value: '-2'. Value should be greater or equal to -1",
    );
  });

  it('rejects an unknown attribute in the quota', async () => {
    assertFault(await put('p-bad', { bogus: 1 }), 400, 'Unknown attribute for argument quotas.quota: bogus');
  });

  it('rejects a PUT without the quota envelope', async () => {
    const response = await api.call('PUT', `${Q}/p-bad`, api.adminToken, {});
    assertFault(
      response,
      400,
      "Invalid input for field/attribute quota. Value: 'None'. Mandatory field missing.",
    );
  });

  it('resets a project to the defaults with 202 and an empty body', async () => {
    await put('p-reset', { pool: 1 });
    const response = await api.call('DELETE', `${Q}/p-reset`, api.adminToken);
    assert.equal(response.statusCode, 202);
    assert.equal(response.body, '');
    assert.deepEqual((await api.call('GET', `${Q}/p-reset`, api.adminToken)).json().quota, DEFAULTS);
  });

  it('lists only projects with stored quotas, with null where the default applies', async () => {
    await put('p-list', { listener: 8 });
    await put('p-gone', { listener: 8 });
    await api.call('DELETE', `${Q}/p-gone`, api.adminToken);
    const response = await api.call('GET', Q, api.adminToken);
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(body.quotas_links, []);
    const ids = body.quotas.map((q: { project_id: string }) => q.project_id);
    assert.ok(ids.includes('p-list'));
    assert.ok(!ids.includes('p-gone') && !ids.includes('never-set'));
    const entry = body.quotas.find((q: { project_id: string }) => q.project_id === 'p-list');
    assert.deepEqual(entry, {
      project_id: 'p-list',
      ...Object.fromEntries(Object.keys(DEFAULTS).map((k) => [k, null])),
      listener: 8,
    });
    const filtered = (await api.call('GET', `${Q}?project_id=p-list`, api.adminToken)).json().quotas;
    assert.deepEqual(
      filtered.map((q: { project_id: string }) => q.project_id),
      ['p-list'],
    );
  });

  it('refuses load balancer creation once the project quota is met', async () => {
    const member = await api.userWithRoles(['load-balancer_member']);
    await put(member.projectId, { loadbalancer: 0 });
    const response = await api.call('POST', '/v2/lbaas/loadbalancers', member.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assertFault(response, 403, 'Quota has been met for resources: Load Balancer');
  });

  describe('RBAC', () => {
    it("lets a member and an observer read their own project's quota but not another's", async () => {
      for (const role of ['load-balancer_member', 'load-balancer_observer']) {
        const user = await api.userWithRoles([role]);
        assert.equal((await api.call('GET', `${Q}/${user.projectId}`, user.token)).statusCode, 200);
        assert.equal((await api.call('GET', `${Q}/${user.projectId}/default`, user.token)).statusCode, 200);
        assertFault(await api.call('GET', `${Q}/someone-else`, user.token), 403, FORBIDDEN);
      }
    });

    it('refuses quota changes to a project member', async () => {
      const member = await api.userWithRoles(['load-balancer_member']);
      assertFault(await put(member.projectId, { pool: 1 }, member.token), 403, FORBIDDEN);
      assertFault(await api.call('DELETE', `${Q}/${member.projectId}`, member.token), 403, FORBIDDEN);
    });

    it('lets a quota admin change and list any project', async () => {
      const quotaAdmin = await api.userWithRoles(['load-balancer_quota_admin']);
      assert.equal((await put('p-qa', { pool: 2 }, quotaAdmin.token)).statusCode, 202);
      const ids = (await api.call('GET', Q, quotaAdmin.token))
        .json()
        .quotas.map((q: { project_id: string }) => q.project_id);
      assert.ok(ids.includes('p-qa') && ids.includes('p-list'));
    });

    it("scopes a member's list to its own project and refuses another project explicitly", async () => {
      const member = await api.userWithRoles(['load-balancer_member']);
      await put(member.projectId, { pool: 4 });
      const ids = (await api.call('GET', Q, member.token))
        .json()
        .quotas.map((q: { project_id: string }) => q.project_id);
      assert.deepEqual(ids, [member.projectId]);
      assertFault(await api.call('GET', `${Q}?project_id=p-list`, member.token), 403, FORBIDDEN);
    });

    it('lets a global observer list every project but not change quotas', async () => {
      const global = await api.userWithRoles(['load-balancer_global_observer']);
      const ids = (await api.call('GET', Q, global.token))
        .json()
        .quotas.map((q: { project_id: string }) => q.project_id);
      assert.ok(ids.includes('p-list'));
      assertFault(await put('p-list', { pool: 1 }, global.token), 403, FORBIDDEN);
    });

    it('answers 403 to a user with no load-balancer role', async () => {
      const plain = await api.userWithRoles(['member']);
      assertFault(await api.call('GET', `${Q}/${plain.projectId}`, plain.token), 403, FORBIDDEN);
    });
  });
});
