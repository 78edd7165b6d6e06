// Non-local binds enabled by the agent's own code in a fresh network namespace (the sysctls are per namespace):
// before, neither a Node listener nor HAProxy can bind an address the namespace does not hold; after, both can.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { netnsSkipReason } from '../../test/helpers/netns/netns-skip.ts';

const NS = `vrrpagt-${process.pid}-bind`;
const MODULE = path.resolve(import.meta.dirname, 'nonlocal-bind.ts');
const HAPROXY = '/usr/sbin/haproxy';
const skip = netnsSkipReason();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrrpagt-bind-'));
const VIP = '198.18.202.10';

const inNs = (...argv: string[]) =>
  spawnSync('ip', ['netns', 'exec', NS, ...argv], { encoding: 'utf8', timeout: 15_000 });
const sysctl = (family: string) => inNs('sysctl', '-n', `net.${family}.ip_nonlocal_bind`).stdout.trim();
/** Binds a TCP listener to the VIP in the namespace; prints `listening` or the error code. */
const nodeBind = () =>
  inNs(
    process.execPath,
    '-e',
    `const s = require('node:net').createServer(); s.on('error', (e) => { console.log(e.code); process.exit(); });
     s.listen(18080, '${VIP}', () => { console.log('listening'); process.exit(); });`,
  ).stdout.trim();
/** Starts HAProxy bound to the VIP in the namespace (daemon, then stopped): its exit status and alerts. */
function haproxyBind(): { ok: boolean; output: string } {
  const cfg = path.join(dir, 'haproxy.cfg');
  const pidFile = path.join(dir, 'haproxy.pid');
  fs.writeFileSync(
    cfg,
    `defaults\n  mode tcp\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\nfrontend f\n  bind ${VIP}:18081\n`,
  );
  const result = inNs(HAPROXY, '-D', '-f', cfg, '-p', pidFile);
  if (result.status === 0) process.kill(Number(fs.readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

describe('non-local binds', { skip }, () => {
  after(() => {
    spawnSync('ip', ['netns', 'del', NS]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('let listeners bind a VIP the namespace does not hold yet once the agent enabled them', () => {
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    assert.equal(nodeBind(), 'EADDRNOTAVAIL');
    const haproxy = fs.existsSync(HAPROXY);
    if (haproxy) assert.match(haproxyBind().output, /cannot bind socket/);

    const enabled = inNs(
      process.execPath,
      '--input-type=module',
      '-e',
      `import { enableNonlocalBind } from ${JSON.stringify(MODULE)}; enableNonlocalBind();`,
    );
    assert.equal(enabled.status, 0, enabled.stderr);
    assert.deepEqual([sysctl('ipv4'), sysctl('ipv6')], ['1', '1']);
    assert.equal(nodeBind(), 'listening');
    if (haproxy) assert.deepEqual(haproxyBind(), { ok: true, output: '' });
  });

  it('says which sysctl it cannot write', async () => {
    const { enableNonlocalBind } = await import('./nonlocal-bind.ts');
    const missing = path.join(dir, 'no-such-dir', 'ip_nonlocal_bind');
    assert.throws(
      () => enableNonlocalBind([missing]),
      new RegExp(`^Error: cannot enable non-local binds \\(${missing}\\): ENOENT`),
    );
  });
});
