// The native provider over worker processes (`--native-workers N`): real `sluice native-worker` processes,
// real backends and clients on 127.0.63.x. Each load balancer is served whole by one worker; a worker that is
// killed comes back with its load balancers while the others keep serving.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DesiredLoadBalancer } from '../../src/model/desired-state.ts';
import { NativeProvider } from '../../src/providers/native/native-provider.ts';
import {
  type Backend,
  freePort,
  httpBackend,
  listener,
  loadBalancer,
  member,
  pool,
  request,
} from '../../src/providers/native/native-test-fixtures.ts';
import { NativeWorkerPool } from '../../src/providers/native/workers/native-worker-pool.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/sluice.js');
const BACKEND = '127.0.63.10';
const VIP_A = '127.0.63.1';
const VIP_B = '127.0.63.2';

function startPool(workers: number, log: string[]): NativeWorkerPool {
  return new NativeWorkerPool({
    workers,
    spawn: () =>
      spawn(process.execPath, [BIN, 'native-worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    log: (message) => log.push(message),
    reportIntervalMs: 100,
  });
}

async function httpLoadBalancer(vip: string, backend: Backend): Promise<DesiredLoadBalancer> {
  const backends = pool([member(backend.address, backend.port)]);
  const front = listener(await freePort(vip), { defaultPoolId: backends.id });
  return loadBalancer(vip, [front], [backends]);
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('native provider in worker processes', () => {
  const log: string[] = [];
  let backend: Backend;
  let workers: NativeWorkerPool;
  let a: DesiredLoadBalancer;
  let b: DesiredLoadBalancer;

  before(async () => {
    backend = await httpBackend(BACKEND, 'backend');
    workers = startPool(2, log);
    a = await httpLoadBalancer(VIP_A, backend);
    b = await httpLoadBalancer(VIP_B, backend);
    await workers.apply(a);
    await workers.apply(b);
  });

  after(async () => {
    await workers.close();
    await backend.close();
  });

  it('serves each load balancer whole in one worker process, spread over the workers', async () => {
    for (const lb of [a, b]) {
      const answer = await request(lb.vip.address, lb.listeners[0].protocolPort);
      assert.equal(answer.status, 200);
      assert.equal(answer.body, 'backend');
    }
    const pidA = workers.workerPidOf(a.id);
    const pidB = workers.workerPidOf(b.id);
    assert.ok(pidA && pidB, 'both load balancers have a worker');
    assert.notEqual(pidA, pidB);
    assert.deepEqual([...workers.workerPids].sort(), [pidA, pidB].sort());
    assert.ok(!workers.workerPids.includes(process.pid), 'the data plane is not in the agent process');
  });

  it("reports what the worker's data plane counted", async () => {
    const before = workers.report(a.id)?.listeners[a.listeners[0].id]?.counters.totalConnections ?? 0;
    for (let i = 0; i < 3; i += 1) await request(VIP_A, a.listeners[0].protocolPort);
    const report = await until('three more connections in the report', () => {
      const seen = workers.report(a.id);
      const counters = seen?.listeners[a.listeners[0].id]?.counters;
      return counters && counters.totalConnections >= before + 3 ? seen : undefined;
    });
    assert.equal(report.listeners[a.listeners[0].id].status, 'OPEN');
    assert.deepEqual(report.pools[a.pools[0].id], {
      status: 'UP',
      members: { [a.pools[0].members[0].id]: 'no check' },
    });
  });

  it('refuses what the in-process provider refuses, with the same reason', async () => {
    const taken = net.createServer();
    const port = await freePort(VIP_A);
    await new Promise<void>((resolve) => taken.listen(port, VIP_A, resolve));
    const inProcess = new NativeProvider();
    try {
      const backends = pool([member(BACKEND, backend.port)]);
      const clash = loadBalancer(VIP_A, [listener(port, { defaultPoolId: backends.id })], [backends]);
      const unsupported = loadBalancer(VIP_A, [listener(port, { protocol: 'TERMINATED_HTTPS' })], []);
      for (const desired of [clash, unsupported]) {
        const expected = await inProcess.apply(desired).then(
          () => assert.fail('the in-process provider applied it'),
          (error: Error) => error.message,
        );
        await assert.rejects(workers.apply(desired), (error: Error) => error.message === expected);
        await workers.remove(desired.id);
      }
    } finally {
      await inProcess.close();
      taken.close();
    }
  });

  it('starts a killed worker again with its load balancers while the other worker keeps serving', async () => {
    const killed = workers.workerPidOf(a.id);
    assert.ok(killed);
    process.kill(killed, 'SIGKILL');
    const during = await request(VIP_B, b.listeners[0].protocolPort);
    assert.equal(during.status, 200, 'the other worker serves on');
    const successor = await until('a new worker for the first load balancer', () => {
      const pid = workers.workerPidOf(a.id);
      return pid !== undefined && pid !== killed ? pid : undefined;
    });
    assert.ok(alive(successor));
    const answer = await until('traffic through the restarted worker', () =>
      request(VIP_A, a.listeners[0].protocolPort).then(
        (r) => (r.status === 200 ? r : undefined),
        () => undefined,
      ),
    );
    assert.equal(answer.body, 'backend');
    assert.ok(
      log.some((line) => line.includes('exited (SIGKILL); restarting')),
      log.join('\n'),
    );
  });

  it("removes a load balancer from its worker, freeing the listener's port", async () => {
    const port = b.listeners[0].protocolPort;
    await workers.remove(b.id);
    assert.equal(workers.report(b.id), undefined);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, VIP_B, resolve);
    });
    server.close();
  });

  it('stops every worker when it closes', async () => {
    const pool2 = startPool(2, log);
    const pids = await until('both workers ready', () =>
      pool2.workerPids.every((pid) => pid !== undefined) ? (pool2.workerPids as number[]) : undefined,
    );
    await pool2.close();
    for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} exited`);
  });
});
