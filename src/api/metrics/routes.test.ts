import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestApi } from '../../../test/helpers/test-api.ts';

describe('metrics route', () => {
  it('counts API requests by route template and status, and load balancers and agents by status', async () => {
    const api = await startTestApi();
    try {
      const created = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId },
      });
      assert.equal(created.statusCode, 201);
      await api.call('GET', '/v2/lbaas/loadbalancers/no-such-id', api.adminToken);
      await api.call('POST', '/agent/v1/agents', api.adminToken, { agent: { name: 'a1' } });
      const response = await api.call('GET', '/metrics');
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
      const lines = response.body.split('\n');
      for (const line of [
        'sluice_api_requests_total{method="POST",route="/v2/lbaas/loadbalancers",code="201"} 1',
        'sluice_api_requests_total{method="GET",route="/v2/lbaas/loadbalancers/:id",code="404"} 1',
        'sluice_agents{status="NEW"} 1',
      ])
        assert.ok(lines.includes(line), `missing: ${line}\n${response.body}`);
      assert.ok(
        lines.some((l) =>
          /^sluice_loadbalancers\{provisioning_status="(ACTIVE|PENDING_CREATE)",operating_status="\w+"\} 1$/.test(
            l,
          ),
        ),
        response.body,
      );
      assert.ok(
        lines.some((l) =>
          l.startsWith('sluice_api_request_duration_seconds_bucket{le="0.005",method="POST"'),
        ),
      );
      // The process's own, and the controller loops this process runs (the test API's provisioner).
      assert.ok(
        lines.some((l) => l.startsWith('sluice_process_resident_memory_bytes ')),
        response.body,
      );
      assert.ok(
        lines.some((l) => /^sluice_controller_passes_total\{loop="provisioner",outcome="ok"\} [1-9]/.test(l)),
        response.body,
      );
    } finally {
      await api.close();
    }
  });

  it('refuses a client outside the allowed CIDRs with 403 in the Octavia fault format', async () => {
    const api = await startTestApi();
    try {
      const response = await api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.7' });
      assert.equal(response.statusCode, 403);
      assert.deepEqual(response.json(), {
        faultcode: 'Client',
        faultstring: 'Client 192.0.2.7 may not read metrics: it is outside the metrics allowed CIDRs.',
        debuginfo: null,
      });
    } finally {
      await api.close();
    }
  });
});
