// The native provider over worker processes (`--native-workers N`): real detached `sluice native-worker`
// processes, real backends and clients on 127.0.63.x. Each load balancer is served whole by one worker; a
// worker that is killed comes back with its load balancers while the others keep serving; workers outlive
// their pool, and a new pool on the same directory adopts them without a dropped request.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
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

function startPool(workers: number, log: string[], dir = tempDir()): NativeWorkerPool {
  return new NativeWorkerPool({
    workers,
    dir,
    command: [process.execPath, BIN, 'native-worker'],
    log: (message) => log.push(message),
    reportIntervalMs: 100,
  });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-workers-'));
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
    const memberId = a.pools[0].members[0].id;
    const before = workers.report(a.id)?.listeners[a.listeners[0].id]?.counters.totalConnections ?? 0;
    const sessionsBefore =
      workers.report(a.id)?.pools[a.pools[0].id]?.counters?.[memberId]?.sessionsTotal ?? 0;
    for (let i = 0; i < 3; i += 1) await request(VIP_A, a.listeners[0].protocolPort);
    const sessionsOf = (seen: ReturnType<typeof workers.report>) =>
      seen?.pools[a.pools[0].id]?.counters?.[memberId]?.sessionsTotal ?? 0;
    const report = await until('three more connections and sessions in the report', () => {
      const seen = workers.report(a.id);
      const counters = seen?.listeners[a.listeners[0].id]?.counters;
      return counters && counters.totalConnections >= before + 3 && sessionsOf(seen) >= sessionsBefore + 3
        ? seen
        : undefined;
    });
    assert.equal(report.listeners[a.listeners[0].id].status, 'OPEN');
    const observed = report.pools[a.pools[0].id];
    assert.equal(observed.status, 'UP');
    assert.deepEqual(observed.members, { [memberId]: 'no check' });
    // The member's traffic counters cross the socket too: the wait above saw its three sessions. (Exact
    // per-member counts are the conformance suite's, through the API: a "before" read here may lag the
    // previous test's request, which counts at its connection for the listener but at its head for the member.)
    assert.ok((observed.counters?.[memberId]?.responses['2xx'] ?? 0) >= 3);
  });

  it('keeps the report of a load balancer whose data plane saw nothing new (only changes cross the socket)', async () => {
    const first = await until('a report of b', () => workers.report(b.id));
    // Several report rounds (every 100 ms here) with no traffic to b: the pool still holds the same report.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(workers.report(b.id), first);
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
      log.some(
        (line) => line.includes('native worker 0 went away') || line.includes('native worker 1 went away'),
      ),
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
    await pool2.apply(await httpLoadBalancer('127.0.63.3', backend));
    await pool2.apply(await httpLoadBalancer('127.0.63.4', backend));
    const pids = pool2.workerPids as number[];
    assert.equal(pids.filter((pid) => pid !== undefined).length, 2);
    await pool2.close();
    for (const pid of pids) assert.equal(alive(pid), false, `worker ${pid} exited`);
  });
});

describe('native worker reports after an apply', () => {
  it("bring the applied load balancer's report at once and leave the others' to the next round", async () => {
    const backend = await httpBackend(BACKEND, 'backend');
    // No round of every report within this test: what the pool holds came with an apply.
    const quiet = new NativeWorkerPool({
      workers: 1,
      dir: tempDir(),
      command: [process.execPath, BIN, 'native-worker'],
      log: () => {},
      reportIntervalMs: 3_600_000,
    });
    try {
      const first = await httpLoadBalancer('127.0.63.5', backend);
      await quiet.apply(first);
      const firstReport = await until("the first load balancer's report", () => quiet.report(first.id));
      // The worker's counters of the first load balancer change...
      assert.equal((await request(first.vip.address, first.listeners[0].protocolPort)).status, 200);
      const second = await httpLoadBalancer('127.0.63.6', backend);
      await quiet.apply(second);
      await until("the second load balancer's report", () => quiet.report(second.id));
      // ...but applying the second does not fetch the first's report: at 1,000 load balancers every report
      // after every apply cost the worker about 18 ms of CPU per change.
      assert.equal(quiet.report(first.id), firstReport);
    } finally {
      await quiet.close();
      await backend.close();
    }
  });
});

describe('native workers outlive their pool', () => {
  const log: string[] = [];
  let backend: Backend;
  const pools: NativeWorkerPool[] = [];
  const dir = tempDir();
  let lbs: DesiredLoadBalancer[] = [];

  before(async () => {
    backend = await httpBackend('127.0.63.20', 'backend');
  });
  after(async () => {
    for (const pool of pools.reverse()) await pool.close();
    await backend.close();
  });

  it('serve on when their pool hangs up, and a new pool on the same directory adopts them with no failed request', async () => {
    const first = startPool(2, log, dir);
    pools.push(first);
    lbs = [await httpLoadBalancer('127.0.63.21', backend), await httpLoadBalancer('127.0.63.22', backend)];
    for (const lb of lbs) await first.apply(lb);
    const pids = lbs.map((lb) => first.workerPidOf(lb.id));
    // Bounded load through both load balancers while the pool goes away and another one takes over.
    let failed = 0;
    let answered = 0;
    let loading = true;
    const load = (async () => {
      for (let i = 0; i < 2000 && loading; i += 1) {
        for (const lb of lbs) {
          const ok = await request(lb.vip.address, lb.listeners[0].protocolPort).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ok) answered += 1;
          else failed += 1;
        }
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    first.detach();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = startPool(2, log, dir);
    pools.push(second);
    for (const lb of lbs) await second.apply(lb);
    await second.settle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    loading = false;
    await load;
    assert.equal(failed, 0, `${failed} of ${failed + answered} requests failed`);
    assert.ok(answered > 10, `only ${answered} answers`);
    assert.deepEqual(
      lbs.map((lb) => second.workerPidOf(lb.id)),
      pids,
      'the same worker processes serve them',
    );
    const report = await until('a report through the adopted worker', () => second.report(lbs[0].id));
    assert.equal(report.listeners[lbs[0].listeners[0].id].status, 'OPEN');
  });

  it('drop, once settled, what the adopting pool was not asked for, and stop workers beyond its count', async () => {
    const previous = pools.at(-1)!;
    const pids = previous.workerPids as number[];
    previous.detach();
    // One worker now, asked only for a new load balancer: it goes to the adopted worker 0.
    const third = startPool(1, log, dir);
    pools.push(third);
    const lb = await httpLoadBalancer('127.0.63.23', backend);
    await third.apply(lb);
    await third.settle();
    assert.equal(third.workerPidOf(lb.id), pids[0], 'the new load balancer went to the adopted worker 0');
    // Neither earlier load balancer was asked for: both were removed, and worker 1, beyond the count, stopped.
    await until('the extra worker stopped', () => (alive(pids[1]) ? undefined : true));
    for (const old of lbs) {
      await assert.rejects(request(old.vip.address, old.listeners[0].protocolPort), /ECONNREFUSED/);
      assert.equal(third.report(old.id), undefined);
    }
    assert.equal((await request(lb.vip.address, lb.listeners[0].protocolPort)).status, 200);
  });

  it('stop for good when their socket file is removed (the agent data dir is gone)', async () => {
    const pool = pools.at(-1)!;
    const pid = pool.workerPids[0];
    assert.ok(pid);
    pool.detach();
    for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { force: true });
    await until('the orphan worker stopped', () => (alive(pid) ? undefined : true));
  });
});
