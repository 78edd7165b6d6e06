// The haproxy provider's process lifecycle with a real HAProxy on 127.0.43.x: refused configurations keep the
// old one serving, a failed reload rolls back, a killed master is restarted, a stopped backend is reported DOWN,
// remove() leaves nothing behind, and unsupported documents are refused before anything runs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DesiredLoadBalancer } from '../../model/desired-state.ts';
import { HaproxyProvider } from './haproxy-provider.ts';
import {
  type Backend,
  freePort,
  get,
  HAPROXY,
  httpBackend,
  listener,
  loadBalancer,
  member,
  monitor,
  pool,
  skipWithoutHaproxy,
  waitFor,
} from './haproxy-test-fixtures.ts';

const VIP = '127.0.43.10';
/** Revision 667 adds a UNIX bind in a directory that does not exist. */
const UNBINDABLE = 667;
const NO_DIR = '/nonexistent-sluice-dir';

describe('haproxy provider lifecycle', { skip: skipWithoutHaproxy }, () => {
  const runDir = path.join(os.tmpdir(), `sluice-hap-${process.pid}-lifecycle`);
  // Revision 666 gets a keyword HAProxy does not know: a configuration `haproxy -c` refuses.
  const provider = new HaproxyProvider({
    runDir,
    haproxyBinary: HAPROXY,
    render: (desired, text) => {
      if (desired.revision === 666) return `${text}    no-such-keyword here\n`;
      if (desired.revision === UNBINDABLE)
        return `${text}frontend unbindable\n    bind ${NO_DIR}/x.sock\n    mode tcp\n`;
      return text;
    },
  });
  let a: Backend;
  let b: Backend;
  const doc = (id: string, port: number, revision = 1, extra: Partial<DesiredLoadBalancer> = {}) =>
    loadBalancer(
      id,
      VIP,
      [listener('l1', port, { defaultPoolId: 'p1' })],
      [pool('p1', [member('ma', a.address, a.port), member('mb', b.address, b.port)])],
      { revision, ...extra },
    );

  before(async () => {
    a = await httpBackend('a', '127.0.43.1');
    b = await httpBackend('b', '127.0.43.2');
  });
  after(async () => {
    await provider.close();
    await Promise.all([a.close(), b.close()]);
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it("keeps the old configuration serving and rejects with HAProxy's message when haproxy -c refuses", async () => {
    const port = await freePort(VIP);
    await provider.apply(doc('lb-refused', port));
    const file = path.join(runDir, 'lb-refused', 'haproxy.cfg');
    const good = fs.readFileSync(file, 'utf8');
    await assert.rejects(provider.apply(doc('lb-refused', port, 666)), /unknown keyword 'no-such-keyword'/);
    assert.equal(fs.readFileSync(file, 'utf8'), good, 'the live file is untouched');
    assert.equal((await get(VIP, port)).status, 200);
  });

  it("rolls back to the last good configuration when the reload fails, with HAProxy's message", async () => {
    const port = await freePort(VIP);
    await provider.apply(doc('lb-rollback', port));
    const pid = provider.runtimeInfo('lb-rollback')!.masterPid;
    // A bind HAProxy cannot make: `haproxy -c` accepts the file, binding fails during the reload.
    await assert.rejects(
      provider.apply(doc('lb-rollback', port, UNBINDABLE)),
      /cannot bind UNIX socket \(No such file or directory\)/,
    );
    const dir = path.join(runDir, 'lb-rollback');
    assert.equal(
      fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'),
      fs.readFileSync(path.join(dir, 'haproxy.cfg.last-good'), 'utf8'),
    );
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'haproxy.cfg'), 'utf8'), /frontend unbindable/);
    assert.equal(provider.runtimeInfo('lb-rollback')!.masterPid, pid, 'the same master still runs');
    assert.equal((await get(VIP, port)).status, 200);
    await provider.apply(doc('lb-rollback', port, 3));
  });

  it('restarts a killed HAProxy master and counts the restart', async () => {
    const port = await freePort(VIP);
    await provider.apply(doc('lb-crash', port));
    const { masterPid } = provider.runtimeInfo('lb-crash')!;
    process.kill(masterPid!, 'SIGKILL');
    const info = await waitFor(
      () => provider.runtimeInfo('lb-crash')!,
      (i) => i.restarts === 1 && i.masterPid !== masterPid && i.lastError === undefined,
      5000,
    );
    assert.equal(info.restarts, 1, JSON.stringify(info));
    assert.notEqual(info.masterPid, masterPid);
    const status = await waitFor(
      () =>
        get(VIP, port).then(
          (r) => r.status,
          () => 0,
        ),
      (s) => s === 200,
      3000,
    );
    assert.equal(status, 200);
  });

  it('adopts the HAProxy an earlier provider process left running in the same run directory', async () => {
    const port = await freePort(VIP);
    await provider.apply(doc('lb-adopted', port));
    const { masterPid } = provider.runtimeInfo('lb-adopted')!;
    const successor = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
    try {
      await successor.apply(doc('lb-adopted', port, 2));
      const info = successor.runtimeInfo('lb-adopted')!;
      assert.equal(info.masterPid, masterPid, 'no second HAProxy was started');
      assert.equal(info.reloads, 1);
      assert.equal((await get(VIP, port)).status, 200);
    } finally {
      await successor.remove('lb-adopted');
      await provider.remove('lb-adopted'); // the first provider forgets it too
    }
  });

  it('settles by stopping the HAProxy of a load balancer left running that the successor was not asked to serve', async () => {
    const kept = await freePort(VIP);
    const gone = await freePort(VIP);
    await provider.apply(doc('lb-kept', kept));
    await provider.apply(doc('lb-gone', gone));
    const goneInfo = provider.runtimeInfo('lb-gone')!;
    const keptPid = provider.runtimeInfo('lb-kept')!.masterPid;
    const successor = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
    try {
      await successor.apply(doc('lb-kept', kept));
      await successor.settle();
      assert.equal(successor.runtimeInfo('lb-kept')!.masterPid, keptPid, 'the desired one serves on');
      assert.equal((await get(VIP, kept)).status, 200);
      assert.throws(() => process.kill(goneInfo.masterPid!, 0), /ESRCH/, 'the left-over HAProxy is stopped');
      assert.equal(fs.existsSync(path.join(runDir, 'lb-gone')), false, 'and its files are gone');
    } finally {
      await successor.remove('lb-kept');
      await provider.remove('lb-kept');
      await provider.remove('lb-gone');
    }
  });

  it('reports a stopped backend DOWN within its health-check window', async () => {
    const port = await freePort(VIP);
    const c = await httpBackend('c', '127.0.43.3');
    const base = doc('lb-health', port);
    const checked = {
      ...base,
      pools: [
        pool('p1', [member('ma', a.address, a.port), member('mc', c.address, c.port)], {
          healthMonitor: monitor('hm', {
            type: 'TCP',
            delay: 1,
            timeout: 1,
            maxRetries: 1,
            maxRetriesDown: 1,
          }),
        }),
      ],
    };
    await provider.apply(checked);
    const up = await waitFor(
      () => provider.report('lb-health'),
      (r) => r?.pools.p1?.members.mc === 'UP',
      3000,
    );
    assert.deepEqual(up?.pools.p1, { status: 'UP', members: { ma: 'UP', mc: 'UP' }, counters: {} });
    await c.close();
    // inter 1 s × fall 1, plus one poll and a margin for two busy cores
    const down = await waitFor(
      () => provider.report('lb-health'),
      (r) => r?.pools.p1?.members.mc === 'DOWN',
      4000,
    );
    assert.deepEqual(down?.pools.p1, { status: 'UP', members: { ma: 'UP', mc: 'DOWN' }, counters: {} });
    assert.equal(down?.listeners.l1?.status, 'OPEN');
  });

  it('refuses an unsupported document with the words of a 501 and starts nothing', async () => {
    const base = doc('lb-udp', await freePort(VIP));
    const udp = { ...base, listeners: [listener('lu', 53, { protocol: 'UDP' })] };
    await assert.rejects(provider.apply(udp), (error: Error & { status?: number }) => {
      assert.equal(error.status, 501);
      assert.match(
        error.message,
        /Provider 'haproxy' does not support a requested option: listener protocol UDP/,
      );
      return true;
    });
    assert.equal(fs.existsSync(path.join(runDir, 'lb-udp', 'haproxy.pid')), false);
  });

  it('leaves no process and no directory after remove()', async () => {
    const port = await freePort(VIP);
    await provider.apply(doc('lb-removed', port));
    const { masterPid } = provider.runtimeInfo('lb-removed')!;
    await provider.remove('lb-removed');
    assert.equal(fs.existsSync(path.join(runDir, 'lb-removed')), false);
    assert.equal(provider.runtimeInfo('lb-removed'), undefined);
    assert.throws(() => process.kill(-masterPid!, 0), /ESRCH/, 'no process of its group is left');
    await assert.rejects(get(VIP, port), /ECONNREFUSED/);
    await provider.remove('lb-removed'); // idempotent
  });

  it('refuses to serve an address and port another process holds with SO_REUSEPORT, instead of sharing its traffic', async () => {
    // What an HAProxy left running by an agent killed with -9 looks like to the kernel: a listener with
    // SO_REUSEPORT on the VIP and port (HAProxy 2.6 manual §3.1 `noreuseport`).
    const port = await freePort(VIP);
    const stale = net.createServer((socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nstale'));
    await new Promise<void>((resolve) => stale.listen({ host: VIP, port, reusePort: true }, resolve));
    try {
      await assert.rejects(
        provider.apply(doc('lb-held', port)),
        new RegExp(
          `cannot listen on ${VIP.replaceAll('.', '\\.')}:${port}: the address and port are already in use by another process`,
        ),
      );
      assert.equal(provider.runtimeInfo('lb-held')?.masterPid, undefined, 'no HAProxy was started beside it');
    } finally {
      await new Promise((resolve) => stale.close(resolve));
    }
    // Once the address is free, the same document applies (the agent retries the change).
    await provider.apply(doc('lb-held', port, 2));
    assert.equal((await get(VIP, port)).status, 200);
    await provider.remove('lb-held');
  });
});
