import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newLoadBalancer } from '../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import type { ObjectFields } from '../wire/field-types.ts';
import { AVAILABILITY_ZONE_POST } from './availability-zones/schema.ts';
import { FLAVOR_POST } from './flavors/schema.ts';
import { HEALTH_MONITOR_POST, HEALTH_MONITOR_SINGLE_CREATE } from './health-monitors/schema.ts';
import { L7POLICY_POST, L7POLICY_SINGLE_CREATE } from './l7policies/schema.ts';
import { L7RULE_POST, L7RULE_SINGLE_CREATE } from './l7rules/schema.ts';
import { LISTENER_POST, LISTENER_SINGLE_CREATE } from './listeners/schema.ts';
import { LOAD_BALANCER_POST } from './load-balancers/schema.ts';
import { MEMBER_POST, MEMBER_SINGLE_CREATE } from './members/schema.ts';
import { POOL_POST, POOL_SINGLE_CREATE } from './pools/schema.ts';

type Body = Record<string, unknown>;
type Reply = { statusCode: number; body: string; json(): Body };
let api: TestApi;
let lb: { id: string; project_id: string };
let port = 7000;

/**
 * `base` with every other optional field of `fields` sent as null. admin_state_up is left out: Octavia
 * coerces its null to false (asserted on its own below).
 */
function withNulls(fields: ObjectFields, base: Body): Body {
  const nulls = Object.entries(fields)
    .filter(([name, spec]) => !spec.mandatory && !(name in base) && name !== 'admin_state_up')
    .map(([name]) => [name, null]);
  assert.ok(nulls.length > 0);
  return { ...base, ...Object.fromEntries(nulls) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// An l7policy without a position is appended, so the second create's position is one more.
const VARYING = new Set(['created_at', 'updated_at', 'vip_address', 'protocol_port', 'name', 'position']);
/** The wire body without what differs between two creates of one kind: ids, times, ports, names, VIPs. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (typeof value === 'string' && UUID.test(value)) return '<uuid>';
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !VARYING.has(key))
      .map(([key, item]) => [key, comparable(item)]),
  );
}

async function createOne(url: string, envelope: string, body: Body): Promise<Body> {
  const response: Reply = await api.call('POST', url, api.adminToken, { [envelope]: body });
  assert.equal(response.statusCode, 201, response.body);
  await api.provisioner.idle();
  return response.json()[envelope] as Body;
}

/** Creates once without the optional fields and once with them null; the two wire bodies must agree. */
async function assertNullsAbsent(url: string, envelope: string, fields: ObjectFields, base: () => Body) {
  const plain = await createOne(url, envelope, base());
  const nulled = await createOne(url, envelope, withNulls(fields, base()));
  assert.deepEqual(comparable(nulled), comparable(plain));
  return nulled;
}

const newPool = async () =>
  (
    await createOne('/v2/lbaas/pools', 'pool', {
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
    })
  ).id as string;
const newListener = async () =>
  (
    await createOne('/v2/lbaas/listeners', 'listener', {
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      protocol_port: ++port,
    })
  ).id as string;

describe('an explicit null on create is the absent field, as in Octavia (Horizon sends them)', () => {
  before(async () => {
    api = await startTestApi();
    lb = await newLoadBalancer(api);
  });
  after(async () => api.close());

  it('load balancer: a null vip_address and every other null optional field take their defaults', async () => {
    await assertNullsAbsent('/v2/lbaas/loadbalancers', 'loadbalancer', LOAD_BALANCER_POST, () => ({
      vip_subnet_id: api.publicSubnetId,
    }));
  });

  it('fully populated load balancer: nulls in listeners, pools, members, monitors, policies and rules', async () => {
    const graph = (nulls: boolean): Body => {
      const at = (fields: ObjectFields, base: Body) => (nulls ? withNulls(fields, base) : base);
      return {
        vip_subnet_id: api.publicSubnetId,
        listeners: [
          at(LISTENER_SINGLE_CREATE, {
            protocol: 'HTTP',
            protocol_port: 80,
            default_pool: at(POOL_SINGLE_CREATE, {
              name: 'web',
              protocol: 'HTTP',
              lb_algorithm: 'ROUND_ROBIN',
              healthmonitor: at(HEALTH_MONITOR_SINGLE_CREATE, {
                type: 'HTTP',
                delay: 5,
                timeout: 3,
                max_retries: 3,
              }),
              members: [at(MEMBER_SINGLE_CREATE, { address: '127.0.0.2', protocol_port: 8080 })],
            }),
            l7policies: [
              at(L7POLICY_SINGLE_CREATE, {
                action: 'REJECT',
                rules: [at(L7RULE_SINGLE_CREATE, { type: 'PATH', compare_type: 'STARTS_WITH', value: '/a' })],
              }),
            ],
          }),
        ],
      };
    };
    const plain = await createOne('/v2/lbaas/loadbalancers', 'loadbalancer', graph(false));
    const nulled = await createOne('/v2/lbaas/loadbalancers', 'loadbalancer', graph(true));
    assert.deepEqual(comparable(nulled), comparable(plain));
  });

  it('listener', async () => {
    await assertNullsAbsent('/v2/lbaas/listeners', 'listener', LISTENER_POST, () => ({
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      protocol_port: ++port,
    }));
  });

  it('pool', async () => {
    await assertNullsAbsent('/v2/lbaas/pools', 'pool', POOL_POST, () => ({
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
    }));
  });

  it('member, and the members of a batch update', async () => {
    const pool = await newPool();
    const members = `/v2/lbaas/pools/${pool}/members`;
    await assertNullsAbsent(members, 'member', MEMBER_POST, () => ({
      address: '127.0.0.2',
      protocol_port: ++port,
    }));
    const batchPool = await newPool();
    const batch = `/v2/lbaas/pools/${batchPool}/members`;
    const base = { address: '127.0.0.3', protocol_port: 9000 };
    const response = await api.call('PUT', batch, api.adminToken, {
      members: [withNulls(MEMBER_POST, base)],
    });
    assert.equal(response.statusCode, 202, response.body);
    await api.provisioner.idle();
    const [fromBatch] = (await api.call('GET', batch, api.adminToken)).json().members as Body[];
    const { id } = await createOne(members, 'member', { address: '127.0.0.3', protocol_port: 9000 });
    const single = (await api.call('GET', `${members}/${id}`, api.adminToken)).json().member as Body;
    assert.deepEqual(comparable({ ...fromBatch, pool_id: null }), comparable({ ...single, pool_id: null }));
  });

  it('health monitor', async () => {
    const pools = [await newPool(), await newPool()];
    await assertNullsAbsent('/v2/lbaas/healthmonitors', 'healthmonitor', HEALTH_MONITOR_POST, () => ({
      pool_id: pools.shift(),
      type: 'HTTP',
      delay: 5,
      timeout: 3,
      max_retries: 3,
    }));
  });

  it('l7policy and l7rule', async () => {
    const listener = await newListener();
    const policy = await assertNullsAbsent('/v2/lbaas/l7policies', 'l7policy', L7POLICY_POST, () => ({
      listener_id: listener,
      action: 'REJECT',
    }));
    await assertNullsAbsent(`/v2/lbaas/l7policies/${policy.id}/rules`, 'rule', L7RULE_POST, () => ({
      type: 'PATH',
      compare_type: 'STARTS_WITH',
      value: '/a',
    }));
  });

  it('flavor and availability zone', async () => {
    const profile = await createOne('/v2/lbaas/flavorprofiles', 'flavorprofile', {
      name: 'p',
      provider_name: 'noop',
      flavor_data: '{}',
    });
    let n = 0;
    await assertNullsAbsent('/v2/lbaas/flavors', 'flavor', FLAVOR_POST, () => ({
      name: `f${++n}`,
      flavor_profile_id: profile.id,
    }));
    const zoneProfile = await createOne('/v2/lbaas/availabilityzoneprofiles', 'availability_zone_profile', {
      name: 'z',
      provider_name: 'noop',
      availability_zone_data: '{}',
    });
    await assertNullsAbsent(
      '/v2/lbaas/availabilityzones',
      'availability_zone',
      AVAILABILITY_ZONE_POST,
      () => ({ name: `az${++n}`, availability_zone_profile_id: zoneProfile.id }),
    );
  });

  it('keeps the faults of mandatory fields sent as null', async () => {
    const response: Reply = await api.call('POST', '/v2/lbaas/healthmonitors', api.adminToken, {
      healthmonitor: { pool_id: await newPool(), type: 'HTTP', delay: null, timeout: 3, max_retries: 3 },
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().faultstring, 'None is not a valid option for delay');
  });

  it('coerces a null admin_state_up to false, as Octavia does, on create', async () => {
    const pool = await createOne('/v2/lbaas/pools', 'pool', {
      loadbalancer_id: lb.id,
      protocol: 'HTTP',
      lb_algorithm: 'ROUND_ROBIN',
      admin_state_up: null,
    });
    assert.equal(pool.admin_state_up, false);
  });
});
