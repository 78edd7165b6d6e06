// The KeepalivedManager with real keepalived on two "hosts" (network namespaces joined by a veth pair,
// 198.18.<n>.0/24, RFC 2544 benchmarking space), fed Assignments as the server sends them: the preferred host
// becomes MASTER and holds anchor and VIPs, the BACKUP's listener is bound to the VIP through non-local binds
// before it holds it, a reload adds or removes a load balancer's VIP at once, kill -9 moves the VIPs, a
// refused layout errors the grouped load balancers only, and a new manager adopts a running keepalived.
// keepalived's check is the real `sluice vrrp-check` (bin/sluice.js runs dist/: `npm run build` first).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  NetnsPair,
  skipWithoutKeepalivedPair,
  waitFor,
} from '../../../test/helpers/netns/keepalived-pair.ts';
import type { Assignment } from '../../model/agent-protocol.ts';
import { listener, loadBalancer } from '../desired-test-builders.ts';
import { KeepalivedManager } from './keepalived-manager.ts';
import { KEEPALIVED } from './keepalived-test-fixtures.ts';

const SLUICE = path.resolve(import.meta.dirname, '../../../bin/sluice.js');
const skip =
  skipWithoutKeepalivedPair() ||
  (fs.existsSync(path.resolve(import.meta.dirname, '../../../dist/bin/sluice.js'))
    ? false
    : 'dist/ is missing: run `npm run build` (keepalived runs `sluice vrrp-check`)');

const subnet = 1 + ((process.pid + 97) % 254);
const tag = `${process.pid % 100000}`;
const pair = new NetnsPair(`vrrpagt-${tag}`, `vag${tag}`, subnet);
const hosts = pair.hosts;
const ANCHOR = `198.18.${subnet}.250`;
const VIP1 = `198.18.${subnet}.10`;
const VIP2 = `198.18.${subnet}.11`;
const PORT = 8080;
const GROUP = 'vrrp_7_0a1b2c3d';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vrrpagt-manager-'));
const managers: KeepalivedManager[] = [];
const children: ChildProcess[] = [];

async function teardown(): Promise<void> {
  for (const child of children) child.kill('SIGKILL');
  for (const made of managers) await made.stop().catch(() => {});
  pair.remove();
  fs.rmSync(root, { recursive: true, force: true });
}

const dataDir = (index: 0 | 1) => path.join(root, `host-${index}`);

function manager(index: 0 | 1): KeepalivedManager {
  const made = new KeepalivedManager({
    dataDir: dataDir(index),
    binary: KEEPALIVED,
    hostId: `host-${index}`,
    mappings: new Map([['physnet1', hosts[index].dev]]),
    checkCommand: [process.execPath, SLUICE, 'vrrp-check', '--data-dir', dataDir(index)],
    namespace: hosts[index].ns,
  });
  managers.push(made);
  return made;
}

/** What the server sends host `index` for a load balancer in the group: this host's view of it. */
function assignment(index: 0 | 1, id: string, vip: string, anchor = ANCHOR): Assignment {
  return {
    provider: 'native',
    desired: loadBalancer(id, vip, [listener(`${id}-l`, PORT, { protocol: 'TCP' })], [], {
      topology: 'ACTIVE_STANDBY',
    }),
    vrrp: {
      role: index === 0 ? 'MASTER' : 'BACKUP',
      group: {
        name: GROUP,
        physnet: 'physnet1',
        vrid: 7,
        priority: index === 0 ? 150 : 100,
        sourceAddress: hosts[index].address,
        peers: [hosts[1 - index].address],
        anchor,
      },
    },
  };
}

const addresses = (index: 0 | 1) => pair.addresses(index);
const holds = (index: 0 | 1, wanted: readonly string[]) => wanted.every((a) => addresses(index).includes(a));

/** Runs a small Node program in host `index`'s namespace; resolves with its first line of output. */
function inHost(index: 0 | 1, program: string): Promise<string> {
  const child = spawn('ip', ['netns', 'exec', hosts[index].ns, process.execPath, '-e', program], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`program exited (${code}) before answering: ${out}`)));
  });
}

const listenOnVip1 = `const s = require('node:net').createServer((c) => c.end('served by b\\n'));
s.on('error', (e) => { console.log(e.code); process.exit(0); });
s.listen(${PORT}, '${VIP1}', () => console.log('listening'));`;
const connectToVip1 = `const c = require('node:net').connect(${PORT}, '${VIP1}');
c.on('data', (d) => { process.stdout.write(String(d)); process.exit(0); });
c.on('error', (e) => { console.log(e.code); process.exit(0); });`;
const setSysctl = (index: 0 | 1, value: 0 | 1) => {
  for (const family of ['ipv4', 'ipv6'])
    execFileSync('ip', [
      'netns',
      'exec',
      hosts[index].ns,
      'sysctl',
      '-qw',
      `net.${family}.ip_nonlocal_bind=${value}`,
    ]);
};

describe('keepalived manager on a two-namespace pair', { skip }, () => {
  after(teardown);
  let a: KeepalivedManager;
  let b: KeepalivedManager;

  it('makes the preferred host MASTER with anchor and VIP, the other a hot BACKUP whose listener is bound before it holds the VIP', async () => {
    pair.create();
    a = manager(0);
    b = manager(1);
    assert.deepEqual(await a.sync([assignment(0, 'lb-1', VIP1)]), new Map());
    assert.ok(await waitFor(() => a.states()['lb-1'] === 'MASTER' && holds(0, [ANCHOR, VIP1]), 8000));
    assert.deepEqual(await b.sync([assignment(1, 'lb-1', VIP1)]), new Map());
    // FAULT until `sluice vrrp-check` passed `rise` (2) times, then BACKUP: the MASTER is there already.
    assert.ok(await waitFor(() => b.states()['lb-1'] === 'BACKUP', 8000), `b is ${b.states()['lb-1']}`);
    assert.deepEqual(addresses(1), [hosts[1].address]);
    // keepalived runs `sluice vrrp-check` in the host's namespace, and it passes (no data plane is broken).
    assert.ok(
      await waitFor(
        () => /Script\(sluice_dataplane\) succeeded/.test(fs.readFileSync(b.process.paths.log, 'utf8')),
        5000,
      ),
      fs.readFileSync(b.process.paths.log, 'utf8'),
    );

    // Without non-local binds, a listener cannot bind the VIP the BACKUP does not hold; with them it can.
    setSysctl(1, 0);
    assert.equal(await inHost(1, listenOnVip1), 'EADDRNOTAVAIL');
    setSysctl(1, 1);
    assert.equal(await inHost(1, listenOnVip1), 'listening');
  });

  it('adds a load balancer VIP to the MASTER at once by reload, and removes it again', async () => {
    const pid = a.process.pid;
    const started = performance.now();
    assert.deepEqual(await a.sync([assignment(0, 'lb-1', VIP1), assignment(0, 'lb-2', VIP2)]), new Map());
    const added = await waitFor(() => holds(0, [VIP2]), 3000);
    assert.ok(added !== undefined, 'the reload did not add the VIP');
    console.log(`VIP added by reload: ${Math.round(performance.now() - started)} ms after sync began`);
    assert.deepEqual(await b.sync([assignment(1, 'lb-1', VIP1), assignment(1, 'lb-2', VIP2)]), new Map());
    assert.equal(a.process.pid, pid, 'keepalived was restarted instead of reloaded');
    assert.equal(a.states()['lb-2'], 'MASTER');
    assert.equal(b.states()['lb-2'], 'BACKUP');
    assert.ok(!holds(1, [VIP2]));

    assert.deepEqual(await a.sync([assignment(0, 'lb-1', VIP1)]), new Map());
    assert.ok(await waitFor(() => !addresses(0).includes(VIP2), 3000), 'the reload did not remove the VIP');
    assert.ok(holds(0, [ANCHOR, VIP1]));
    assert.deepEqual(await b.sync([assignment(1, 'lb-1', VIP1)]), new Map());
    assert.equal(a.process.pid, pid);
    assert.deepEqual(a.states(), { 'lb-1': 'MASTER' });
  });

  it('errors only the grouped load balancers when keepalived refuses their layout, and keeps serving the last one', async () => {
    const pid = b.process.pid;
    const ungrouped: Assignment = {
      provider: 'native',
      desired: loadBalancer('lb-plain', '127.0.0.9', [], []),
    };
    const failed = await b.sync([assignment(1, 'lb-1', VIP1, 'not-an-address'), ungrouped]);
    assert.deepEqual([...failed.keys()], ['lb-1']);
    assert.match(failed.get('lb-1')!, /^keepalived: .*anchor 'not-an-address' is not an IP address/);
    const unmapped = assignment(1, 'lb-3', VIP2);
    const refused = await b.sync([
      assignment(1, 'lb-1', VIP1),
      {
        ...unmapped,
        vrrp: {
          ...unmapped.vrrp!,
          group: { ...unmapped.vrrp!.group, name: 'vrrp_9_00000000', vrid: 9, physnet: 'elsewhere' },
        },
      },
    ]);
    assert.deepEqual(
      [...refused],
      [['lb-3', "VRRP group vrrp_9_00000000: no --interface-mapping for physical network 'elsewhere'"]],
    );
    assert.equal(b.process.pid, pid);
    assert.equal(b.states()['lb-1'], 'BACKUP');
  });

  it('moves anchor and VIP to the BACKUP when the MASTER keepalived is killed, where the early listener serves', async () => {
    const killedAt = performance.now();
    process.kill(-a.process.pid!, 'SIGKILL');
    const moved = await waitFor(() => holds(1, [ANCHOR, VIP1]), 5000);
    assert.ok(moved !== undefined, 'the BACKUP never took the VIPs');
    console.log(
      `VIPs on the BACKUP ${Math.round(performance.now() - killedAt)} ms after kill -9 of the MASTER`,
    );
    assert.ok(await waitFor(() => b.states()['lb-1'] === 'MASTER', 2000));
    assert.equal(await inHost(1, connectToVip1), 'served by b');
  });

  it('is adopted by a new manager on the same data dir, which reloads nothing for the same set and stops keepalived when no group is left', async () => {
    const pid = b.process.pid;
    const again = manager(1);
    assert.equal(again.adopted, true);
    assert.equal(again.process.pid, pid);
    const log = fs.readFileSync(again.process.paths.log, 'utf8');
    assert.deepEqual(await again.sync([assignment(1, 'lb-1', VIP1)]), new Map());
    assert.equal(fs.readFileSync(again.process.paths.log, 'utf8'), log, 'an unchanged layout was reloaded');
    assert.deepEqual(again.states(), { 'lb-1': 'MASTER' });
    assert.deepEqual(await again.sync([]), new Map());
    assert.equal(again.process.alive(), false);
    assert.deepEqual(again.states(), {});
    assert.ok(
      await waitFor(() => !holds(1, [ANCHOR]) && !holds(1, [VIP1]), 3000),
      'a stopped keepalived left its VIPs',
    );
  });
});
