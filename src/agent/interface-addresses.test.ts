// The addresses a keepalived agent registers, read from a real interface (a veth pair in a network namespace
// this test creates, 198.18.201.0/24, RFC 2544 benchmarking space) with the real `ip -j`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { netnsSkipReason } from '../../test/helpers/netns/netns-skip.ts';
import { primaryIpv4, vrrpAddresses } from './interface-addresses.ts';

const NS = `vrrpagt-${process.pid}-addr`;
const skip = netnsSkipReason();
const ip = (...args: string[]) => execFileSync('ip', ['-n', NS, ...args], { stdio: 'pipe' });
const inNs = ['-n', NS];

describe('interface addresses for VRRP registration', { skip }, () => {
  after(() => spawnSync('ip', ['netns', 'del', NS]));

  it("registers each mapped interface's own primary IPv4, not a /32 VIP or a secondary, and leaves out one without", async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    ip('link', 'add', 'vag0', 'type', 'veth', 'peer', 'name', 'vag1');
    for (const dev of ['vag0', 'vag1']) ip('link', 'set', dev, 'up');
    // A VIP keepalived added before the host address (as after a restart on a MASTER), then a secondary.
    ip('addr', 'add', '198.18.201.10/32', 'dev', 'vag0');
    ip('addr', 'add', '198.18.201.1/24', 'dev', 'vag0');
    ip('addr', 'add', '198.18.201.2/24', 'dev', 'vag0');
    assert.equal(await primaryIpv4('vag0', inNs), '198.18.201.1');
    assert.equal(await primaryIpv4('vag1', inNs), undefined);
    assert.deepEqual(
      await vrrpAddresses(
        new Map([
          ['physnet1', 'vag0'],
          ['physnet2', 'vag1'],
        ]),
        inNs,
      ),
      { physnet1: '198.18.201.1' },
    );
  });

  it('says which interface it cannot read', async () => {
    await assert.rejects(
      primaryIpv4('vag9', inNs),
      /^Error: cannot read the addresses of vag9: Device "vag9" does not exist\.$/,
    );
  });
});
