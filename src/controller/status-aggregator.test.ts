import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startTestApi, type TestApi } from '../../test/helpers/test-api.ts';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import type { ProviderDriver, ProviderReport } from '../model/provider-driver.ts';
import { StatusAggregator } from './status-aggregator.ts';

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
