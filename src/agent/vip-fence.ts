// The VIP fence: while a host holds a VIP that no listener serves (its data plane was killed but its kernel
// lives and keeps the address until keepalived on the peer takes over), connection attempts to it are silently
// dropped instead of refused. A refused client gives up or fails its retry at once; a dropped SYN is sent again
// (after 1 s, RFC 6298 §2.1 https://www.rfc-editor.org/rfc/rfc6298#section-2), by when the peer's gratuitous
// ARP has moved the address, so the retransmission or the client's retry reaches the host that serves.
// An Octavia amphora behaves alike: its VIP security group admits only listener ports.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { isLoopback } from './vip-plumbing.ts';

const run = promisify(execFile);

export const FENCE_TABLE = 'sluice_vip_fence';

/** Runs `nft -f -` with a script on stdin; replaceable so tests can run it inside a network namespace. */
export type NftCommand = (script: string) => Promise<void>;

export function nftCommand(prefix: readonly string[] = []): NftCommand {
  return async (script) => {
    const [command, ...args] = [...prefix, 'nft', '-f', '-'];
    await new Promise<void>((resolve, reject) => {
      const child = execFile(command, args, { timeout: 10_000 }, (error, _out, stderr) =>
        error ? reject(new Error(`nft: ${stderr.trim() || error.message}`)) : resolve(),
      );
      child.stdin?.end(script);
    });
  };
}

/** Whether `nft` runs here (nftables installed). */
export async function nftAvailable(): Promise<boolean> {
  try {
    await run('nft', ['--version'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The ruleset for these addresses, replacing the table as a whole in one transaction. The rule drops what the
 * kernel sends when a SYN finds no listener: RST|ACK with sequence number 0 (RFC 9293 §3.10.7.1: a reset for a
 * segment without ACK takes sequence 0). A listener's own resets carry its send sequence and still go out.
 */
export function fenceRuleset(addresses: readonly string[]): string {
  const v4 = addresses.filter((a) => net.isIPv4(a));
  const v6 = addresses.filter((a) => net.isIPv6(a));
  const elements = (list: string[]) => (list.length > 0 ? ` elements = { ${list.join(', ')} };` : '');
  const refused = 'tcp flags & (fin|syn|rst|psh|ack|urg) == rst|ack tcp sequence 0 drop';
  return [
    `table inet ${FENCE_TABLE} {}`,
    `delete table inet ${FENCE_TABLE}`,
    `table inet ${FENCE_TABLE} {`,
    `  set vips4 { type ipv4_addr;${elements(v4)} }`,
    `  set vips6 { type ipv6_addr;${elements(v6)} }`,
    '  chain output {',
    '    type filter hook output priority filter; policy accept;',
    `    ip saddr @vips4 ${refused}`,
    `    ip6 saddr @vips6 ${refused}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export class VipFence {
  readonly #nft: NftCommand;
  #applied: string | undefined;

  constructor(nft: NftCommand = nftCommand()) {
    this.#nft = nft;
  }

  /** Fences exactly these addresses (loopback ones are left out); a no-op when the set is unchanged. */
  async sync(addresses: Iterable<string>): Promise<void> {
    const wanted = [...new Set([...addresses].filter((a) => net.isIP(a) !== 0 && !isLoopback(a)))].sort();
    const ruleset = fenceRuleset(wanted);
    if (ruleset === this.#applied) return;
    await this.#nft(ruleset);
    this.#applied = ruleset;
  }

  /** Removes the table (a clean stop: the host gives its VIPs up). */
  async clear(): Promise<void> {
    await this.#nft(`table inet ${FENCE_TABLE} {}\ndelete table inet ${FENCE_TABLE}\n`);
    this.#applied = undefined;
  }
}
