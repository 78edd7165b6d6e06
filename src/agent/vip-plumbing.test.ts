// VIP plumbing against the real `ip` command, inside a network namespace this test creates (with a veth
// pair), so the host's own interfaces are never touched. Skips when namespaces are not available.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import { type IpCommand, isLoopback, parseInterfaceMappings, VipPlumbing } from './vip-plumbing.ts';

const run = promisify(execFile);
const NS = `sluice-vip-${process.pid}`;
const canUseNetns = (() => {
  try {
    execFileSync('ip', ['netns', 'add', NS], { stdio: 'ignore' });
    execFileSync('ip', ['-n', NS, 'link', 'add', 'vip0', 'type', 'veth', 'peer', 'name', 'vip1'], {
      stdio: 'ignore',
    });
    execFileSync('ip', ['-n', NS, 'link', 'set', 'vip0', 'up'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const skip = canUseNetns ? false : 'needs `ip netns` and CAP_NET_ADMIN (run as root with iproute2 installed)';
const inNamespace: IpCommand = async (args) => {
  await run('ip', ['-n', NS, ...args]);
};
const addresses = async () => (await run('ip', ['-n', NS, '-o', 'addr', 'show', 'dev', 'vip0'])).stdout;
const desired = (address: string, additional: string[] = []) =>
  ({
    id: 'lb-1',
    vip: { address, additional: additional.map((a) => ({ address: a, subnetId: 's' })) },
  }) as unknown as DesiredLoadBalancer;

describe('VIP plumbing', () => {
  after(() => {
    if (canUseNetns) execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  });

  it('parses interface mappings and refuses malformed ones', () => {
    assert.deepEqual(
      [...parseInterfaceMappings(['physnet1:eth1,ext:eth2', 'p3:eth3'])],
      [
        ['physnet1', 'eth1'],
        ['ext', 'eth2'],
        ['p3', 'eth3'],
      ],
    );
    assert.throws(() => parseInterfaceMappings(['eth1']), /invalid interface mapping 'eth1'/);
  });

  it('treats 127/8 and ::1 as local already', () => {
    assert.equal(isLoopback('127.77.0.5'), true);
    assert.equal(isLoopback('::1'), true);
    assert.equal(isLoopback('10.0.0.5'), false);
  });

  it('adds a non-loopback VIP and its additional addresses to the mapped interface, and removes them', {
    skip,
  }, async () => {
    const plumbing = new VipPlumbing(new Map([['physnet1', 'vip0']]), inNamespace);
    await plumbing.ensure(desired('10.99.0.5', ['10.99.0.6']));
    assert.match(await addresses(), /10\.99\.0\.5\/32/);
    assert.match(await addresses(), /10\.99\.0\.6\/32/);
    await plumbing.ensure(desired('10.99.0.5'));
    assert.doesNotMatch(await addresses(), /10\.99\.0\.6/);
    await plumbing.release('lb-1');
    assert.doesNotMatch(await addresses(), /10\.99\.0\.5/);
  });

  it('refuses a non-loopback VIP when no interface is mapped, and reports what ip said', {
    skip,
  }, async () => {
    await assert.rejects(new VipPlumbing(new Map(), inNamespace).ensure(desired('10.99.0.7')), {
      message: /VIP 10\.99\.0\.7 is not a loopback address and no --interface-mapping names an interface/,
    });
    await assert.rejects(
      new VipPlumbing(new Map([['default', 'nope0']]), inNamespace).ensure(desired('10.99.0.8')),
      {
        message: /cannot add VIP 10\.99\.0\.8 to nope0: .+/,
      },
    );
  });
});
