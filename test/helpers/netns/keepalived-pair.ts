// Test support for keepalived on two "hosts": two network namespaces joined by a veth pair on
// 198.18.<subnet>.0/24 (RFC 2544 benchmarking space), the addresses an interface holds, a bounded wait, and the
// reason to skip when namespaces or keepalived are missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { skipWithoutKeepalived } from '../../../src/providers/keepalived/keepalived-test-fixtures.ts';
import { netnsSkipReason } from './netns-skip.ts';

export type PairHost = Readonly<{ ns: string; dev: string; address: string }>;

/** `false` when both hosts can run keepalived here, else why not (node:test prints it). */
export const skipWithoutKeepalivedPair = (): false | string => netnsSkipReason() || skipWithoutKeepalived;

export class NetnsPair {
  readonly hosts: readonly [PairHost, PairHost];

  /** `name` prefixes the namespaces (`<name>-a`, `-b`), `dev` the veth ends (at most 14 characters). */
  constructor(name: string, dev: string, subnet: number) {
    this.hosts = [
      { ns: `${name}-a`, dev: `${dev}a`, address: `198.18.${subnet}.1` },
      { ns: `${name}-b`, dev: `${dev}b`, address: `198.18.${subnet}.2` },
    ];
  }

  create(): void {
    const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
    const [a, b] = this.hosts;
    for (const host of this.hosts) ip('netns', 'add', host.ns);
    ip('link', 'add', a.dev, 'netns', a.ns, 'type', 'veth', 'peer', 'name', b.dev, 'netns', b.ns);
    for (const host of this.hosts) {
      ip('-n', host.ns, 'addr', 'add', `${host.address}/24`, 'dev', host.dev);
      ip('-n', host.ns, 'link', 'set', host.dev, 'up');
      ip('-n', host.ns, 'link', 'set', 'lo', 'up');
    }
  }

  remove(): void {
    for (const host of this.hosts) spawnSync('ip', ['netns', 'del', host.ns]);
  }

  /** The IPv4 addresses on host `index`'s veth end. */
  addresses(index: 0 | 1): string[] {
    const { ns, dev } = this.hosts[index];
    const out = execFileSync('ip', ['-n', ns, '-o', '-4', 'addr', 'show', 'dev', dev], { encoding: 'utf8' });
    return [...out.matchAll(/inet (\S+)\//g)].map((match) => match[1]);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms for up to `ms`; the elapsed milliseconds, or undefined when it never held. */
export async function waitFor(condition: () => boolean, ms: number): Promise<number | undefined> {
  const start = performance.now();
  while (performance.now() - start < ms) {
    if (condition()) return performance.now() - start;
    await sleep(10);
  }
  return undefined;
}
