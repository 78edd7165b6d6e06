// ARP as the lab's client host sees it: which MACs answer a request for an address (both hosts, while a dead
// host's kernel still holds a VIP), and a host's own MAC to compare with.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Lab } from './sluice-lab.ts';

const run = promisify(execFile);

/** The MACs that answer an ARP request for the address, asked from the client host (3 requests, ≤ 4 s). */
export async function macsAnswering(lab: Lab, address: string): Promise<Set<string>> {
  const { stdout } = await run(
    'ip',
    ['netns', 'exec', lab.topology.host('client').ns, 'arping', '-c', '3', '-w', '4', '-I', 'eth0', address],
    { timeout: 10_000 },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return new Set([...stdout.matchAll(/reply from \S+ \[([0-9a-f:]+)\]/gi)].map((m) => m[1].toLowerCase()));
}

/** The MAC of a host's eth0. */
export async function macOf(lab: Lab, host: string): Promise<string> {
  const { stdout } = await run('ip', ['-n', lab.topology.host(host).ns, '-o', 'link', 'show', 'eth0']);
  return stdout.match(/ether (\S+)/)![1];
}
