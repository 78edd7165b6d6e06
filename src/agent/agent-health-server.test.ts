import assert from 'node:assert/strict';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startAgentHealthServer } from './agent-health-server.ts';

describe('agent health server', () => {
  let dataPlanes: string | null = null;
  let slow = false;
  let unready: string | undefined;
  let server: http.Server;
  let base: string;
  const probe = async (route: string) => {
    const response = await fetch(`${base}${route}`);
    return { status: response.status, body: await response.json() };
  };

  before(async () => {
    server = await startAgentHealthServer(
      { host: '127.0.0.1', port: 0 },
      {
        // What the agent's data-plane check (keepalived's, data-plane-check.ts) says, or a check that hangs.
        checkDataPlanes: () => (slow ? new Promise(() => {}) : Promise.resolve(dataPlanes)),
        unready: () => unready,
      },
    );
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('answers 200 on both while the data planes run and reports reach an API', async () => {
    assert.deepEqual(await probe('/healthz'), { status: 200, body: { status: 'ok' } });
    assert.deepEqual(await probe('/readyz'), { status: 200, body: { status: 'ok' } });
  });

  it('is live but not ready while no report reaches an API', async () => {
    unready = 'no report reached an API for 3000 ms (heartbeat timeout 2500 ms)';
    assert.equal((await probe('/healthz')).status, 200);
    assert.deepEqual(await probe('/readyz'), {
      status: 503,
      body: { status: 'unavailable', reason: unready },
    });
    unready = undefined;
  });

  it('is neither live nor ready while a data plane does not serve, saying which', async () => {
    dataPlanes = 'native worker 0 (pid file /d/native/worker-0.pid) is not running';
    for (const route of ['/healthz', '/readyz']) {
      assert.deepEqual(await probe(route), {
        status: 503,
        body: { status: 'unavailable', reason: dataPlanes },
      });
    }
    dataPlanes = null;
  });

  it('answers 503 when the data-plane check does not finish within its bound', async () => {
    slow = true;
    assert.deepEqual(await probe('/healthz'), {
      status: 503,
      body: { status: 'unavailable', reason: 'the data-plane check did not finish within 800 ms' },
    });
    slow = false;
  });

  it('answers 404 elsewhere', async () => {
    assert.equal((await probe('/metrics')).status, 404);
  });
});
