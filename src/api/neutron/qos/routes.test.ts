// QoS policies through the wire: admin-only writes, who sees which policy, one default per project, the
// empty rule-types list, and a load balancer's VIP naming a policy (Octavia's checks with the user's
// context, and Neutron's QosPolicyInUse while the VIP uses it).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { neutronError } from '../../../../test/helpers/neutron-fixture.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

let api: TestApi;
let alice: { token: string; projectId: string };
let bob: { token: string; projectId: string };

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, body?: unknown) {
  const response = await api.call(method, url, token, body);
  return {
    status: response.statusCode,
    text: response.body,
    body: response.body ? response.json() : undefined,
  };
}

/** A policy the admin makes in `projectId`. */
async function policyOf(projectId: string, extra: Record<string, unknown> = {}) {
  const created = await call('POST', '/v2.0/qos/policies', api.adminToken, {
    policy: { name: 'gold', project_id: projectId, ...extra },
  });
  assert.equal(created.status, 201, created.text);
  return created.body.policy as { id: string };
}

describe('QoS policies', () => {
  before(async () => {
    api = await startTestApi();
    alice = await api.userWithRoles(['member', 'load-balancer_member']);
    bob = await api.userWithRoles(['member', 'load-balancer_member']);
  });
  after(async () => api.close());

  it("creates a policy in Neutron's shape and shows it to its project only", async () => {
    const created = await call('POST', '/v2.0/qos/policies', api.adminToken, {
      policy: { name: 'silver', description: 'd', project_id: alice.projectId },
    });
    assert.equal(created.status, 201, created.text);
    const policy = created.body.policy;
    assert.deepEqual(Object.keys(policy).sort(), [
      'created_at',
      'description',
      'id',
      'is_default',
      'name',
      'project_id',
      'revision_number',
      'rules',
      'shared',
      'tags',
      'tenant_id',
      'updated_at',
    ]);
    assert.deepEqual(
      [
        policy.name,
        policy.description,
        policy.shared,
        policy.is_default,
        policy.rules,
        policy.revision_number,
      ],
      ['silver', 'd', false, false, [], 0],
    );
    assert.equal(policy.tenant_id, alice.projectId);
    assert.equal(
      (await call('GET', `/v2.0/qos/policies/${policy.id}`, alice.token)).body.policy.id,
      policy.id,
    );
    const hidden = await call('GET', `/v2.0/qos/policies/${policy.id}`, bob.token);
    assert.equal(hidden.status, 404);
    assert.deepEqual(neutronError(hidden.text), {
      type: 'QosPolicyNotFound',
      message: `QoS policy ${policy.id} could not be found.`,
      detail: '',
    });
    const listed = (await call('GET', '/v2.0/qos/policies?name=silver', bob.token)).body.policies;
    assert.deepEqual(listed, []);
    const renamed = await call('PUT', `/v2.0/qos/policies/${policy.id}`, api.adminToken, {
      policy: { name: 'silver-2', shared: true },
    });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.policy.revision_number, 1);
    assert.equal((await call('GET', `/v2.0/qos/policies/${policy.id}`, bob.token)).status, 200, 'shared now');
  });

  it('keeps creating, changing and deleting policies to an admin (403)', async () => {
    const denied = await call('POST', '/v2.0/qos/policies', alice.token, { policy: { name: 'mine' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(neutronError(denied.text), {
      type: 'PolicyNotAuthorized',
      message: "Policy doesn't allow create_policy to be performed.",
      detail: '',
    });
    const policy = await policyOf(alice.projectId);
    const update = await call('PUT', `/v2.0/qos/policies/${policy.id}`, alice.token, {
      policy: { name: 'x' },
    });
    assert.equal(update.status, 403);
    assert.equal(neutronError(update.text).message, "Policy doesn't allow update_policy to be performed.");
    const remove = await call('DELETE', `/v2.0/qos/policies/${policy.id}`, alice.token);
    assert.equal(remove.status, 403);
    assert.equal((await call('DELETE', `/v2.0/qos/policies/${policy.id}`, api.adminToken)).status, 204);
    assert.equal((await call('GET', `/v2.0/qos/policies/${policy.id}`, api.adminToken)).status, 404);
  });

  it('refuses bad attributes with 400 and a second default policy of a project with 409', async () => {
    const bad = await call('POST', '/v2.0/qos/policies', api.adminToken, { policy: { shared: 'maybe' } });
    assert.equal(bad.status, 400);
    assert.equal(
      neutronError(bad.text).message,
      "Invalid input for shared. Reason: 'maybe' cannot be converted to boolean.",
    );
    const rules = await call('POST', '/v2.0/qos/policies', api.adminToken, { policy: { rules: [] } });
    assert.equal(neutronError(rules.text).message, "Attribute 'rules' not allowed in POST");
    const project = (await api.userWithRoles(['member'])).projectId;
    await policyOf(project, { is_default: true });
    const second = await call('POST', '/v2.0/qos/policies', api.adminToken, {
      policy: { project_id: project, is_default: true },
    });
    assert.equal(second.status, 409);
    assert.deepEqual(neutronError(second.text), {
      type: 'QoSPolicyDefaultAlreadyExists',
      message: `A default QoS policy exists for project ${project}.`,
      detail: '',
    });
    const other = await policyOf(project);
    const promote = await call('PUT', `/v2.0/qos/policies/${other.id}`, api.adminToken, {
      policy: { is_default: true },
    });
    assert.equal(promote.status, 409);
  });

  it('lists no rule type, as Sluice enforces none, and serves no rule collection', async () => {
    const types = await call('GET', '/v2.0/qos/rule-types', alice.token);
    assert.equal(types.status, 200);
    assert.deepEqual(types.body, { rule_types: [] });
    const policy = await policyOf(alice.projectId);
    const rule = await call('POST', `/v2.0/qos/policies/${policy.id}/bandwidth_limit_rules`, api.adminToken, {
      bandwidth_limit_rule: { max_kbps: 1000 },
    });
    assert.equal(rule.status, 404);
  });

  it("lets a load balancer's VIP name a visible policy, refuses another project's, and holds the policy", async () => {
    const own = await policyOf(alice.projectId);
    const foreign = await policyOf(bob.projectId);
    const refused = await call('POST', '/v2/lbaas/loadbalancers', alice.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, vip_qos_policy_id: foreign.id },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.faultstring, `qos_policy ${foreign.id} not found.`);
    const created = await call('POST', '/v2/lbaas/loadbalancers', alice.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, vip_qos_policy_id: own.id },
    });
    assert.equal(created.status, 201, created.text);
    const lb = created.body.loadbalancer;
    assert.equal(lb.vip_qos_policy_id, own.id);
    const inUse = await call('DELETE', `/v2.0/qos/policies/${own.id}`, api.adminToken);
    assert.equal(inUse.status, 409);
    assert.deepEqual(neutronError(inUse.text), {
      type: 'QosPolicyInUse',
      message: `QoS Policy ${own.id} is used by port ${lb.vip_port_id}.`,
      detail: '',
    });

    await api.provisioner.idle();
    const switched = await call('PUT', `/v2/lbaas/loadbalancers/${lb.id}`, alice.token, {
      loadbalancer: { vip_qos_policy_id: foreign.id },
    });
    assert.equal(switched.status, 400);
    assert.equal(switched.body.faultstring, `qos_policy ${foreign.id} not found.`);
    const cleared = await call('PUT', `/v2/lbaas/loadbalancers/${lb.id}`, alice.token, {
      loadbalancer: { vip_qos_policy_id: null },
    });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.loadbalancer.vip_qos_policy_id, null);
    assert.equal((await call('DELETE', `/v2.0/qos/policies/${own.id}`, api.adminToken)).status, 204);
  });
});
