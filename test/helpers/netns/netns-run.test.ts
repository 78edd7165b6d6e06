// The netns harness itself: hosts on one bridge reach each other, a link taken down cuts a host off, a
// run's cleanup leaves no namespace, process or directory behind, and the sweeper removes what a crashed run
// left while keeping live runs. Skips (saying why) without root or `ip netns`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildTopology, setLink } from './bridge-topology.ts';
import { HostProcesses } from './host-processes.ts';
import { ip, ipSync, namespacePids } from './ip-command.ts';
import { NETNS_PREFIX, NetnsRun, OWNER_FILE, RUNS_ROOT } from './netns-run.ts';
import { netnsSkipReason } from './netns-skip.ts';
import { sweepStaleRuns } from './stale-sweeper.ts';

const run = promisify(execFile);
const skip = netnsSkipReason();
const namespaces = () => ipSync(['netns', 'list']);
const ping = (ns: string, address: string) =>
  run('ip', ['netns', 'exec', ns, 'ping', '-c', '1', '-W', '1', address]).then(
    () => true,
    () => false,
  );

describe('netns harness', { skip }, () => {
  it('joins hosts on one bridge in 198.18.0.0/15; a link taken down cuts the host off until it is up again', async () => {
    const netnsRun = new NetnsRun();
    try {
      const topology = await buildTopology(netnsRun, ['a', 'b']);
      const [a, b] = [topology.host('a'), topology.host('b')];
      assert.match(topology.cidr, /^198\.18\.\d{1,3}\.0\/24$/);
      assert.equal(await ping(a.ns, b.address), true);
      await setLink(b, false);
      assert.equal(await ping(a.ns, b.address), false);
      await setLink(b, true);
      assert.equal(await ping(a.ns, b.address), true);
    } finally {
      netnsRun.cleanup();
    }
  });

  it('cleans up every namespace, process and file of the run, and kills a whole host on demand', async () => {
    const netnsRun = new NetnsRun();
    const topology = await buildTopology(netnsRun, ['a', 'b']);
    const processes = new HostProcesses(netnsRun);
    const sleeper = processes.spawn(topology.host('a'), 'sleep', ['sleep', '60']);
    const other = processes.spawn(topology.host('b'), 'sleep', ['sleep', '60']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(namespacePids(topology.host('a').ns).length, 1);
    assert.equal(await processes.killHost(topology.host('a')), 1);
    assert.equal(sleeper.child.signalCode, 'SIGKILL');
    assert.equal(other.child.exitCode, null);
    netnsRun.cleanup();
    await other.exited;
    assert.equal(namespaces().includes(`${NETNS_PREFIX}${netnsRun.id}-`), false);
    assert.equal(fs.existsSync(netnsRun.dir), false);
  });

  it('sweeps namespaces and directories of runs whose owner is gone, and keeps live runs', async () => {
    const live = new NetnsRun();
    await ip(['netns', 'add', live.addNamespace('x')]);
    // A crashed run: its owner file names a process that has exited.
    const dead = await run(process.execPath, ['-e', 'console.log(process.pid)']);
    const staleId = 'dead00';
    fs.mkdirSync(path.join(RUNS_ROOT, staleId), { recursive: true });
    fs.writeFileSync(path.join(RUNS_ROOT, staleId, OWNER_FILE), dead.stdout.trim());
    await ip(['netns', 'add', `${NETNS_PREFIX}${staleId}-x`]);
    try {
      assert.ok(sweepStaleRuns().includes(`${NETNS_PREFIX}${staleId}-x`));
      assert.equal(namespaces().includes(`${NETNS_PREFIX}${staleId}-x`), false);
      assert.equal(fs.existsSync(path.join(RUNS_ROOT, staleId)), false);
      assert.equal(namespaces().includes(live.ns('x')), true);
    } finally {
      live.cleanup();
    }
  });
});
