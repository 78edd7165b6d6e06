// The haproxy provider under deep run directories: socket paths always short enough for HAProxy to bind
// (it binds `<path>.<pid>.tmp` first), a private socket directory that stays the same across agent restarts
// so a successor adopts the running HAProxy, and a real load balancer serving from such a directory (127.0.45.x).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { instancePaths } from './haproxy-process.ts';
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
  pool,
  skipWithoutHaproxy,
} from './haproxy-test-fixtures.ts';

const VIP = '127.0.45.10';
const base = path.join(os.tmpdir(), `sluice-hap-${process.pid}-deep`);

/** A run directory under `base` whose length in bytes is exactly `length` (padded with nested `d…` parts). */
function runDirOfLength(length: number): string {
  let dir = base;
  while (dir.length < length) {
    const left = length - dir.length - 1; // after the separator
    dir = path.join(dir, 'd'.repeat(left <= 40 ? left : Math.min(40, left - 2)));
  }
  assert.equal(dir.length, length);
  return dir;
}

describe('haproxy socket paths', () => {
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it("keeps both sockets within HAProxy's bind limit at every run directory depth, the same on every call", () => {
    const id = randomUUID();
    for (let length = base.length + 2; length <= 200; length += 1) {
      const runDir = runDirOfLength(length);
      const paths = instancePaths(runDir, id);
      for (const socket of [paths.masterSocket, paths.statsSocket]) {
        // HAProxy refuses the bind when `<socket>.<pid>.tmp` and its NUL overflow sun_path (108 bytes).
        const worstTemp = `${socket}.4194304.tmp`;
        assert.ok(
          Buffer.byteLength(worstTemp) <= 107,
          `${worstTemp.length} bytes for a run dir of ${length}`,
        );
      }
      const fits = Buffer.byteLength(`${path.join(runDir, id, 'master.sock')}.4194304.tmp`) <= 107;
      assert.equal(paths.socketDir === paths.dir, fits, 'sockets move only when they must');
      assert.deepEqual(instancePaths(runDir, id), paths, 'stable: a restarted agent finds the same sockets');
    }
  });
});

describe('haproxy provider under a deep run directory', { skip: skipWithoutHaproxy }, () => {
  let web: Backend;
  before(async () => {
    web = await httpBackend('deep', '127.0.45.1');
  });
  after(async () => {
    await web.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  const doc = (id: string, port: number, revision = 1) =>
    loadBalancer(
      id,
      VIP,
      [listener('l1', port, { defaultPoolId: 'p1' })],
      [pool('p1', [member('m1', web.address, web.port)])],
      { revision },
    );

  // 107 bytes to master.sock: the depth where the sockets used to stay in place and HAProxy refused to bind
  // them; 150 characters: a run directory deeper than any socket path.
  const id = randomUUID();
  for (const [what, length] of [
    ['its master socket path is 107 bytes', 107 - `/${id}/master.sock`.length],
    ['it is 150 characters deep', 150],
  ] as const) {
    it(`serves traffic and is adopted after a restart when ${what}`, async () => {
      const runDir = runDirOfLength(length);
      const port = await freePort(VIP);
      const first = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
      const successor = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
      const { socketDir, dir } = instancePaths(runDir, id);
      try {
        await first.apply(doc(id, port));
        assert.equal((await get(VIP, port)).status, 200);
        assert.notEqual(socketDir, dir, 'the sockets live in a short directory');
        assert.equal(fs.statSync(socketDir).mode & 0o777, 0o700, 'the socket directory is private');
        const { masterPid } = first.runtimeInfo(id)!;
        // A restarted agent: a new provider on the same run directory takes the running HAProxy over.
        await successor.apply(doc(id, port, 2));
        assert.equal(successor.runtimeInfo(id)!.masterPid, masterPid, 'adopted, no second HAProxy');
        assert.equal(successor.runtimeInfo(id)!.reloads, 1, 'reloaded through the same master socket');
        assert.equal((await get(VIP, port)).status, 200);
      } finally {
        await successor.remove(id);
        await first.remove(id);
      }
      assert.equal(fs.existsSync(socketDir), false, 'remove() deletes the socket directory');
    });
  }

  it('refuses a socket directory that is a symlink, and starts nothing', async () => {
    const runDir = runDirOfLength(150);
    const lbId = randomUUID();
    const { socketDir } = instancePaths(runDir, lbId);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-hap-elsewhere-'));
    fs.symlinkSync(elsewhere, socketDir);
    const provider = new HaproxyProvider({ runDir, haproxyBinary: HAPROXY });
    try {
      await assert.rejects(
        provider.apply(doc(lbId, await freePort(VIP))),
        /socket directory .* exists and is not a directory of this user; remove it/,
      );
      assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing was written through the link');
    } finally {
      await provider.close();
      fs.rmSync(socketDir, { force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
