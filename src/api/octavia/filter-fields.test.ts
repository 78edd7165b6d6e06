import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { created, newLoadBalancer } from '../../../test/helpers/listener-fixtures.ts';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import type { FilterField, WireObject } from '../wire/listing.ts';
import { AMPHORA_FILTERS } from './amphorae/wire.ts';
import { AVAILABILITY_ZONE_PROFILE_FILTERS } from './availability-zone-profiles/wire.ts';
import { AVAILABILITY_ZONE_FILTERS } from './availability-zones/wire.ts';
import { FLAVOR_PROFILE_FILTERS } from './flavor-profiles/wire.ts';
import { FLAVOR_FILTERS } from './flavors/wire.ts';
import { HEALTH_MONITOR_FILTERS } from './health-monitors/wire.ts';
import { L7POLICY_FILTERS } from './l7policies/wire.ts';
import { L7RULE_FILTERS } from './l7rules/wire.ts';
import { LISTENER_FILTERS } from './listeners/wire.ts';
import { LOAD_BALANCER_FILTERS } from './load-balancers/wire.ts';
import { MEMBER_FILTERS } from './members/wire.ts';
import { POOL_FILTERS } from './pools/wire.ts';
import { QUOTA_FILTERS } from './quotas/wire.ts';

const V2 = '/v2/lbaas';
const INVALID = 'One or more arguments are either duplicate or invalid';
let api: TestApi;

type Graph = {
  lb: WireObject;
  listener: WireObject;
  pool: WireObject;
  member: WireObject;
  policy: WireObject;
};
const graphs: Graph[] = [];
let port = 7000;

/** A load balancer with one of each child, so every parent filter has a sibling to leave out. */
async function graph(): Promise<Graph> {
  const lb = await newLoadBalancer(api);
  const listener = await created(api, `${V2}/listeners`, 'listener', {
    loadbalancer_id: lb.id,
    protocol: 'HTTP',
    protocol_port: ++port,
  });
  const pool = await created(api, `${V2}/pools`, 'pool', {
    listener_id: listener.id,
    protocol: 'HTTP',
    lb_algorithm: 'ROUND_ROBIN',
  });
  const member = await created(api, `${V2}/pools/${pool.id}/members`, 'member', {
    address: '10.0.0.1',
    protocol_port: 80,
    backup: graphs.length === 0,
  });
  await created(api, `${V2}/healthmonitors`, 'healthmonitor', {
    pool_id: pool.id,
    type: 'HTTP',
    delay: 5,
    timeout: 3,
    max_retries: 2 + graphs.length,
  });
  const policy = await created(api, `${V2}/l7policies`, 'l7policy', {
    listener_id: listener.id,
    action: 'REJECT',
    admin_state_up: graphs.length === 0,
  });
  await created(api, `${V2}/l7policies/${policy.id}/rules`, 'rule', {
    type: 'PATH',
    compare_type: 'STARTS_WITH',
    value: `/g${graphs.length}`,
  });
  return { lb, listener, pool, member, policy };
}

async function list(path: string, key: string, query: string): Promise<WireObject[]> {
  const response = await api.call('GET', `${path}?${query}`, api.adminToken);
  assert.equal(response.statusCode, 200, `${path}?${query}: ${response.body}`);
  return response.json()[key];
}

type Collection = {
  name: string;
  path: () => string;
  key: string;
  filters: Readonly<Record<string, FilterField>>;
  /** the field naming an object in the list */
  idKey?: string;
};

const COLLECTIONS: Collection[] = [
  {
    name: 'load balancers',
    path: () => `${V2}/loadbalancers`,
    key: 'loadbalancers',
    filters: LOAD_BALANCER_FILTERS,
  },
  { name: 'listeners', path: () => `${V2}/listeners`, key: 'listeners', filters: LISTENER_FILTERS },
  { name: 'pools', path: () => `${V2}/pools`, key: 'pools', filters: POOL_FILTERS },
  {
    name: 'members',
    path: () => `${V2}/pools/${graphs[0].pool.id}/members`,
    key: 'members',
    filters: { ...MEMBER_FILTERS, pool_id: () => graphs[0].pool.id },
  },
  {
    name: 'health monitors',
    path: () => `${V2}/healthmonitors`,
    key: 'healthmonitors',
    filters: HEALTH_MONITOR_FILTERS,
  },
  { name: 'l7policies', path: () => `${V2}/l7policies`, key: 'l7policies', filters: L7POLICY_FILTERS },
  {
    name: 'l7rules',
    path: () => `${V2}/l7policies/${graphs[0].policy.id}/rules`,
    key: 'rules',
    filters: { ...L7RULE_FILTERS, l7policy_id: () => graphs[0].policy.id },
  },
  { name: 'amphorae', path: () => '/v2/octavia/amphorae', key: 'amphorae', filters: AMPHORA_FILTERS },
  { name: 'flavors', path: () => `${V2}/flavors`, key: 'flavors', filters: FLAVOR_FILTERS },
  {
    name: 'flavor profiles',
    path: () => `${V2}/flavorprofiles`,
    key: 'flavorprofiles',
    filters: FLAVOR_PROFILE_FILTERS,
  },
  {
    name: 'availability zones',
    path: () => `${V2}/availabilityzones`,
    key: 'availability_zones',
    filters: AVAILABILITY_ZONE_FILTERS,
    idKey: 'name',
  },
  {
    name: 'availability zone profiles',
    path: () => `${V2}/availabilityzoneprofiles`,
    key: 'availability_zone_profiles',
    filters: AVAILABILITY_ZONE_PROFILE_FILTERS,
  },
  { name: 'quotas', path: () => `${V2}/quotas`, key: 'quotas', filters: QUOTA_FILTERS, idKey: 'project_id' },
];

describe('list filters on every field of the model (Octavia pagination helper)', () => {
  before(async () => {
    api = await startTestApi();
    graphs.push(await graph());
    graphs.push(await graph());
    for (const n of [1, 2]) {
      const profile = await created(api, `${V2}/flavorprofiles`, 'flavorprofile', {
        name: `fp${n}`,
        provider_name: 'noop',
        flavor_data: '{}',
      });
      await created(api, `${V2}/flavors`, 'flavor', { name: `f${n}`, flavor_profile_id: profile.id });
      const azp = await created(api, `${V2}/availabilityzoneprofiles`, 'availability_zone_profile', {
        name: `azp${n}`,
        provider_name: 'noop',
        availability_zone_data: '{}',
      });
      await created(api, `${V2}/availabilityzones`, 'availability_zone', {
        name: `az${n}`,
        availability_zone_profile_id: azp.id,
      });
      const quota = await api.call('PUT', `${V2}/quotas/p-filter-${n}`, api.adminToken, {
        quota: { listener: n },
      });
      assert.equal(quota.statusCode, 202, quota.body);
    }
  });
  after(async () => api.close());

  for (const c of COLLECTIONS) {
    it(`${c.name}: every filter key finds each object by its own value, and other keys are a 400`, async () => {
      const idKey = c.idKey ?? 'id';
      const objects = await list(c.path(), c.key, '');
      assert.ok(objects.length > 0, `${c.name} has objects`);
      for (const object of objects) {
        for (const [key, field] of Object.entries(c.filters)) {
          const value = typeof field === 'string' ? object[field] : field(object);
          if (value === null || value === undefined) continue;
          const found = await list(c.path(), c.key, `${key}=${encodeURIComponent(String(value))}`);
          assert.ok(
            found.some((o) => o[idKey] === object[idKey]),
            `${c.name}?${key}=${value} finds ${object[idKey]}`,
          );
        }
      }
      for (const bad of ['tenant_id', 'no_such_field']) {
        const response = await api.call('GET', `${c.path()}?${bad}=x`, api.adminToken);
        assert.equal(response.statusCode, 400, `${c.name}?${bad}`);
        assert.equal(response.json().faultstring, INVALID);
      }
    });
  }

  it('listeners and pools filter on their load balancer under both spellings of its id', async () => {
    for (const [path, key] of [
      ['listeners', 'listeners'],
      ['pools', 'pools'],
    ] as const) {
      for (const name of ['load_balancer_id', 'loadbalancer_id']) {
        const found = await list(`${V2}/${path}`, key, `${name}=${graphs[1].lb.id}`);
        const want = path === 'listeners' ? graphs[1].listener.id : graphs[1].pool.id;
        assert.deepEqual(
          found.map((o) => o.id),
          [want],
        );
      }
    }
  });

  it('members filter on pool_id and rules on l7policy_id: the path parent matches, another matches nothing', async () => {
    const members = `${V2}/pools/${graphs[0].pool.id}/members`;
    assert.deepEqual(
      (await list(members, 'members', `pool_id=${graphs[0].pool.id}`)).map((m) => m.id),
      [graphs[0].member.id],
    );
    assert.deepEqual(await list(members, 'members', `pool_id=${graphs[1].pool.id}`), []);
    const rules = `${V2}/l7policies/${graphs[0].policy.id}/rules`;
    assert.equal((await list(rules, 'rules', `l7policy_id=${graphs[0].policy.id}`)).length, 1);
    assert.deepEqual(await list(rules, 'rules', `l7policy_id=${graphs[1].policy.id}`), []);
  });

  it('health monitors filter on pool_id and on the database names of their thresholds', async () => {
    const hms = await list(`${V2}/healthmonitors`, 'healthmonitors', `pool_id=${graphs[1].pool.id}`);
    assert.deepEqual(
      hms.map((h) => (h.pools as { id: string }[])[0].id),
      [graphs[1].pool.id],
    );
    const byRise = await list(`${V2}/healthmonitors`, 'healthmonitors', 'rise_threshold=3');
    assert.deepEqual(
      byRise.map((h) => h.id),
      hms.map((h) => h.id),
    );
  });

  it('booleans read as bool_from_string under the API and database names', async () => {
    const ids = async (query: string) =>
      (await list(`${V2}/l7policies`, 'l7policies', query)).map((p) => p.id);
    assert.deepEqual(await ids('admin_state_up=True'), [graphs[0].policy.id]);
    assert.deepEqual(await ids('enabled=1'), [graphs[0].policy.id]);
    assert.deepEqual(await ids('admin_state_up=nope'), [graphs[1].policy.id]);
    const backups = await list(`${V2}/pools/${graphs[0].pool.id}/members`, 'members', 'backup=yes');
    assert.deepEqual(
      backups.map((m) => m.id),
      [graphs[0].member.id],
    );
  });

  it('members filter on ip_address, the database name of address', async () => {
    const members = `${V2}/pools/${graphs[0].pool.id}/members`;
    assert.equal((await list(members, 'members', 'ip_address=10.0.0.1')).length, 1);
    assert.deepEqual(await list(members, 'members', 'ip_address=10.0.0.2'), []);
  });
});
