import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestApi } from '../../../../test/helpers/test-api.ts';

describe('load balancer metrics route', () => {
  it("answers its owner with the load balancer's reported traffic, and answers other projects and unknown ids 404", async () => {
    const api = await startTestApi();
    try {
      const owner = await api.userWithRoles(['load-balancer_member'], 'owner-project');
      const other = await api.userWithRoles(['load-balancer_member'], 'other-project');
      const created = await api.call('POST', '/v2/lbaas/loadbalancers', owner.token, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().loadbalancer.id as string;
      // What an agent reported for its placement, stored as it came.
      const report = {
        listeners: {
          l1: {
            status: 'OPEN',
            counters: {
              bytesIn: 1,
              bytesOut: 2,
              activeConnections: 0,
              totalConnections: 4,
              requestErrors: 0,
            },
          },
        },
        pools: {},
      };
      await api.store.db
        .insertInto('amphorae')
        .values({
          id: 'amp-1',
          load_balancer_id: id,
          status: 'ALLOCATED',
          role: 'STANDALONE',
          created_at: new Date().toISOString(),
          cert_busy: false,
          report: JSON.stringify(report),
        } as never)
        .execute();
      const mine = await api.call('GET', `/sluice/v1/loadbalancers/${id}/metrics`, owner.token);
      assert.equal(mine.statusCode, 200);
      assert.ok(
        mine.body.split('\n').includes('octavia_listener_sessions_total{amphora="amp-1",listener="l1"} 4'),
        mine.body,
      );
      const theirs = await api.call('GET', `/sluice/v1/loadbalancers/${id}/metrics`, other.token);
      assert.equal(theirs.statusCode, 404);
      assert.equal(theirs.json().faultstring, `Load Balancer ${id} not found.`);
      const missing = await api.call(
        'GET',
        '/load-balancer/sluice/v1/loadbalancers/nope/metrics',
        owner.token,
      );
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().faultstring, 'Load Balancer nope not found.');
    } finally {
      await api.close();
    }
  });
});
