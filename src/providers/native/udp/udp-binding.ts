// UDP listeners (LVS in Octavia, reference §12.6): datagrams from one client address:port form a
// session pinned to one member through a socket of its own, so replies find their way back; a session
// ends after `timeout_client_data` without traffic either way (LVS has no per-listener timeout; this is
// the listener's idle setting). SOURCE_IP persistence pins addresses across sessions (PoolRuntime).
import dgram from 'node:dgram';
import net from 'node:net';
import { unmapIPv4 } from '../cidr-match.ts';
import { bindListening, type ListenerBinding } from '../listener-binding.ts';
import { atLimit, type ListenerConfig } from '../listener-config.ts';
import type { ListenerStats } from '../listener-stats.ts';

type Session = {
  upstream: dgram.Socket;
  send: (message: Buffer) => void;
  timer: NodeJS.Timeout | undefined;
  close: () => void;
};

export class UdpBinding implements ListenerBinding {
  readonly key: string;
  readonly stats: ListenerStats;
  current: ListenerConfig;
  readonly #sockets: dgram.Socket[] = [];
  readonly #sessions = new Map<string, Session>();
  #drained: (() => void) | undefined;
  #retired = false;

  private constructor(key: string, config: ListenerConfig, stats: ListenerStats) {
    this.key = key;
    this.current = config;
    this.stats = stats;
  }

  static async open(
    key: string,
    addresses: readonly string[],
    config: ListenerConfig,
    stats: ListenerStats,
  ): Promise<UdpBinding> {
    const binding = new UdpBinding(key, config, stats);
    try {
      for (const address of addresses) {
        const socket = dgram.createSocket(net.isIPv6(address) ? 'udp6' : 'udp4');
        binding.#sockets.push(socket);
        socket.on('message', (message, from) => binding.#receive(socket, message, from));
        await bind(socket, address, config.listener.protocolPort);
      }
    } catch (error) {
      binding.destroy();
      throw error;
    }
    return binding;
  }

  update(config: ListenerConfig): void {
    this.current = config;
  }

  #receive(listening: dgram.Socket, message: Buffer, from: dgram.RemoteInfo): void {
    const id = `${from.address}|${from.port}`;
    let session = this.#sessions.get(id);
    if (!session) {
      if (this.#retired) return;
      session = this.#open(listening, id, from);
      if (!session) return;
    }
    this.stats.datagram('in', message.length);
    this.#touch(session);
    session.send(message);
  }

  #open(listening: dgram.Socket, id: string, from: dgram.RemoteInfo): Session | undefined {
    const config = this.current;
    const client = { address: unmapIPv4(from.address), port: from.port };
    if (!config.allowed(client.address) || atLimit(config.listener, this.stats.active)) return undefined;
    const pool = config.defaultPool;
    const member = pool?.pick(client);
    if (!pool || !member) return undefined;
    pool.acquire(member.id);
    const upstream = dgram.createSocket(net.isIPv6(member.address) ? 'udp6' : 'udp4');
    const idleMs = config.listener.timeouts.clientData;
    const session: Session = {
      upstream,
      send: (message) =>
        upstream.send(message, member.protocolPort, member.address, (error) => {
          if (error) session.close();
        }),
      timer: undefined,
      close: () => {
        if (this.#sessions.get(id) !== session) return;
        this.#sessions.delete(id);
        clearTimeout(session.timer);
        upstream.close();
        pool.release(member.id);
        this.stats.sessionClosed();
        if (this.#sessions.size === 0) this.#drained?.();
      },
    };
    upstream.on('error', () => session.close());
    upstream.on('message', (reply, sender) => {
      // The session socket is not connect()ed (sends would race the connect): filter replies by hand.
      if (sender.port !== member.protocolPort || unmapIPv4(sender.address) !== member.address) return;
      this.stats.datagram('out', reply.length);
      this.#touch(session);
      listening.send(reply, from.port, from.address);
    });
    this.#sessions.set(id, session);
    this.stats.sessionOpened();
    if (idleMs > 0) session.timer = setTimeout(session.close, idleMs);
    return session;
  }

  #touch(session: Session): void {
    session.timer?.refresh();
  }

  retire(): Promise<void> {
    this.#retired = true;
    // The listening sockets also carry the replies, so they stay open until the sessions end.
    if (this.#sessions.size === 0) {
      this.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#drained = () => {
        this.destroy();
        resolve();
      };
    });
  }

  destroy(): void {
    this.#retired = true;
    for (const session of [...this.#sessions.values()]) session.close();
    for (const socket of this.#sockets.splice(0)) socket.close();
  }
}

function bind(socket: dgram.Socket, address: string, port: number): Promise<void> {
  return bindListening(socket, address, port, (onBound) =>
    socket.bind({ address, port, exclusive: true }, onBound),
  );
}
