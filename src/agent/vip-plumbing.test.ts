// VIP plumbing against the real `ip` and `arping` commands, inside network namespaces this test creates (a
// veth pair between them), so the host's own interfaces are never touched. Skips when namespaces are not
// available.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import { VipLedger } from './vip-ledger.ts';
import {
  arpingAnnouncer,
  type IpCommand,
  isLoopback,
  parseInterfaceMappings,
  VipPlumbing,
} from './vip-plumbing.ts';

const run = promisify(execFile);
const NS = `sluice-vip-${process.pid}`;
/** the neighbour on the other end of vip0 (its vip1), which sees what vip0 announces */
const PEER = `sluice-vip-peer-${process.pid}`;
const canUseNetns = (() => {
  try {
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'ignore' });
    ip('netns', 'add', NS);
    ip('netns', 'add', PEER);
    ip('-n', NS, 'link', 'add', 'vip0', 'type', 'veth', 'peer', 'name', 'vip1', 'netns', PEER);
    ip('-n', NS, 'addr', 'add', '198.18.250.1/24', 'dev', 'vip0');
    ip('-n', NS, 'link', 'set', 'vip0', 'up');
    ip('-n', PEER, 'addr', 'add', '198.18.250.2/24', 'dev', 'vip1');
    ip('-n', PEER, 'link', 'set', 'vip1', 'up');
    return true;
  } catch {
    return false;
  }
})();
const skip = canUseNetns ? false : 'needs `ip netns` and CAP_NET_ADMIN (run as root with iproute2 installed)';
const inNamespace: IpCommand = async (args) => {
  await run('ip', ['-n', NS, ...args]);
};
const inNamespaceArping = arpingAnnouncer(['ip', 'netns', 'exec', NS]);
const addresses = async () => (await run('ip', ['-n', NS, '-o', 'addr', 'show', 'dev', 'vip0'])).stdout;
const desired = (address: string, additional: string[] = []) =>
  ({
    id: 'lb-1',
    vip: { address, additional: additional.map((a) => ({ address: a, subnetId: 's' })) },
  }) as unknown as DesiredLoadBalancer;

describe('VIP plumbing', () => {
  after(() => {
    if (!canUseNetns) return;
    for (const ns of [NS, PEER]) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
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
    // Its announcements may still run when the addresses go: quiet here, the next test checks them.
    const plumbing = new VipPlumbing(
      new Map([['physnet1', 'vip0']]),
      inNamespace,
      inNamespaceArping,
      () => {},
    );
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
    await assert.rejects(
      new VipPlumbing(new Map(), inNamespace, inNamespaceArping).ensure(desired('10.99.0.7')),
      {
        message: /VIP 10\.99\.0\.7 is not a loopback address and no --interface-mapping names an interface/,
      },
    );
    await assert.rejects(
      new VipPlumbing(new Map([['default', 'nope0']]), inNamespace, inNamespaceArping).ensure(
        desired('10.99.0.8'),
      ),
      {
        message: /cannot add VIP 10\.99\.0\.8 to nope0: .+/,
      },
    );
  });

  it('announces a newly added VIP with gratuitous ARP: a neighbour holding another MAC for it moves to this one', {
    skip,
  }, async () => {
    const vip = '198.18.250.77';
    const mac = (await run('ip', ['-n', NS, '-o', 'link', 'show', 'vip0'])).stdout.match(/ether (\S+)/)![1];
    // The neighbour still believes the VIP is at a dead host's MAC, as a client does after a failover.
    await run('ip', [
      '-n',
      PEER,
      'neigh',
      'replace',
      vip,
      'lladdr',
      '02:00:00:00:00:01',
      'dev',
      'vip1',
      'nud',
      'stale',
    ]);
    const warnings: Error[] = [];
    const plumbing = new VipPlumbing(new Map([['physnet1', 'vip0']]), inNamespace, inNamespaceArping, (e) =>
      warnings.push(e),
    );
    await plumbing.ensure({ ...desired(vip), id: 'lb-garp' } as DesiredLoadBalancer);
    const deadline = Date.now() + 5000;
    let neighbour = '';
    while (Date.now() < deadline && !neighbour.includes(mac)) {
      neighbour = (await run('ip', ['-n', PEER, 'neigh', 'show', vip, 'dev', 'vip1'])).stdout;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(neighbour, new RegExp(`lladdr ${mac}`));
    assert.deepEqual(warnings, []);
    await plumbing.release('lb-garp');
  });

  it('reports an announcement that cannot be sent without failing the apply', { skip }, async () => {
    const warnings: Error[] = [];
    const failing = arpingAnnouncer(['ip', 'netns', 'exec', NS, 'false']);
    const plumbing = new VipPlumbing(new Map([['physnet1', 'vip0']]), inNamespace, failing, (e) =>
      warnings.push(e),
    );
    await plumbing.ensure({ ...desired('198.18.250.78'), id: 'lb-quiet' } as DesiredLoadBalancer);
    assert.match(await addresses(), /198\.18\.250\.78\/32/);
    const deadline = Date.now() + 5000;
    while (warnings.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(warnings[0]?.message ?? '', /^cannot announce VIP 198\.18\.250\.78 on vip0: /);
    await plumbing.release('lb-quiet');
  });

  it('withdraws the addresses of a fenced interface from the kernel and the ledger, and adds and announces them again once ensured unfenced', {
    skip,
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-vip-fence-'));
    const ledger = new VipLedger(path.join(dir, 'vips.json'));
    const announced: string[] = [];
    const plumbing = new VipPlumbing(
      new Map([['physnet1', 'vip0']]),
      inNamespace,
      async (iface, address) => void announced.push(`${address} on ${iface}`),
      () => {},
      ledger,
    );
    const lb = { ...desired('10.99.2.1', ['10.99.2.2']), id: 'lb-fenced' } as DesiredLoadBalancer;
    await plumbing.ensure(lb);
    await plumbing.fence('vip0');
    assert.doesNotMatch(await addresses(), /10\.99\.2\./);
    assert.deepEqual(ledger.load(), []);
    assert.equal(plumbing.isWithdrawn('lb-fenced'), true);
    // Ensured while fenced (a set that came meanwhile), then unfenced: still out until ensured again.
    await plumbing.ensure(lb);
    plumbing.unfence('vip0');
    assert.doesNotMatch(await addresses(), /10\.99\.2\./);
    await plumbing.ensure(lb);
    assert.match(await addresses(), /10\.99\.2\.1\/32/);
    assert.match(await addresses(), /10\.99\.2\.2\/32/);
    assert.equal(plumbing.isWithdrawn('lb-fenced'), false);
    assert.deepEqual(announced, [
      '10.99.2.1 on vip0',
      '10.99.2.2 on vip0',
      '10.99.2.1 on vip0',
      '10.99.2.2 on vip0',
    ]);
    assert.equal(ledger.load().length, 2);
    await plumbing.release('lb-fenced');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forgets the withdrawn addresses of a load balancer released while fenced', { skip }, async () => {
    const plumbing = new VipPlumbing(
      new Map([['physnet1', 'vip0']]),
      inNamespace,
      async () => {},
      () => {},
    );
    await plumbing.ensure({ ...desired('10.99.2.3'), id: 'lb-gone' } as DesiredLoadBalancer);
    await plumbing.fence('vip0');
    await plumbing.releaseOthers(new Set());
    assert.equal(plumbing.isWithdrawn('lb-gone'), false);
    plumbing.unfence('vip0');
    assert.doesNotMatch(await addresses(), /10\.99\.2\.3/);
  });

  it('lets a later process on the same ledger keep the desired addresses an earlier one added and remove the rest', {
    skip,
  }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-vip-plumbing-'));
    const file = path.join(dir, 'vips.json');
    const quiet = () => {};
    const silent = async () => {};
    const mappings = new Map([['physnet1', 'vip0']]);
    const earlier = new VipPlumbing(mappings, inNamespace, silent, quiet, new VipLedger(file));
    await earlier.ensure({ ...desired('10.99.1.1'), id: 'lb-kept' } as DesiredLoadBalancer);
    await earlier.ensure({ ...desired('10.99.1.2', ['10.99.1.3']), id: 'lb-moved' } as DesiredLoadBalancer);
    // The earlier process is killed: nothing released, the addresses stay in the kernel.
    const later = new VipPlumbing(mappings, inNamespace, silent, quiet, new VipLedger(file), (e) => {
      throw e;
    });
    await later.ensure({ ...desired('10.99.1.1'), id: 'lb-kept' } as DesiredLoadBalancer);
    await later.releaseOthers(new Set(['lb-kept']));
    assert.match(await addresses(), /10\.99\.1\.1\/32/);
    assert.doesNotMatch(await addresses(), /10\.99\.1\.[23]\//);
    assert.deepEqual(new VipLedger(file).load(), [
      { loadBalancerId: 'lb-kept', address: '10.99.1.1', iface: 'vip0' },
    ]);
    await later.release('lb-kept');
    assert.doesNotMatch(await addresses(), /10\.99\.1\.1\//);
    assert.deepEqual(new VipLedger(file).load(), []);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
