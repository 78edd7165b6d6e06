// The link watch with its real sysfs reader, run inside a network namespace this test creates (a veth pair
// in it), so the host's own interfaces are never touched: taking either end down is seen, and so is its return.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ipSync } from '../../test/helpers/netns/ip-command.ts';
import { netnsSkipReason } from '../../test/helpers/netns/netns-skip.ts';
import { until } from '../../test/helpers/netns/until.ts';
import { sysfsCarrier } from './link-watch.ts';

const NS = `sluice-link-${process.pid}`;
const MODULE = path.resolve(import.meta.dirname, 'link-watch.ts');
const skip = netnsSkipReason();
/** Prints `<iface> up|down` for every change the watch reports on link0, as the agent's watch would see it. */
const WATCHER = `
  const { LinkWatch } = await import(${JSON.stringify(MODULE)});
  new LinkWatch({ interfaces: ['link0'], intervalMs: 50, onChange: (i, up) => console.log(i, up ? 'up' : 'down') }).start();
  setInterval(() => {}, 1000);
`;

describe('link watch', () => {
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    if (!skip) spawnSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  });

  it('reads an interface that does not exist as unknown, not as down', async () => {
    assert.equal(await sysfsCarrier()(`no-such-if-${process.pid}`), undefined);
  });

  it('reports the link going down and coming back, whether its own end or its peer is taken down', {
    skip,
  }, async () => {
    ipSync(['netns', 'add', NS]);
    ipSync(['-n', NS, 'link', 'add', 'link0', 'type', 'veth', 'peer', 'name', 'link1']);
    ipSync(['-n', NS, 'link', 'set', 'link0', 'up']);
    ipSync(['-n', NS, 'link', 'set', 'link1', 'up']);
    const child = spawn('ip', ['netns', 'exec', NS, process.execPath, '--input-type=module', '-e', WATCHER], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const reported = (lines: string[]) =>
      until(`the watch reports ${lines.at(-1)}`, 10_000, async () =>
        output.trim() === lines.join('\n') ? true : undefined,
      );
    // An up interface is not reported: the watch starts from "up".
    ipSync(['-n', NS, 'link', 'set', 'link0', 'down']); // its carrier file then fails with EINVAL
    await reported(['link0 down']);
    ipSync(['-n', NS, 'link', 'set', 'link0', 'up']);
    await reported(['link0 down', 'link0 up']);
    ipSync(['-n', NS, 'link', 'set', 'link1', 'down']); // link0 stays up, without carrier
    await reported(['link0 down', 'link0 up', 'link0 down']);
    ipSync(['-n', NS, 'link', 'set', 'link1', 'up']);
    await reported(['link0 down', 'link0 up', 'link0 down', 'link0 up']);
  });
});
