// Refuses a configuration whose new `bind` address and port another process already holds. HAProxy binds its
// listeners with SO_REUSEPORT (HAProxy 2.6 manual, §3.1 `noreuseport`: "disables the use of SO_REUSEPORT"), so a
// second HAProxy on the same address and port — one left serving by an agent killed with -9, whose data
// directory is gone — does not fail to bind: the kernel silently spreads the connections over both
// (socket(7), SO_REUSEPORT). A probe that binds without SO_REUSEPORT fails with EADDRINUSE exactly when some
// socket holds the pair, whatever its options, and is closed at once.
import net from 'node:net';

export type BindClaim = Readonly<{ address: string; port: number }>;

/** The `bind <address>:<port>` lines of a rendered configuration (`ipv6@` prefix for IPv6, config-quoting.ts). */
export function bindClaims(config: string): BindClaim[] {
  const claims: BindClaim[] = [];
  for (const match of config.matchAll(/^\s*bind (?:ipv6@)?(\S+):(\d+)(?:\s|$)/gm)) {
    claims.push({ address: match[1], port: Number(match[2]) });
  }
  return claims;
}

/** The claims of `next` that `previous` (what this load balancer's own HAProxy binds now) does not hold. */
export function newBindClaims(previous: string | undefined, next: string): BindClaim[] {
  const held = new Set((previous === undefined ? [] : bindClaims(previous)).map(key));
  return bindClaims(next).filter((claim) => !held.has(key(claim)));
}

function key(claim: BindClaim): string {
  return `${claim.address} ${claim.port}`;
}

/** True when no socket holds the address and port (TCP); an address not on this host counts as free. */
function tcpFree(claim: BindClaim): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'EADDRINUSE'));
    // A VIP that keepalived holds on another host is not local here (EADDRNOTAVAIL): HAProxy binds it with
    // ip_nonlocal_bind, and nobody here can hold it, so it is free.
    probe.listen({ host: claim.address, port: claim.port, exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

/** Throws, in an operator's words, when another process holds one of `claims`. */
export async function assertBindsFree(claims: readonly BindClaim[]): Promise<void> {
  for (const claim of claims) {
    if (!(await tcpFree(claim))) {
      const shown = claim.address.includes(':') ? `[${claim.address}]` : claim.address;
      throw new Error(
        `cannot listen on ${shown}:${claim.port}: the address and port are already in use by another process`,
      );
    }
  }
}
