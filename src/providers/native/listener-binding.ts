// The sockets that serve one listener (one per VIP address, reference §12.2 `bind` lines) and the
// reference to its current configuration. The engine swaps that reference on apply (hitless) and retires
// a binding when the listener goes away or moves: it stops accepting, and what is open may finish.
import type { EventEmitter } from 'node:events';
import type net from 'node:net';
import { unmapIPv4 } from './cidr-match.ts';
import { atLimit, type ListenerConfig } from './listener-config.ts';
import type { ListenerStats } from './listener-stats.ts';

export interface ListenerBinding {
  /** what the sockets are bound to: a change of it means re-binding */
  readonly key: string;
  readonly stats: ListenerStats;
  /** the configuration new connections / requests / UDP sessions use */
  readonly current: ListenerConfig;
  /** Swaps the configuration atomically: what started keeps the snapshot it took. */
  update(config: ListenerConfig): void;
  /** Stops accepting; resolves when every open connection or session has ended. */
  retire(): Promise<void>;
  /** Ends everything at once (load balancer removed, process shutdown). */
  destroy(): void;
}

/** The addresses a listener binds: the VIP and every additional VIP. */
export function bindAddresses(
  vip: Readonly<{ address: string; additional: readonly { address: string }[] }>,
) {
  return [vip.address, ...vip.additional.map((a) => a.address)];
}

export function bindingKey(protocol: string, addresses: readonly string[], port: number): string {
  const modes: Readonly<Record<string, string>> = { UDP: 'udp', HTTP: 'http', TERMINATED_HTTPS: 'https' };
  const mode = modes[protocol] ?? 'tcp';
  return `${mode} ${addresses.join(',')} ${port}`;
}

/** A bind failure in words an operator can act on (e.g. the VIP is not an address of this host). */
export function bindError(address: string, port: number, error: NodeJS.ErrnoException): Error {
  const why: Readonly<Record<string, string>> = {
    EADDRNOTAVAIL: 'the address is not configured on this host',
    EADDRINUSE: 'the address and port are already in use',
    EACCES: 'permission denied (privileged port?)',
  };
  const reason = why[error.code ?? ''] ?? error.message;
  return new Error(`cannot listen on ${address.includes(':') ? `[${address}]` : address}:${port}: ${reason}`);
}

/**
 * Binds a listening TCP server or UDP socket: a bind failure rejects in an operator's words; once bound, a
 * later error (e.g. accept failing) is logged instead of becoming an uncaught exception that would take the
 * whole process, and every other load balancer, down.
 */
export function bindListening(
  target: EventEmitter,
  address: string,
  port: number,
  start: (onBound: () => void) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(bindError(address, port, error));
    target.once('error', onError);
    start(() => {
      target.off('error', onError);
      target.on('error', (error: Error) => console.error(`listener ${address}:${port}: ${error.message}`));
      resolve();
    });
  });
}

/** Binds a TCP listening server to one address (`exclusive`: never shared with another process's socket). */
export function listenExclusive(server: net.Server, address: string, port: number): Promise<void> {
  return bindListening(server, address, port, (onBound) =>
    server.listen({ host: address, port, exclusive: true }, onBound),
  );
}

/**
 * Admission of an accepted connection, before any byte is read or any handshake runs: allowed_cidrs, then
 * connection_limit (HAProxy `maxconn`; over it the connection is refused, not queued). An admitted socket is
 * counted in `stats` and kept in `open` until it closes; a refused one is destroyed.
 */
export function admitConnection(
  socket: net.Socket,
  config: ListenerConfig,
  stats: ListenerStats,
  open: Set<net.Socket>,
): boolean {
  if (!config.allowed(unmapIPv4(socket.remoteAddress ?? '')) || atLimit(config.listener, stats.active)) {
    socket.destroy();
    return false;
  }
  stats.track(socket);
  open.add(socket);
  socket.once('close', () => open.delete(socket));
  return true;
}
