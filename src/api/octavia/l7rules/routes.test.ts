import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  created,
  fault,
  type LoadBalancerWire,
  newLoadBalancer,
} from '../../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { insertL7Rule } from '../../../store/repositories/l7-repository.ts';
import { deleteQuota, setQuota } from '../../../store/repositories/quota-repository.ts';

let api: TestApi;
let lb: LoadBalancerWire;
let listener: { id: string };
let policy: { id: string };
let port = 5000;

const rulesOf = (p: { id: string }) => `/v2/lbaas/l7policies/${p.id}/rules`;
const newPolicy = () =>
  created(api, '/v2/lbaas/l7policies', 'l7policy', { listener_id: listener.id, action: 'REJECT' });
const post = (fields: Record<string, unknown>, on = policy) =>
  api.call('POST', rulesOf(on), api.adminToken, { rule: fields });
const create = (fields: Record<string, unknown>, on = policy) => created(api, rulesOf(on), 'rule', fields);
async function put(on: { id: string }, id: string, fields: Record<string, unknown>) {
  const response = await api.call('PUT', `${rulesOf(on)}/${id}`, api.adminToken, { rule: fields });
  await api.provisioner.idle();
  return response;
}
const get = async (url: string, token = api.adminToken) => (await api.call('GET', url, token)).json();
const PATH_RULE = { type: 'PATH', compare_type: 'STARTS_WITH', value: '/api' };

describe('L7 rules API (reference §8.2)', () => {
  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
    listener = await created(api, '/v2/lbaas/listeners', 'listener', {
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      protocol_port: ++port,
    });
    policy = await newPolicy();
  });
  after(async () => api.close());

  it('creates a rule in the rule envelope, marking policy, listener and load balancer PENDING_UPDATE', async () => {
    await api.provisioner.stop();
    const response = await post({ ...PATH_RULE, invert: true });
    assert.equal(response.statusCode, 201);
    const rule = response.json().rule;
    assert.deepEqual(
      [rule.type, rule.compare_type, rule.key, rule.value, rule.invert, rule.admin_state_up],
      ['PATH', 'STARTS_WITH', null, '/api', true, true],
    );
    assert.deepEqual([rule.provisioning_status, rule.operating_status], ['PENDING_CREATE', 'OFFLINE']);
    assert.equal(rule.tenant_id, lb.project_id);
    assert.equal('name' in rule, false);
    const status = async (url: string, key: string) => (await get(url))[key].provisioning_status;
    assert.equal(await status(`/v2/lbaas/l7policies/${policy.id}`, 'l7policy'), 'PENDING_UPDATE');
    assert.equal(await status(`/v2/lbaas/listeners/${listener.id}`, 'listener'), 'PENDING_UPDATE');
    assert.equal(await status(`/v2/lbaas/loadbalancers/${lb.id}`, 'loadbalancer'), 'PENDING_UPDATE');
    api.provisioner.start();
    await api.provisioner.idle();
    const active = (await get(`${rulesOf(policy)}/${rule.id}`)).rule;
    assert.deepEqual([active.provisioning_status, active.operating_status], ['ACTIVE', 'ONLINE']);
    assert.equal(await status(`/v2/lbaas/l7policies/${policy.id}`, 'l7policy'), 'ACTIVE');
    const listed = await get(rulesOf(policy));
    assert.deepEqual(Object.keys(listed).sort(), ['rules', 'rules_links']);
    assert.ok(listed.rules.some((r: { id: string }) => r.id === rule.id));
    assert.ok(
      (await get(`/v2/lbaas/l7policies/${policy.id}`)).l7policy.rules.some(
        (r: { id: string }) => r.id === rule.id,
      ),
    );
  });

  it('refuses a rule change while its policy is not ACTIVE', async () => {
    const pending = await newPolicy();
    await api.provisioner.stop();
    await api.call('PUT', `/v2/lbaas/l7policies/${pending.id}`, api.adminToken, {
      l7policy: { name: 'busy' },
    });
    assert.deepEqual(fault(await post(PATH_RULE, pending)), {
      status: 409,
      faultstring: `L7Policy ${pending.id} is immutable and cannot be updated.`,
    });
    api.provisioner.start();
    await api.provisioner.idle();
  });

  it('refuses more than 50 rules on a policy', async () => {
    const full = await newPolicy();
    for (let i = 0; i < 50; i += 1) {
      await insertL7Rule(api.store.db, {
        id: randomUUID(),
        projectId: lb.project_id,
        loadBalancerId: lb.id,
        l7PolicyId: full.id,
        type: 'PATH',
        compareType: 'EQUAL_TO',
        key: null,
        value: `/${i}`,
        invert: false,
        adminStateUp: true,
        tags: [],
        provisioningStatus: 'ACTIVE',
        operatingStatus: 'ONLINE',
      });
    }
    assert.deepEqual(fault(await post(PATH_RULE, full)), {
      status: 409,
      faultstring: `Too many rules on L7 policy ${full.id}`,
    });
  });

  it('refuses a rule beyond the project quota', async () => {
    await setQuota(api.store.db, lb.project_id, { l7rule: 0 });
    try {
      assert.deepEqual(fault(await post(PATH_RULE)), {
        status: 403,
        faultstring: 'Quota has been met for resources: L7 Rule',
      });
    } finally {
      await deleteQuota(api.store.db, lb.project_id);
    }
  });

  it('answers 404 for a policy that does not exist, naming it L7Policy', async () => {
    const id = randomUUID();
    assert.deepEqual(fault(await post(PATH_RULE, { id })), {
      status: 404,
      faultstring: `L7Policy ${id} not found.`,
    });
    assert.equal((await api.call('GET', rulesOf({ id }), api.adminToken)).statusCode, 404);
  });

  it('answers 404 for a rule asked for under another policy', async () => {
    const rule = await create(PATH_RULE);
    const other = await newPolicy();
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const body = method === 'PUT' ? { rule: { value: '/x' } } : undefined;
      assert.deepEqual(fault(await api.call(method, `${rulesOf(other)}/${rule.id}`, api.adminToken, body)), {
        status: 404,
        faultstring: `L7 Rule ${rule.id} not found.`,
      });
    }
  });

  it("shows a rule asked for with the ids swapped, as python-octaviaclient's `l7rule create --wait` does", async () => {
    const rule = await create(PATH_RULE);
    const response = await api.call(
      'GET',
      `/v2/lbaas/l7policies/${rule.id}/rules/${policy.id}`,
      api.adminToken,
    );
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().rule.id, rule.id);
  });

  it('validates the stored rule merged with an update', async () => {
    const rule = await create(PATH_RULE);
    assert.deepEqual(fault(await put(policy, rule.id, { type: 'HEADER' })), {
      status: 400,
      faultstring: 'Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key',
    });
    const header = (await put(policy, rule.id, { type: 'HEADER', key: 'X-Env', invert: null })).json().rule;
    assert.deepEqual(
      [header.type, header.key, header.value, header.invert],
      ['HEADER', 'X-Env', '/api', false],
    );
    assert.equal(header.provisioning_status, 'PENDING_UPDATE');
  });

  it('deletes a rule through PENDING_DELETE', async () => {
    const rule = await create(PATH_RULE);
    await api.provisioner.stop();
    assert.equal((await api.call('DELETE', `${rulesOf(policy)}/${rule.id}`, api.adminToken)).statusCode, 204);
    assert.equal((await get(`${rulesOf(policy)}/${rule.id}`)).rule.provisioning_status, 'PENDING_DELETE');
    api.provisioner.start();
    await api.provisioner.idle();
    assert.equal((await api.call('GET', `${rulesOf(policy)}/${rule.id}`, api.adminToken)).statusCode, 404);
  });

  describe('answers 400 with the exact fault and creates nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        'an unknown attribute',
        { ...PATH_RULE, name: 'x' },
        'Unknown attribute for argument rule_.rule: name',
      ],
      [
        'a missing value',
        { type: 'PATH', compare_type: 'EQUAL_TO' },
        "Invalid input for field/attribute value. Value: 'None'. Mandatory field missing.",
      ],
      [
        'a value with a line break',
        { ...PATH_RULE, value: '/a\nb' },
        "Invalid input for field/attribute value. Value: '/a\nb'. Value should match the pattern ^[^\\r\\n]*$",
      ],
      [
        'a header rule without a key',
        { type: 'HEADER', compare_type: 'EQUAL_TO', value: 'v' },
        'Error parsing L7Rule: Invalid L7 Rule: L7 rule type requires a key',
      ],
      [
        'a header name with invalid characters',
        { type: 'HEADER', compare_type: 'EQUAL_TO', key: 'X Env', value: 'v' },
        'Error parsing L7Rule: Invalid characters in key',
      ],
      [
        'a regex that does not parse',
        { type: 'PATH', compare_type: 'REGEX', value: '^/(api' },
        'Error parsing L7Rule: Unable to parse regular expression: missing ), unterminated subpattern at position 2',
      ],
      [
        'a FILE_TYPE rule compared with STARTS_WITH',
        { type: 'FILE_TYPE', compare_type: 'STARTS_WITH', value: 'jpg' },
        'Error parsing L7Rule: Invalid L7 Rule: invalid comparison type for rule type',
      ],
      [
        'an SSL_CONN_HAS_CERT rule that is not true',
        { type: 'SSL_CONN_HAS_CERT', compare_type: 'EQUAL_TO', value: 'no' },
        'Error parsing L7Rule: Invalid L7 Rule: L7rule value no is not a boolean True string.',
      ],
    ];
    for (const [what, fields, message] of cases) {
      it(`rejects ${what}`, async () => {
        const before = (await get(rulesOf(policy))).rules.length;
        assert.deepEqual(fault(await post(fields)), { status: 400, faultstring: message });
        assert.equal((await get(rulesOf(policy))).rules.length, before);
      });
    }
  });

  describe('RBAC (reference §9.2)', () => {
    it("refuses another project's member and lets an observer only read", async () => {
      const owner = await api.userWithRoles(['load-balancer_member'], 'rule-owner');
      const observer = await api.userWithRoles(['load-balancer_observer'], 'rule-owner');
      const stranger = await api.userWithRoles(['load-balancer_member']);
      const ownLb = await newLoadBalancer(api, owner.token);
      const ownListener = await created(
        api,
        '/v2/lbaas/listeners',
        'listener',
        { loadbalancer_id: ownLb.id, protocol: 'HTTP', protocol_port: 80 },
        owner.token,
      );
      const ownPolicy = await created(
        api,
        '/v2/lbaas/l7policies',
        'l7policy',
        { listener_id: ownListener.id, action: 'REJECT' },
        owner.token,
      );
      const rule = await created(api, rulesOf(ownPolicy), 'rule', PATH_RULE, owner.token);
      for (const token of [stranger.token, observer.token]) {
        for (const [method, url, body] of [
          ['PUT', `${rulesOf(ownPolicy)}/${rule.id}`, { rule: { value: '/x' } }],
          ['DELETE', `${rulesOf(ownPolicy)}/${rule.id}`, undefined],
          ['POST', rulesOf(ownPolicy), { rule: PATH_RULE }],
        ] as const) {
          assert.equal((await api.call(method, url, token, body)).statusCode, 403, `${method} ${url}`);
        }
      }
      assert.equal((await api.call('GET', rulesOf(ownPolicy), stranger.token)).statusCode, 403);
      assert.equal(
        (await api.call('GET', `${rulesOf(ownPolicy)}/${rule.id}`, stranger.token)).statusCode,
        403,
      );
      assert.deepEqual(
        (await get(rulesOf(ownPolicy), observer.token)).rules.map((r: { id: string }) => r.id),
        [rule.id],
      );
    });
  });
});
