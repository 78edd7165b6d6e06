import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { NetnsPair } from '../../test/helpers/netns/keepalived-pair.ts';
import { netnsSkipReason } from '../../test/helpers/netns/netns-skip.ts';
import { fenceRuleset, nftAvailable, nftCommand, VipFence } from './vip-fence.ts';

const run = promisify(execFile);
const skip = netnsSkipReason() || ((await nftAvailable()) ? false : 'nft (nftables) is not installed');
const subnet = 1 + ((process.pid + 31) % 254);
const pair = new NetnsPair(`vipfence-${process.pid % 100000}`, `vf${process.pid % 100000}`, subnet);
const [host, client] = pair.hosts;
const VIP = `198.18.${subnet}.10`;

/** What a connection from the client namespace to address:port meets: connected, refused or a timeout. */
async function connectFromClient(address: string, port: number): Promise<string> {
  const script = `const s=require('node:net').connect({host:${JSON.stringify(address)},port:${port},timeout:700});
s.on('connect',()=>{console.log('connected');s.destroy()});s.on('timeout',()=>{console.log('timeout');s.destroy()});
s.on('error',(e)=>console.log(e.code));`;
  const { stdout } = await run('ip', ['netns', 'exec', client.ns, process.execPath, '-e', script], {
    timeout: 5000,
  });
  return stdout.trim();
}

describe('the VIP fence', () => {
  it('renders one table that drops only the resets of SYNs to fenced addresses', () => {
    const ruleset = fenceRuleset(['198.18.0.10', '2001:db8::10']);
    assert.match(ruleset, /set vips4 \{ type ipv4_addr; elements = \{ 198\.18\.0\.10 \}; \}/);
    assert.match(ruleset, /set vips6 \{ type ipv6_addr; elements = \{ 2001:db8::10 \}; \}/);
    assert.match(
      ruleset,
      /ip saddr @vips4 tcp flags & \(fin\|syn\|rst\|psh\|ack\|urg\) == rst\|ack tcp sequence 0 drop/,
    );
  });

  describe('in a network namespace', { skip }, () => {
    before(() => {
      pair.create();
      execFileSync('ip', ['-n', host.ns, 'addr', 'add', `${VIP}/32`, 'dev', host.dev]);
    });
    after(() => pair.remove());
    const fence = new VipFence(nftCommand(['ip', 'netns', 'exec', host.ns]));

    it('turns a refused connection to a VIP nothing listens on into a silent drop, and back when unfenced', async () => {
      assert.equal(await connectFromClient(VIP, 80), 'ECONNREFUSED', 'unfenced: refused');
      await fence.sync([VIP, '127.0.0.1']);
      assert.equal(await connectFromClient(VIP, 80), 'timeout', 'fenced: the SYN goes unanswered');
      assert.equal(
        await connectFromClient(host.address, 80),
        'ECONNREFUSED',
        "the host's own address is not fenced",
      );
      await fence.sync([]);
      assert.equal(await connectFromClient(VIP, 80), 'ECONNREFUSED');
      await fence.clear();
    });

    it('lets a listener on a fenced VIP accept, and its own resets reach the client', async () => {
      await fence.sync([VIP]);
      const server = execFile('ip', [
        'netns',
        'exec',
        host.ns,
        process.execPath,
        '-e',
        `const s=require('node:net').createServer((c)=>c.once('data',()=>c.resetAndDestroy())).listen(8080,${JSON.stringify(VIP)},()=>console.log('up'));setTimeout(()=>s.close(),3000);`,
      ]);
      await new Promise((resolve) => server.stdout?.once('data', resolve));
      assert.equal(await connectFromClient(VIP, 8080), 'connected');
      const reset = `const s=require('node:net').connect({host:${JSON.stringify(VIP)},port:8080},()=>s.write('x'));s.on('error',(e)=>console.log(e.code));s.on('close',()=>console.log('closed'));`;
      const { stdout } = await run('ip', ['netns', 'exec', client.ns, process.execPath, '-e', reset], {
        timeout: 5000,
      });
      assert.match(stdout, /ECONNRESET/);
      server.kill();
      await fence.clear();
    });
  });
});
