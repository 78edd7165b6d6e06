// The list page read in SQL answers exactly as the in-memory listing: each collection's list route runs on
// two apps over the same store, one as declared and one with its `sql` removed, and every query (filters,
// multi-key sort, markers forward and back, limit, fields, tags, bad marker, bad sort) must answer the same
// bytes; and the number of queries of one page does not grow with the number of rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { authContext, buildFakeAuthApp } from '../../../test/helpers/fake-auth-app.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Db, Store } from '../../store/database.ts';
import { insertLoadBalancer } from '../../store/repositories/load-balancer-repository.ts';
import { healthMonitorList } from './health-monitors/routes.ts';
import { l7PolicyList } from './l7policies/routes.ts';
import { l7RuleList } from './l7rules/routes.ts';
import { type ListRoute, registerListRoute } from './list-route.ts';
import { listenerList } from './listeners/routes.ts';
import { registerLoadBalancerActionRoutes } from './load-balancers/actions-routes.ts';
import { loadBalancerList } from './load-balancers/routes.ts';
import { memberList } from './members/routes.ts';
import { poolList } from './pools/routes.ts';
import { octaviaRbac } from './rbac.ts';

const TOKENS = {
  admin: authContext({ userId: 'root', projectId: 'p0', roles: ['admin'] }),
  member: authContext({ userId: 'u1', projectId: 'p1', roles: ['load-balancer_member'] }),
};

/** Counts the statements run through a Kysely instance and the rows they return (a plugin sees both). */
function countingDb(db: Db): { db: Db; count(): { queries: number; rows: number } } {
  const seen = { queries: 0, rows: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      seen.queries += 1;
      return args.node;
    },
    transformResult: async (args) => {
      seen.rows += args.result.rows.length;
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), count: () => ({ ...seen }) };
}

/** Two apps on one store: the route as declared (SQL pages) and the same route listed in memory only. */
async function bothPaths(store: Store, route: (db: Db) => ListRoute) {
  let memoryReads = 0;
  const app = (sql: boolean) =>
    buildFakeAuthApp({
      store,
      tokens: TOKENS,
      register: async (fastify, context) => {
        const declared = route(store.db);
        const counted = {
          ...declared,
          rows: async (scope: never) => {
            memoryReads += 1;
            return (declared.rows as (scope: never) => ReturnType<typeof declared.rows>)(scope);
          },
        } as ListRoute;
        registerListRoute(
          fastify,
          octaviaRbac(context.config),
          sql ? counted : ({ ...declared, sql: undefined } as ListRoute),
        );
      },
    });
  return { sql: await app(true), memory: await app(false), memoryReads: () => memoryReads };
}

type Listed = Record<string, { id: string; href: string; rel: string }[]>;

const NAMES = ['alpha', 'Beta', 'beta', null, '', 'gamma', 'alpha'];
const TAGS = [[], ['a'], ['a', 'b'], ['b'], ['c'], ['a', 'b', 'c']];

/** Load balancers with repeated and null names, mixed states, tags, aliases and created_at within a second. */
async function seedLoadBalancers(
  db: Db,
  count: number,
  project = (i: number): string => (i % 4 === 3 ? 'p2' : 'p1'),
) {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    // ids not in creation order, so the id tie-break is seen
    const id = `lb-${((i * 7919) % 1000).toString().padStart(4, '0')}-${i}`;
    ids.push(id);
    await insertLoadBalancer(db, {
      id,
      projectId: project(i),
      name: NAMES[i % NAMES.length],
      description: i % 3 === 0 ? null : `d${i % 2}`,
      adminStateUp: i % 3 !== 1,
      provisioningStatus: i === 5 ? 'DELETED' : i % 5 === 0 ? 'ERROR' : 'ACTIVE',
      operatingStatus: 'ONLINE',
      provider: 'noop',
      providerAlias: i % 4 === 1 ? 'amphora' : null,
      flavorId: null,
      availabilityZone: i % 2 === 0 ? 'az1' : null,
      topology: 'SINGLE',
      vip: {
        address: `127.77.0.${i % 6}`,
        portId: `port-${i}`,
        subnetId: 'subnet',
        networkId: 'net',
        qosPolicyId: null,
        additional: [],
      },
      tags: TAGS[i % TAGS.length],
    });
    // A fraction of a second the wire does not show: rows within one second sort by id there.
    const created = `2026-01-01T00:00:0${i % 4}.${(999 - i).toString().padStart(3, '0')}Z`;
    await db.updateTable('load_balancers').set({ created_at: created }).where('id', '=', id).execute();
  }
  if (count > 2)
    await db.updateTable('load_balancers').set({ vip_address: null }).where('id', '=', ids[2]).execute();
  return ids;
}

/** The columns every child row shares, varied as the load balancers' are. */
function childColumns(i: number, id: string, loadBalancerId: string) {
  return {
    id,
    project_id: i % 4 === 3 ? 'p2' : 'p1',
    load_balancer_id: loadBalancerId,
    name: NAMES[i % NAMES.length],
    admin_state_up: i % 3 !== 1 ? 1 : 0,
    provisioning_status: i % 5 === 0 ? 'ERROR' : 'ACTIVE',
    operating_status: i % 2 === 0 ? 'ONLINE' : 'OFFLINE',
    tags: JSON.stringify(TAGS[i % TAGS.length]),
    created_at: `2026-01-01T00:00:0${i % 4}.${(999 - i).toString().padStart(3, '0')}Z`,
    updated_at: i % 3 === 0 ? null : '2026-01-02T00:00:00.000Z',
  } as const;
}

const childId = (prefix: string, i: number) =>
  `${prefix}-${((i * 7919) % 1000).toString().padStart(4, '0')}-${i}`;

/** A load balancer with two pools; `count` members in the first, three in the second. */
async function seedMembers(db: Db, count: number) {
  const [lb] = await seedLoadBalancers(db, 1, () => 'p1');
  for (const pool of ['pool-1', 'pool-2']) {
    await db
      .insertInto('pools')
      .values({ ...childColumns(0, pool, lb), protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', tls_enabled: 0 })
      .execute();
  }
  const ids: string[] = [];
  for (let i = 0; i < count + 3; i += 1) {
    const id = childId('member', i);
    if (i < count) ids.push(id);
    await db
      .insertInto('members')
      .values({
        ...childColumns(i, id, lb),
        pool_id: i < count ? 'pool-1' : 'pool-2',
        address: `127.0.0.${i % 5}`,
        // unique with the address (i mod 15 and i / 15); numbers of several digits, so text order differs
        protocol_port: 80 + (i % 3) * 5 + Math.floor(i / 15) * 100,
        subnet_id: i % 2 === 0 ? null : 'subnet',
        weight: i % 4,
        backup: i % 2 === 0 ? 0 : 1,
        monitor_address: i % 3 === 0 ? null : '127.0.0.9',
        monitor_port: i % 3 === 0 ? null : 8080,
      })
      .execute();
  }
  return { ids, path: '/pools/pool-1/members' };
}

/** `count` pools of one load balancer, each with a health monitor. */
async function seedHealthMonitors(db: Db, count: number) {
  const [lb] = await seedLoadBalancers(db, 1, () => 'p1');
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const pool = `pool-${i}`;
    await db
      .insertInto('pools')
      .values({ ...childColumns(i, pool, lb), protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN', tls_enabled: 0 })
      .execute();
    const id = childId('hm', i);
    ids.push(id);
    await db
      .insertInto('health_monitors')
      .values({
        ...childColumns(i, id, lb),
        pool_id: pool,
        type: i % 2 === 0 ? 'HTTP' : 'TCP',
        delay: 1 + (i % 4) * 5,
        timeout: 1 + (i % 3),
        max_retries: 1 + (i % 5),
        max_retries_down: 1 + (i % 2),
        http_method: i % 2 === 0 ? 'GET' : null,
        url_path: i % 2 === 0 ? '/' : null,
        expected_codes: i % 2 === 0 ? '200' : null,
        http_version: i % 2 === 0 ? 1.1 : null,
        domain_name: null,
      })
      .execute();
  }
  return { ids, path: '/healthmonitors' };
}

const LISTENER_DEFAULTS = { connection_limit: -1, sni_container_refs: '[]', client_authentication: 'NONE' };

/**
 * Two load balancers with `count` pools and as many listeners; some pools with members, a monitor, a
 * listener's default pool or an L7 redirect to them, some listeners with L7 policies.
 */
async function seedPoolsAndListeners(db: Db, count: number) {
  // each object in its load balancer's project, as the API makes them
  const lbs = await seedLoadBalancers(db, 2, (i) => `p${i + 1}`);
  const pools: string[] = [];
  const listeners: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const lb = lbs[i % 2];
    const owned = (j: number, id: string) => ({ ...childColumns(j, id, lb), project_id: `p${(i % 2) + 1}` });
    const pool = childId('pool', i);
    pools.push(pool);
    await db
      .insertInto('pools')
      .values({
        ...owned(i, pool),
        description: i % 3 === 0 ? null : `d${i % 2}`,
        protocol: i % 2 === 0 ? 'HTTP' : 'TCP',
        lb_algorithm: ['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'][i % 3],
        tls_enabled: i % 2 === 0 ? 0 : 1,
        tls_container_ref: i % 2 === 0 ? null : 'ref-tls',
        tls_ciphers: i % 3 === 0 ? null : 'ECDHE',
      })
      .execute();
    for (let m = 0; i % 3 === 0 && m < 2; m += 1) {
      await db
        .insertInto('members')
        .values({
          ...owned(m, `${pool}-m${m}`),
          pool_id: pool,
          address: '127.0.0.1',
          protocol_port: 80 + m,
          weight: 1,
          backup: 0,
        })
        .execute();
    }
    if (i % 4 === 0) {
      await db
        .insertInto('health_monitors')
        .values({
          ...owned(i, `${pool}-hm`),
          pool_id: pool,
          type: 'TCP',
          delay: 5,
          timeout: 5,
          max_retries: 3,
          max_retries_down: 3,
        })
        .execute();
    }
    const listener = childId('listener', i);
    listeners.push(listener);
    await db
      .insertInto('listeners')
      .values({
        ...owned(i, listener),
        ...LISTENER_DEFAULTS,
        description: i % 4 === 0 ? null : 'words',
        protocol: i % 2 === 0 ? 'HTTP' : 'TCP',
        protocol_port: 1000 + i,
        connection_limit: i % 3 === 0 ? -1 : 100 * (i % 3),
        default_pool_id: i % 5 === 0 ? pool : null,
        client_authentication: i % 2 === 0 ? 'NONE' : 'OPTIONAL',
        tls_ciphers: i % 3 === 1 ? 'ECDHE' : null,
      })
      .execute();
    if (i % 4 === 1) {
      // redirects to earlier pools of the same load balancer
      for (const position of [1, 2].filter((p) => i >= 2 * p)) {
        await db
          .insertInto('l7policies')
          .values({
            ...owned(i, `${listener}-p${position}`),
            listener_id: listener,
            action: 'REDIRECT_TO_POOL',
            redirect_pool_id: pools[i - 2 * position],
            position,
          })
          .execute();
      }
    }
  }
  return { pools, listeners };
}

/**
 * `count` L7 policies over listeners of one load balancer, eight per listener (a page reads its listeners'
 * policies to rank them), every third with a rule.
 */
async function seedL7Policies(db: Db, count: number) {
  const { listeners } = await seedPoolsAndListeners(db, Math.max(8, Math.ceil(count / 4)));
  const mine = listeners.filter((_, i) => i % 2 === 0);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = childId('policy', i);
    ids.push(id);
    const action = ['REDIRECT_TO_POOL', 'REJECT', 'REDIRECT_TO_URL'][i % 3];
    await db
      .insertInto('l7policies')
      .values({
        ...childColumns(i, id, 'lb-0000-0'),
        project_id: 'p1',
        description: i % 2 === 0 ? null : 'why',
        listener_id: mine[i % mine.length],
        action,
        redirect_pool_id: action === 'REDIRECT_TO_POOL' ? 'pool-0000-0' : null,
        redirect_url: action === 'REDIRECT_TO_URL' ? 'http://127.0.0.1/' : null,
        redirect_http_code: action === 'REDIRECT_TO_URL' ? 301 + (i % 2) : null,
        position: 1 + (i % 5),
      })
      .execute();
    if (i % 3 === 0)
      await db
        .insertInto('l7rules')
        .values(l7Rule(i, `${id}-r`, id))
        .execute();
  }
  return { ids, path: '/l7policies' };
}

function l7Rule(i: number, id: string, policy: string) {
  return {
    ...childColumns(i, id, 'lb-0000-0'),
    project_id: 'p1',
    l7policy_id: policy,
    type: ['PATH', 'HEADER', 'HOST_NAME'][i % 3],
    compare_type: i % 2 === 0 ? 'STARTS_WITH' : 'EQUAL_TO',
    key: i % 3 === 1 ? 'X-Key' : null,
    value: `/v${i % 4}`,
    invert: i % 4 === 0 ? 1 : 0,
  } as const;
}

/** `count` rules of one policy, and three of another. */
async function seedL7Rules(db: Db, count: number) {
  await seedL7Policies(db, 2);
  const ids: string[] = [];
  for (let i = 0; i < count + 3; i += 1) {
    const id = childId('rule', i);
    if (i < count) ids.push(id);
    const policy = i < count ? 'policy-0000-0' : 'policy-0919-1';
    await db
      .insertInto('l7rules')
      .values(l7Rule(i, id, policy))
      .execute();
  }
  return { ids, path: '/l7policies/policy-0000-0/rules' };
}

/** Queries every collection answers; `{m}` is replaced by several markers. */
const COMMON_QUERIES = [
  '',
  '?limit=5',
  '?limit=5&marker={m}',
  '?limit=5&marker={m}&page_reverse=True',
  '?limit=3&page_reverse=true',
  '?marker={m}&page_reverse=True',
  '?limit=0&marker={m}',
  '?limit=infinite',
  '?sort=name:desc,id&limit=4&marker={m}',
  '?sort=name&limit=4&marker={m}&page_reverse=True',
  '?sort_key=admin_state_up,name&sort_dir=desc,asc&limit=6&marker={m}',
  '?sort_key=created_at&sort_dir=desc&limit=4&marker={m}',
  '?sort=tenant_id:desc,provisioning_status,operating_status:desc',
  '?name=alpha',
  '?name=',
  '?admin_state_up=false',
  '?enabled=yes',
  '?provisioning_status=ACTIVE&provisioning_status=ERROR&limit=3&marker={m}',
  '?created_at=2026-01-01T00:00:01',
  '?id={m}',
  '?tags=a,b',
  '?tags=a&tags=c',
  '?tags-any=c,b&limit=2&marker={m}',
  '?not-tags=a&not-tags=b',
  '?not-tags-any=c',
  '?fields=id&fields=name&limit=3&marker={m}',
  '?fields=id,name',
  '?marker=nope',
  '?name=alpha&marker={m}',
  '?sort=bogus',
  '?sort=name:up',
  '?sort=a:b:c',
  '?limit=x',
  '?bogus=1',
  '?tenant_id=p1',
];

type Case = Readonly<{
  name: string;
  collection: string;
  route: (db: Db) => ListRoute;
  seed: (db: Db, count: number) => Promise<{ ids: string[]; path: string }>;
  /** queries beyond the common ones */
  queries: readonly string[];
  /** queries whose page stays in memory: a key without a column, or a sort on a nullable column */
  inMemory: readonly string[];
  /** a sort on a key that repeats (rules have no name) */
  sort?: string;
}>;

const CASES: readonly Case[] = [
  {
    name: 'load balancers',
    collection: 'loadbalancers',
    route: loadBalancerList,
    seed: async (db, count) => ({ ids: await seedLoadBalancers(db, count), path: '/loadbalancers' }),
    queries: [
      '?sort=vip_address,provider:desc,description&limit=7&marker={m}',
      '?description=',
      '?provider=amphora',
      '?provider=noop',
      '?vip_address=',
      '?vip_address=127.77.0.1',
      '?project_id=p2&limit=2&marker={m}',
    ],
    inMemory: ['?sort=updated_at', '?sort=flavor_id:desc&limit=2', '?sort=availability_zone'],
  },
  {
    name: 'members',
    collection: 'members',
    route: (db) => memberList(db) as unknown as ListRoute,
    seed: seedMembers,
    queries: [
      '?sort=protocol_port:desc,weight,backup&limit=4&marker={m}',
      '?sort=address,protocol_port&limit=5&marker={m}&page_reverse=true',
      '?protocol_port=85',
      '?protocol_port=085',
      '?weight=0&weight=2',
      '?backup=true',
      '?address=127.0.0.1',
      '?ip_address=127.0.0.2',
      '?subnet_id=subnet',
      '?monitor_port=8080&limit=2&marker={m}',
      '?pool_id=pool-1',
      '?pool_id=pool-2',
    ],
    inMemory: ['?sort=subnet_id', '?vnic_type=normal', '?sort=updated_at:desc'],
  },
  {
    name: 'health monitors',
    collection: 'healthmonitors',
    route: healthMonitorList,
    seed: seedHealthMonitors,
    queries: [
      '?sort=delay:desc,type&limit=4&marker={m}',
      '?sort=max_retries,timeout:desc&limit=5&marker={m}&page_reverse=true',
      '?type=HTTP',
      '?delay=16',
      '?rise_threshold=2&fall_threshold=1',
      '?max_retries_down=2',
      '?http_method=GET',
      '?url_path=/',
      '?expected_codes=200',
      '?pool_id=pool-3',
      '?project_id=p2',
    ],
    inMemory: ['?sort=http_method', '?http_version=1.1', '?sort=url_path:desc&limit=2'],
  },
  {
    name: 'pools',
    collection: 'pools',
    route: poolList,
    seed: async (db, count) => ({ ids: (await seedPoolsAndListeners(db, count)).pools, path: '/pools' }),
    queries: [
      '?sort=lb_algorithm:desc,protocol,description&limit=4&marker={m}',
      '?sort=tls_enabled,lb_algorithm&limit=5&marker={m}&page_reverse=true',
      '?description=',
      '?protocol=TCP',
      '?lb_algorithm=SOURCE_IP&lb_algorithm=ROUND_ROBIN',
      '?tls_enabled=1',
      '?tls_certificate_id=ref-tls',
      '?tls_ciphers=ECDHE',
      '?project_id=p2',
      '?load_balancer_id=lb-0919-1',
    ],
    inMemory: ['?sort=tls_ciphers', '?healthmonitor_id=x', '?sort=updated_at'],
  },
  {
    name: 'listeners',
    collection: 'listeners',
    route: listenerList,
    seed: async (db, count) => ({
      ids: (await seedPoolsAndListeners(db, count)).listeners,
      path: '/listeners',
    }),
    queries: [
      '?sort=protocol_port:desc&limit=4&marker={m}',
      '?sort=connection_limit,client_authentication:desc,description&limit=5&marker={m}&page_reverse=true',
      '?description=',
      '?protocol=HTTP',
      '?protocol_port=1003',
      '?connection_limit=-1',
      '?client_authentication=OPTIONAL',
      '?tls_ciphers=ECDHE',
      '?project_id=p2',
      '?loadbalancer_id=lb-0000-0&limit=3&marker={m}',
    ],
    inMemory: ['?sort=default_pool_id', '?timeout_client_data=50000', '?hsts_preload=false'],
  },
  {
    name: 'L7 policies',
    collection: 'l7policies',
    route: l7PolicyList,
    seed: seedL7Policies,
    queries: [
      '?sort=action:desc,listener_id&limit=4&marker={m}',
      '?description=',
      '?action=REJECT',
      '?listener_id=listener-0000-0',
      '?redirect_pool_id=pool-0000-0',
      '?redirect_http_code=302',
      '?redirect_url=http://127.0.0.1/',
    ],
    inMemory: ['?sort=position', '?position=1', '?sort=redirect_url:desc'],
  },
  {
    name: 'L7 rules',
    collection: 'rules',
    route: (db) => l7RuleList(db) as unknown as ListRoute,
    seed: seedL7Rules,
    queries: [
      '?sort=type:desc,compare_type,invert&limit=4&marker={m}',
      '?sort=value&limit=5&marker={m}&page_reverse=true',
      '?type=HEADER',
      '?compare_type=EQUAL_TO',
      '?key=X-Key',
      '?value=/v1',
      '?invert=true',
      '?l7policy_id=policy-0000-0',
      '?l7policy_id=policy-0919-1',
    ],
    inMemory: ['?sort=key', '?sort=updated_at:desc&limit=3'],
    sort: 'type:desc',
  },
];

for (const dialect of storeDialects()) {
  for (const c of CASES) {
    describe(`${dialect.name}: the ${c.name}' list in SQL`, () => {
      let store: Store;
      let paths: Awaited<ReturnType<typeof bothPaths>>;
      let seeded: { ids: string[]; path: string };

      before(async () => {
        store = await dialect.open();
        seeded = await store.db.transaction().execute((trx) => c.seed(trx, 24));
        paths = await bothPaths(store, c.route);
      });
      after(async () => {
        await paths.sql.app.close();
        await paths.memory.app.close();
        await store.close();
      });

      it('answers every query byte for byte as the in-memory listing, without reading every row', async () => {
        const { ids } = seeded;
        const markers = [ids[0], ids[1], ids[7], ids[12], ids[23], ids[3], ids[5]];
        let compared = 0;
        for (const template of [...COMMON_QUERIES, ...c.queries]) {
          const queries = template.includes('{m}')
            ? markers.map((m) => template.replaceAll('{m}', m))
            : [template];
          for (const query of queries) {
            for (const token of ['admin', 'member'] as const) {
              const url = `${seeded.path}${query}`;
              const sql = await paths.sql.call('GET', url, token);
              const memory = await paths.memory.call('GET', url, token);
              assert.equal(sql.statusCode, memory.statusCode, `${token} ${url}`);
              assert.equal(sql.body, memory.body, `${token} ${url}`);
              compared += 1;
            }
          }
        }
        assert.ok(compared > 200, `compared ${compared} answers`);
        assert.equal(paths.memoryReads(), 0);
      });

      it('falls back to the in-memory listing for a key without a column, with the same answer', async () => {
        for (const query of c.inMemory) {
          const url = `${seeded.path}${query}`;
          const sql = await paths.sql.call('GET', url, 'admin');
          const memory = await paths.memory.call('GET', url, 'admin');
          assert.equal(sql.statusCode, memory.statusCode, url);
          assert.equal(sql.body, memory.body, url);
        }
        assert.equal(paths.memoryReads(), c.inMemory.length);
      });

      it('pages the whole list with next links, each row once, in the in-memory order', async () => {
        const seen: string[] = [];
        const sort = `sort=${c.sort ?? 'name:desc'},admin_state_up`;
        let url: string | undefined = `${seeded.path}?limit=4&${sort}`;
        for (let pages = 0; url !== undefined && pages < 20; pages += 1) {
          const body: Listed = (await paths.sql.call('GET', url, 'admin')).json();
          seen.push(...body[c.collection].map((row) => row.id));
          const next = body[`${c.collection}_links`].find((l) => l.rel === 'next');
          url = next && `${seeded.path}${new URL(next.href).search}`;
        }
        const all: Listed = (
          await paths.memory.call('GET', `${seeded.path}?limit=infinite&${sort}`, 'admin')
        ).json();
        assert.deepEqual(
          seen,
          all[c.collection].map((row) => row.id),
        );
        assert.ok(seen.length >= 20);
      });
    });

    describe(`${dialect.name}: the queries of one page of ${c.name}`, () => {
      for (const query of [
        '?limit=5',
        `?limit=5&sort=${c.sort ?? 'name:desc'}&tags-any=a&admin_state_up=true`,
      ]) {
        it(`and the rows they read do not grow with the table (${query})`, async () => {
          const counts: { queries: number; rows: number }[] = [];
          for (const rows of [40, 1000]) {
            const store = await dialect.open();
            try {
              const { path } = await store.db.transaction().execute((trx) => c.seed(trx, rows));
              const counting = countingDb(store.db);
              const api = await buildFakeAuthApp({
                store,
                tokens: TOKENS,
                register: async (fastify, context) =>
                  registerListRoute(fastify, octaviaRbac(context.config), c.route(counting.db)),
              });
              // the second page, from the first page's first row: a marker to read, and rows after it
              const first = (await api.call('GET', `${path}${query}`, 'member')).json()[c.collection];
              const before = counting.count();
              const answer = await api.call('GET', `${path}${query}&marker=${first[0].id}`, 'member');
              assert.equal(answer.statusCode, 200);
              assert.ok(answer.json()[c.collection].length > 0);
              const after = counting.count();
              counts.push({ queries: after.queries - before.queries, rows: after.rows - before.rows });
              await api.app.close();
            } finally {
              await store.close();
            }
          }
          // The same statements; the rows they return are the page's and its references, never the table's.
          const seen = `at 40 and 1,000 rows: ${JSON.stringify(counts)}`;
          assert.equal(counts[0].queries, counts[1].queries, seen);
          assert.ok(counts[1].rows < 100, seen);
        });
      }
    });
  }
}

for (const dialect of storeDialects()) {
  describe(`${dialect.name}: the status tree of a load balancer`, () => {
    it('takes the same number of queries whatever the size of the tree', async () => {
      const counts: number[] = [];
      for (const size of [10, 200]) {
        const store = await dialect.open();
        try {
          await seedPoolsAndListeners(store.db, size);
          const counting = countingDb(store.db);
          const api = await buildFakeAuthApp({
            store: { ...store, db: counting.db },
            tokens: TOKENS,
            register: registerLoadBalancerActionRoutes,
          });
          const before = counting.count().queries;
          const answer = await api.call('GET', '/loadbalancers/lb-0000-0/status', 'admin');
          assert.equal(answer.statusCode, 200);
          const tree = answer.json().statuses.loadbalancer;
          assert.equal(tree.listeners.length, size / 2);
          counts.push(counting.count().queries - before);
          await api.app.close();
        } finally {
          await store.close();
        }
      }
      assert.equal(counts[0], counts[1], `queries at 10 and 200 pools and listeners: ${counts}`);
    });
  });
}
