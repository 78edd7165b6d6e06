// `sluice vrrp-check` (keepalived's host check) against real data-plane processes: a native worker started the
// way the agent's pool starts one, and a real HAProxy master. It passes while they run, fails with one line
// naming the process once one is killed, and stays within keepalived's 1 s timeout. bin/sluice.js runs dist/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { HaproxyProvider } from '../haproxy/haproxy-provider.ts';
import { HAPROXY, skipWithoutHaproxy } from '../haproxy/haproxy-test-fixtures.ts';
import { freePort, listener, loadBalancer } from '../native/native-test-fixtures.ts';
import { NativeWorkerPool } from '../native/workers/native-worker-pool.ts';
import { forgetStoppedHaproxyMasters } from './data-plane-check.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../../bin/sluice.js');
const skip = fs.existsSync(path.resolve(import.meta.dirname, '../../../dist/bin/sluice.js'))
  ? false
  : 'dist/ is missing: run `npm run build` (the check runs bin/sluice.js)';
const VIP = '127.0.64.1';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vrrpagt-check-'));

function vrrpCheck(dataDir: string): { status: number | null; stderr: string; ms: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [SLUICE, 'vrrp-check', '--data-dir', dataDir], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: result.status, stderr: result.stderr, ms: Math.round(performance.now() - started) };
}

/** Whether `pid` still runs: a reaped process leaves /proc (proc(5)). */
const runs = (pid: number) => fs.existsSync(`/proc/${pid}`);

async function gone(pid: number): Promise<void> {
  for (let waited = 0; runs(pid) && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  assert.equal(runs(pid), false, `pid ${pid} still runs`);
}

describe('sluice vrrp-check', { skip }, () => {
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes for a data dir with no data plane yet', () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    assert.deepEqual({ ...vrrpCheck(empty), ms: 0 }, { status: 0, stderr: '', ms: 0 });
  });

  it('passes while a native worker runs and answers on its socket, fails naming it once it is killed', async () => {
    const dataDir = path.join(root, 'native-host');
    const pool = new NativeWorkerPool({
      workers: 1,
      dir: path.join(dataDir, 'native'),
      command: [process.execPath, SLUICE, 'native-worker'],
      log: () => {},
    });
    try {
      await pool.apply(loadBalancer(VIP, [listener(await freePort(VIP), { protocol: 'TCP' })], []));
      const pid = pool.workerPids[0]!;
      const passing = vrrpCheck(dataDir);
      console.log(`vrrp-check with one live native worker: ${passing.ms} ms (process start included)`);
      assert.deepEqual([passing.status, passing.stderr], [0, '']);

      // Hung up on, as an agent that exits leaves it (the pool would otherwise start another one).
      pool.detach();
      process.kill(pid, 'SIGKILL');
      await gone(pid);
      const failing = vrrpCheck(dataDir);
      assert.equal(failing.status, 1);
      assert.equal(
        failing.stderr,
        `native worker 0 (pid file ${path.join(dataDir, 'native', 'worker-0.pid')}) is not running\n`,
      );
    } finally {
      await pool.close();
    }
  });

  it('passes while every HAProxy master runs, fails naming the one killed', {
    skip: skipWithoutHaproxy,
  }, async () => {
    const dataDir = path.join(root, 'haproxy-host');
    const runDir = path.join(dataDir, 'haproxy');
    // No watchdog within the test: it would start the killed master again.
    const haproxy = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY, pollIntervalMs: 3_600_000 });
    try {
      await haproxy.apply(loadBalancer(VIP, [listener(await freePort(VIP), { protocol: 'TCP' })], []));
      const [id] = fs.readdirSync(runDir);
      assert.deepEqual([vrrpCheck(dataDir).status, vrrpCheck(dataDir).stderr], [0, '']);
      const pid = haproxy.runtimeInfo(id)!.masterPid!;
      process.kill(-pid, 'SIGKILL');
      await gone(pid);
      const failing = vrrpCheck(dataDir);
      assert.equal(failing.status, 1);
      assert.equal(
        failing.stderr,
        `haproxy master (pid file ${path.join(runDir, id, 'haproxy.pid')}) is not running\n`,
      );
      // An agent starting on the data dir forgets it (HAProxy leaves its pid file when it stops).
      assert.deepEqual(forgetStoppedHaproxyMasters(dataDir), [path.join(runDir, id, 'haproxy.pid')]);
      assert.deepEqual([vrrpCheck(dataDir).status, vrrpCheck(dataDir).stderr], [0, '']);
    } finally {
      await haproxy.close();
    }
  });

  it('needs --data-dir', () => {
    const result = spawnSync(process.execPath, [SLUICE, 'vrrp-check'], { encoding: 'utf8', timeout: 10_000 });
    assert.deepEqual([result.status, result.stderr], [2, 'sluice vrrp-check needs --data-dir DIR\n']);
  });
});
