import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { insertBareLoadBalancer } from '../../test/helpers/member-rows.ts';
import { startTestApi, type TestApi } from '../../test/helpers/test-api.ts';
import type { Agent } from '../model/agent.ts';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import type { ProviderDriver, ProviderReport } from '../model/provider-driver.ts';
import { openStore } from '../store/database.ts';
import { createAgent, registerAgent } from '../store/repositories/agent-repository.ts';
import {
  bindPlacement,
  ensurePlacements,
  listPlacements,
  recordObservations,
} from '../store/repositories/placement-repository.ts';
import { agentLost, REFRESH_EVERY_PASSES, StatusAggregator } from './status-aggregator.ts';

/** A provider that applies nothing and reports what the test sets: a real ProviderDriver, not a mock. */
class ReportingProvider implements ProviderDriver {
  readonly info = { name: 'reporting', description: 'reports what the test says' };
  readonly reports = new Map<string, ProviderReport>();
  async apply(_desired: DesiredLoadBalancer): Promise<void> {}
  async remove(): Promise<void> {}
  report(id: string): ProviderReport | undefined {
    return this.reports.get(id);
  }
}

const counters = {
  bytesIn: 100,
  bytesOut: 2000,
  activeConnections: 3,
  totalConnections: 9,
  requestErrors: 1,
};
let api: TestApi;
let provider: ReportingProvider;
let aggregator: StatusAggregator;
let ids: { lb: string; listener: string; pool: string; members: string[] };

async function post(url: string, body: unknown) {
  const response = await api.call('POST', url, api.adminToken, body);
  assert.equal(response.statusCode, 201, response.body);
  await api.provisioner.idle();
  return response.json();
}
const get = async (url: string) => (await api.call('GET', url, api.adminToken)).json();

describe('status aggregation', () => {
  before(async () => {
    provider = new ReportingProvider();
    api = await startTestApi({ extraDrivers: [provider] });
    aggregator = new StatusAggregator({
      store: api.store,
      drivers: new Map([['reporting', provider]]),
      logger: pino({ level: 'silent' }),
    });
    const lb = (
      await post('/v2/lbaas/loadbalancers', {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'reporting' },
      })
    ).loadbalancer;
    const listener = (
      await post('/v2/lbaas/listeners', {
        listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: 80 },
      })
    ).listener;
    const pool = (
      await post('/v2/lbaas/pools', {
        pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
      })
    ).pool;
    const members = [];
    for (const port of [8081, 8082]) {
      members.push(
        (
          await post(`/v2/lbaas/pools/${pool.id}/members`, {
            member: { address: '127.0.0.5', protocol_port: port },
          })
        ).member.id,
      );
    }
    ids = { lb: lb.id, listener: listener.id, pool: pool.id, members };
  });
  after(async () => api.close());

  it('writes the roll-up of a report: a down member degrades pool and load balancer', async () => {
    provider.reports.set(ids.lb, {
      listeners: { [ids.listener]: { status: 'OPEN', counters } },
      pools: { [ids.pool]: { status: 'UP', members: { [ids.members[0]]: 'UP', [ids.members[1]]: 'DOWN' } } },
    });
    await aggregator.aggregate();
    const tree = (await get(`/v2/lbaas/loadbalancers/${ids.lb}/status`)).statuses.loadbalancer;
    assert.equal(tree.operating_status, 'DEGRADED');
    assert.equal(tree.listeners[0].operating_status, 'ONLINE');
    assert.equal(tree.listeners[0].pools[0].operating_status, 'DEGRADED');
    assert.deepEqual(
      tree.listeners[0].pools[0].members.map((m: { operating_status: string }) => m.operating_status),
      ['ONLINE', 'ERROR'],
    );
  });

  it('serves the reported counters as listener and load balancer stats', async () => {
    await aggregator.aggregate();
    const expected = {
      bytes_in: 100,
      bytes_out: 2000,
      active_connections: 3,
      total_connections: 9,
      request_errors: 1,
    };
    assert.deepEqual((await get(`/v2/lbaas/listeners/${ids.listener}/stats`)).stats, expected);
    assert.deepEqual((await get(`/v2/lbaas/loadbalancers/${ids.lb}/stats`)).stats, expected);
  });

  it('brings everything back ONLINE when the member recovers', async () => {
    provider.reports.set(ids.lb, {
      listeners: { [ids.listener]: { status: 'OPEN', counters } },
      pools: { [ids.pool]: { status: 'UP', members: { [ids.members[0]]: 'UP', [ids.members[1]]: 'UP' } } },
    });
    await aggregator.aggregate();
    assert.equal((await get(`/v2/lbaas/loadbalancers/${ids.lb}`)).loadbalancer.operating_status, 'ONLINE');
    assert.equal((await get(`/v2/lbaas/pools/${ids.pool}`)).pool.operating_status, 'ONLINE');
  });
});

describe('status aggregation of load balancers served by agents', () => {
  const registration = { host: 'h', pid: 1, epoch: 'e', availabilityZone: null, providers: ['native'] };
  const idle: ProviderReport = { listeners: {}, pools: {} };

  async function servedLoadBalancer() {
    const store = await openStore('sqlite::memory:');
    await insertBareLoadBalancer(store.db, 'lb', 'native');
    await ensurePlacements(store.db, 'lb', 'SINGLE');
    const { agent } = await createAgent(store.db, 'a');
    await registerAgent(store.db, agent.id, registration);
    const [placement] = await listPlacements(store.db, 'lb');
    await bindPlacement(store.db, placement.id, agent.id, 1);
    await recordObservations(store.db, agent.id, { lb: idle });
    const aggregator = new StatusAggregator({ store, drivers: new Map(), logger: pino({ level: 'silent' }) });
    const status = async () =>
      (
        await store.db
          .selectFrom('load_balancers')
          .select('operating_status')
          .where('id', '=', 'lb')
          .executeTakeFirstOrThrow()
      ).operating_status;
    const overwrite = (value: string) =>
      store.db
        .updateTable('load_balancers')
        .set({ operating_status: value })
        .where('id', '=', 'lb')
        .execute();
    return { store, agentId: agent.id, aggregator, status, overwrite };
  }

  it('rolls a load balancer up again only when its observation changed, and every one within a refresh round', async () => {
    const { store, agentId, aggregator, status, overwrite } = await servedLoadBalancer();
    await aggregator.aggregate();
    assert.equal(await status(), 'ONLINE');
    // A value the roll-up would not write: left alone while nothing the roll-up reads has changed.
    await overwrite('DEGRADED');
    let pass = 1;
    let untouched = true;
    for (; pass < REFRESH_EVERY_PASSES && untouched; pass += 1) {
      await aggregator.aggregate();
      untouched = (await status()) === 'DEGRADED';
    }
    // Either the refresh slice came round, or (by chance) this id's slice was the next pass: both within a round.
    assert.equal(await status(), 'ONLINE');
    assert.ok(pass <= REFRESH_EVERY_PASSES, `refreshed after ${pass} passes`);
    // A changed observation is rolled up on the very next pass.
    await overwrite('DEGRADED');
    await recordObservations(store.db, agentId, {
      lb: { listeners: {}, pools: { other: { status: 'UP', members: {} } } },
    });
    await aggregator.aggregate();
    assert.equal(await status(), 'ONLINE');
    await store.close();
  });

  it('skips a load balancer whose inputs did not change since its last roll-up', async () => {
    const { store, aggregator, status, overwrite } = await servedLoadBalancer();
    await aggregator.aggregate();
    await overwrite('DEGRADED');
    let rewritten = 0;
    for (let pass = 1; pass < REFRESH_EVERY_PASSES; pass += 1) {
      await aggregator.aggregate();
      if ((await status()) === 'ONLINE') {
        rewritten += 1;
        await overwrite('DEGRADED');
      }
    }
    // Only the one pass whose refresh slice holds this load balancer rolled it up again.
    assert.ok(rewritten <= 1, `rolled up ${rewritten} times in ${REFRESH_EVERY_PASSES - 1} unchanged passes`);
    await store.close();
  });

  it('marks the load balancer ERROR on the next pass after its agent stops being UP, with the reason in its events', async () => {
    const { store, agentId, aggregator, status } = await servedLoadBalancer();
    await aggregator.aggregate();
    const heartbeatAt = new Date(Date.now() - 30_000).toISOString();
    await store.db
      .updateTable('agents')
      .set({ status: 'DOWN', heartbeat_at: heartbeatAt })
      .where('id', '=', agentId)
      .execute();
    await aggregator.aggregate();
    assert.equal(await status(), 'ERROR');
    const events = await store.db
      .selectFrom('status_events')
      .select(['from_status', 'to_status', 'reason'])
      .where('field', '=', 'operating_status')
      .where('resource_type', '=', 'loadbalancer')
      .orderBy('id')
      .execute();
    assert.equal(events.length, 1);
    // 30 s, or a little more on a machine slow enough to take a second between the write and the pass.
    assert.match(
      `${events[0].from_status}→${events[0].to_status}: ${events[0].reason}`,
      /^ONLINE→ERROR: agent a lost \(DOWN, no heartbeat for 3\d s\)$/,
    );
    await store.close();
  });

  it('says an agent was lost with no heartbeat, or that no agent serves the load balancer', () => {
    const agent = { name: 'b', status: 'DOWN', heartbeatAt: null } as unknown as Agent;
    assert.equal(agentLost(agent), 'agent b lost (DOWN, no heartbeat)');
    assert.equal(agentLost(undefined), 'no agent serves it');
  });
});
