import assert from 'node:assert/strict';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAgentHealthServer } from './agent-health-server.ts';

describe('agent health server', () => {
  let dataDir: string;
  let unready: string | undefined;
  let server: http.Server;
  let base: string;
  const probe = async (route: string) => {
    const response = await fetch(`${base}${route}`);
    return { status: response.status, body: await response.json() };
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-agent-health-'));
    server = await startAgentHealthServer(
      { host: '127.0.0.1', port: 0 },
      { dataDir, unready: () => unready },
    );
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200 on both while the data planes run and reports reach an API', async () => {
    unready = undefined;
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
  });

  it('is neither live nor ready when a native worker it left a pid file for is not running', async () => {
    unready = undefined;
    const native = path.join(dataDir, 'native');
    fs.mkdirSync(native, { recursive: true });
    const pidFile = path.join(native, 'worker-0.pid');
    // A pid past Linux's pid_max (4194304): never a running process.
    fs.writeFileSync(pidFile, '4194305\n');
    const reason = `native worker 0 (pid file ${pidFile}) is not running`;
    try {
      for (const route of ['/healthz', '/readyz']) {
        assert.deepEqual(await probe(route), { status: 503, body: { status: 'unavailable', reason } });
      }
    } finally {
      fs.rmSync(native, { recursive: true, force: true });
    }
  });

  it('answers 404 elsewhere', async () => {
    assert.equal((await probe('/metrics')).status, 404);
  });
});
