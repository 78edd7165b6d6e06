// Status events end to end on every store dialect: the real API, provisioner, status aggregator and
// housekeeping on one store, the native provider in process with its real health checks against real
// backends. Creation and activation of each object, a member whose backend stops, visibility, paging,
// retention, and a 10,000-member batch recorded with as many statements as a 1,000-member one; then the
// production wiring: `sluice serve` with its local agent names the agent that applied a change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin, RawNode } from 'kysely';
import { pino } from 'pino';
import { Housekeeping } from '../../src/controller/housekeeping.ts';
import { StatusAggregator } from '../../src/controller/status-aggregator.ts';
import { createHealthTracker } from '../../src/providers/native/health/health-tracker.ts';
import { NativeProvider } from '../../src/providers/native/native-provider.ts';
import type { Store } from '../../src/store/database.ts';
import { EVENTS_KEPT } from '../../src/store/repositories/status-event-repository.ts';
import { apiClient } from '../conformance/api-client.ts';
import { type Backend, httpBackend } from '../conformance/backends.ts';
import { assertFault } from '../helpers/octavia-fault.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';
import { storeDialects } from '../helpers/store-dialects.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

type WireEvent = {
  id: number;
  resource_type: string;
  resource_id: string;
  field: string;
  from: string | null;
  to: string;
  reason: string;
};
const logger = pino({ level: 'silent' });
const summary = (e: WireEvent) => `${e.resource_type} ${e.field} ${e.from}→${e.to}: ${e.reason}`;

/** `store` with every INSERT into status_events counted (the recorder's raw INSERT … SELECT statements). */
function countingEventInserts(store: Store): { store: Store; inserts: { count: number } } {
  const inserts = { count: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      const raw = node as unknown as Partial<RawNode>;
      if (raw.kind === 'RawNode' && raw.sqlFragments?.[0]?.startsWith('insert into status_events'))
        inserts.count += 1;
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return { store: { ...store, db: store.db.withPlugin(plugin) }, inserts };
}

for (const [index, dialect] of storeDialects().entries()) {
  describe(`status events on ${dialect.name}`, () => {
    const port = 18_470 + index;
    let base: Store;
    let counted: ReturnType<typeof countingEventInserts>;
    let api: TestApi;
    let native: NativeProvider;
    let aggregator: StatusAggregator;
    let web: Backend[] = [];
    const ids = { lb: '', listener: '', pool: '', members: [] as string[] };

    const events = async (query = '', token = api.adminToken): Promise<WireEvent[]> => {
      const response = await api.call('GET', `/sluice/v1/loadbalancers/${ids.lb}/events${query}`, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().events;
    };
    async function post(url: string, body: unknown) {
      const response = await api.call('POST', url, api.adminToken, body);
      assert.equal(response.statusCode, 201, response.body);
      await api.provisioner.idle();
      return response.json();
    }

    before(async () => {
      base = await dialect.open();
      counted = countingEventInserts(base);
      native = new NativeProvider({ healthFactory: (pools) => createHealthTracker(pools) });
      api = await startTestApi({ store: counted.store, extraDrivers: [native], maxRequestBodySize: 1 << 20 });
      aggregator = new StatusAggregator({ store: base, drivers: new Map([['native', native]]), logger });
      web = await Promise.all(
        ['web1', 'web2'].map((n, i) => httpBackend(n, `127.0.39.${index * 2 + i + 1}`)),
      );
      const body = { loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' } };
      ids.lb = (await post('/v2/lbaas/loadbalancers', body)).loadbalancer.id;
      const listener = { loadbalancer_id: ids.lb, protocol: 'HTTP', protocol_port: port };
      ids.listener = (await post('/v2/lbaas/listeners', { listener })).listener.id;
      const pool = { listener_id: ids.listener, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' };
      ids.pool = (await post('/v2/lbaas/pools', { pool })).pool.id;
      for (const backend of web) {
        const member = { address: backend.address, protocol_port: backend.port };
        ids.members.push((await post(`/v2/lbaas/pools/${ids.pool}/members`, { member })).member.id);
      }
    });
    after(async () => {
      await api?.close({ keepStore: true });
      await native?.close();
      await Promise.all(web.map((b) => b.close()));
      await base?.close();
    });

    it('records each object going PENDING_CREATE, then ACTIVE when the provider applied it', async () => {
      const all = (await events()).map(summary);
      for (const [type, id] of [
        ['loadbalancer', ids.lb],
        ['listener', ids.listener],
        ['pool', ids.pool],
        ['member', ids.members[0]],
      ]) {
        const mine = (await events(`?resource_id=${id}`)).filter((e) => e.resource_type === type);
        assert.deepEqual(
          mine.at(-1) && summary(mine.at(-1) as WireEvent),
          `${type} provisioning_status null→PENDING_CREATE: created through the API`,
        );
        assert.ok(
          all.includes(`${type} provisioning_status PENDING_CREATE→ACTIVE: applied by provider native`),
          `${type}: ${all.join('\n')}`,
        );
      }
      // Each child change took the load balancer and gave it back.
      const lbEvents = (await events(`?resource_type=loadbalancer`)).map(summary);
      assert.equal(
        lbEvents.filter((s) => s.endsWith('ACTIVE→PENDING_UPDATE: update through the API')).length,
        4,
      );
    });

    it('records a member whose backend stops as ERROR, reported DOWN by the provider that checks it', async () => {
      const monitor = {
        pool_id: ids.pool,
        type: 'HTTP',
        delay: 1,
        timeout: 1,
        max_retries: 1,
        max_retries_down: 1,
      };
      await post('/v2/lbaas/healthmonitors', { healthmonitor: monitor });
      await web[1].close();
      let down: WireEvent | undefined;
      // Bounded: delay × fall plus margin for a loaded machine, polled every 250 ms.
      for (let i = 0; i < 60 && !down; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await aggregator.aggregate();
        down = (await events(`?resource_id=${ids.members[1]}`)).find((e) => e.to === 'ERROR');
      }
      assert.ok(down, 'no ERROR event for the stopped member');
      assert.equal(down.field, 'operating_status');
      assert.equal(down.reason, 'provider native reported member DOWN');
      const pool = (await events(`?resource_id=${ids.pool}`)).find((e) => e.field === 'operating_status');
      assert.equal(pool?.to, 'DEGRADED');
      assert.equal(pool?.reason, 'provider native reported pool DEGRADED');
      const healthy = (await events(`?resource_id=${ids.members[0]}`)).filter((e) => e.to === 'ERROR');
      assert.deepEqual(healthy, [], 'the member still answering was not reported');
    });

    it("answers 404 to another project's member, as for a load balancer that does not exist", async () => {
      const stranger = await api.userWithRoles(['load-balancer_member']);
      const response = await api.call('GET', `/sluice/v1/loadbalancers/${ids.lb}/events`, stranger.token);
      assertFault(response, 404, `Load Balancer ${ids.lb} not found.`);
    });

    it('pages newest first through every event with limit and marker', async () => {
      const all = await events();
      const seen: number[] = [];
      let query: string | undefined = '?limit=3';
      for (let pages = 0; query !== undefined && pages < 100; pages++) {
        const response = await api.call(
          'GET',
          `/sluice/v1/loadbalancers/${ids.lb}/events${query}`,
          api.adminToken,
        );
        const page = response.json() as { events: WireEvent[]; events_links?: { href: string }[] };
        seen.push(...page.events.map((e) => e.id));
        const next = page.events_links?.[0]?.href;
        query = next === undefined ? undefined : next.slice(next.indexOf('?'));
      }
      assert.deepEqual(
        seen,
        all.map((e) => e.id),
      );
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => b - a),
      );
    });

    it('records a 10,000-member batch with as many statements as a 1,000-member one, the last 1,000 rows of each step', async () => {
      // Each batch goes to a new pool (no listener: nothing health-checks its members), so both only create.
      const batch = (count: number, octet: number) => ({
        members: Array.from({ length: count }, (_, i) => ({
          address: `127.${octet}.${Math.floor(i / 250)}.${(i % 250) + 1}`,
          protocol_port: 20_000 + (i % 40_000),
        })),
      });
      const measure = async (count: number, octet: number) => {
        const pool = { loadbalancer_id: ids.lb, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' };
        const poolId = (await post('/v2/lbaas/pools', { pool })).pool.id;
        const before = counted.inserts.count;
        const first = (await events('?limit=1'))[0].id;
        const url = `/v2/lbaas/pools/${poolId}/members`;
        const response = await api.call('PUT', url, api.adminToken, batch(count, octet));
        assert.equal(response.statusCode, 202, response.body);
        await api.provisioner.idle();
        const newer = await base.db
          .selectFrom('status_events')
          .select(['resource_type', 'field', 'from_status', 'to_status'])
          .where('load_balancer_id', '=', ids.lb)
          .where('id', '>', first)
          .where('resource_type', '=', 'member')
          .where('field', '=', 'provisioning_status')
          .execute();
        const created = newer.filter((e) => e.from_status === null && e.to_status === 'PENDING_CREATE');
        const active = newer.filter((e) => e.from_status === 'PENDING_CREATE' && e.to_status === 'ACTIVE');
        return { statements: counted.inserts.count - before, created: created.length, active: active.length };
      };
      const small = await measure(1000, 66);
      const large = await measure(10_000, 67);
      assert.deepEqual([small.created, small.active], [1000, 1000]);
      // A statement records the last EVENTS_KEPT rows of a load balancer: housekeeping keeps no more.
      assert.deepEqual([large.created, large.active], [EVENTS_KEPT, EVENTS_KEPT]);
      assert.equal(large.statements, small.statements, `${small.statements} then ${large.statements}`);
    });

    it('keeps the newest 1,000 events of the load balancer once housekeeping has run', async () => {
      const all = await base.db
        .selectFrom('status_events')
        .select('id')
        .where('load_balancer_id', '=', ids.lb)
        .orderBy('id', 'desc')
        .execute();
      assert.ok(all.length > 1000, `${all.length} events`);
      const housekeeping = new Housekeeping({ store: base, logger });
      // Bounded batches: a backlog drains over passes (at most 10 here).
      for (let pass = 0; pass < 10; pass++) if ((await housekeeping.sweep()).events === 0) break;
      const kept = (await events('?limit=1000')).map((e) => e.id);
      assert.deepEqual(
        kept,
        all.slice(0, 1000).map((r) => Number(r.id)),
      );
      assert.deepEqual(await events(`?marker=${kept.at(-1)}`), []);
    });
  });
}

describe('status events of a load balancer served by an agent (sluice serve)', () => {
  let server: ServeProcess | undefined;
  after(async () => server?.stop());

  it("names the agent that applied each change, through the serve process's own API", async () => {
    const password = 'status-events-password';
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: password, SLUICE_PROVIDER: 'native' } });
    const api = await apiClient(server.url, password);
    const lb = await api.createLoadBalancer({ provider: 'native' });
    const { status, body } = await api.call('GET', `/load-balancer/sluice/v1/loadbalancers/${lb.id}/events`);
    assert.equal(status, 200, JSON.stringify(body));
    const lbEvents = (body.events as WireEvent[]).filter((e) => e.resource_type === 'loadbalancer');
    assert.match(
      lbEvents.map(summary).join('\n'),
      /^loadbalancer provisioning_status PENDING_CREATE→ACTIVE: applied by agent \S+\nloadbalancer provisioning_status null→PENDING_CREATE: created through the API$/,
    );
  });
});
