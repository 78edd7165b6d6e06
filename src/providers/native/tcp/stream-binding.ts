// Listener sockets for TCP-based listeners: node:net servers whose connections are spliced (TCP / HTTPS
// pass-through) or served by an HttpSession (HTTP, and TERMINATED_HTTPS after the TLS handshake) or, when
// ALPN chose h2, by an H2Session.
// Every connection is admitted before any handshake: allowed_cidrs, then connection_limit
// (admitConnection in listener-binding.ts).
import net from 'node:net';
import { TLSSocket } from 'node:tls';
import { H2Session } from '../http/h2-session.ts';
import { HttpSession, type SessionHost } from '../http/http-session.ts';
import { admitConnection, type ListenerBinding, listenExclusive } from '../listener-binding.ts';
import { httpMode, type ListenerConfig } from '../listener-config.ts';
import { readThrough } from '../listener-read-through.ts';
import type { ListenerStats } from '../listener-stats.ts';
import type { AccessLogEntries } from '../logs/access-log-entries.ts';
import type { MemberConnections } from '../members/member-connections.ts';
import type { ListenerTls } from '../tls/listener-tls.ts';
import { ClientReader } from './client-reader.ts';
import { proxyTcpConnection } from './tcp-proxy.ts';

export class StreamBinding implements ListenerBinding, SessionHost {
  readonly key: string;
  readonly stats: ListenerStats;
  readonly connections: MemberConnections;
  readonly accessLog: AccessLogEntries | undefined;
  current: ListenerConfig;
  retired = false;
  readonly #servers: net.Server[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #sessions = new Set<HttpSession | H2Session>();

  private constructor(
    key: string,
    config: ListenerConfig,
    stats: ListenerStats,
    connections: MemberConnections,
    accessLog: AccessLogEntries | undefined,
  ) {
    this.key = key;
    this.accessLog = accessLog;
    this.current = config;
    this.stats = stats;
    this.connections = connections;
    this.#attachTls(config.tls);
  }

  /** Binds every address; rejects (closing what it bound) when one cannot be bound. */
  static async open(
    key: string,
    addresses: readonly string[],
    config: ListenerConfig,
    stats: ListenerStats,
    connections: MemberConnections,
    accessLog: AccessLogEntries | undefined = undefined,
  ): Promise<StreamBinding> {
    const binding = new StreamBinding(key, config, stats, connections, accessLog);
    try {
      for (const address of addresses) {
        const server = binding.#createServer();
        binding.#servers.push(server);
        await listenExclusive(server, address, config.listener.protocolPort);
      }
    } catch (error) {
      binding.destroy();
      throw error;
    }
    return binding;
  }

  #createServer(): net.Server {
    const { protocol } = this.current.listener;
    const isHttp = httpMode(protocol);
    // Plain connections (TCP, HTTPS pass-through, HTTP) are read through one shared buffer
    // (listener-read-through.ts), so they are paused on accept; TERMINATED_HTTPS ones go to the TLS server.
    const plainHttp = protocol === 'HTTP';
    const readShared = !isHttp || plainHttp;
    return net.createServer(
      { allowHalfOpen: true, noDelay: true, pauseOnConnect: readShared },
      (accepted) => {
        if (!isHttp) {
          const reader = new ClientReader();
          // The bytes wait for the member or go to its socket, whose write may complete later: copied.
          const client = readThrough(accepted, (chunk) => reader.deliver(Buffer.from(chunk)));
          if (this.#admit(client)) void proxyTcpConnection(client, reader, this.current, this.accessLog);
          return;
        }
        if (plainHttp) {
          // The session copies what it keeps of a chunk (http-session.ts); a GET is parsed in place.
          let session: HttpSession | undefined;
          const socket = readThrough(accepted, (chunk) => session?.receive(chunk));
          if (this.#admit(socket)) session = this.#serve(socket, true);
          return;
        }
        const socket = accepted;
        if (!this.#admit(socket)) return;
        const tls = this.current.tls;
        // The handshake runs under the revision current at accept; 'secureConnection' then serves it.
        if (tls) tls.server.emit('connection', socket);
        else this.#serve(socket);
      },
    );
  }

  /** Serves an HTTP connection; `fed`: its reads come through the shared buffer, handed on by the caller. */
  #serve(socket: net.Socket, fed = false): HttpSession | undefined {
    const h2 = socket instanceof TLSSocket && socket.alpnProtocol === 'h2';
    const session = h2 ? new H2Session(socket, this) : new HttpSession(socket, this);
    this.#sessions.add(session);
    socket.once('close', () => this.#sessions.delete(session));
    if (session instanceof H2Session) return undefined; // the session keeps its own idle timeout
    // `timeout client` is the session's own (http-session.ts), as H2Session's is.
    if (!fed) socket.on('data', (chunk: Buffer) => session.receive(chunk));
    return session;
  }

  /** Serves the handshakes of a revision's TLS server (each revision has its own, see listener-tls.ts). */
  #attachTls(tls: ListenerTls | undefined): void {
    if (!tls || tls.server.listenerCount('secureConnection') > 0) return;
    tls.server.on('secureConnection', (socket: TLSSocket) => {
      // `verify optional` (HAProxy bind option): no certificate is fine, a bad one is refused.
      if (tls.refuseUnverified && !socket.authorized && socket.getPeerX509Certificate()) {
        socket.destroy();
        return;
      }
      if (this.retired) socket.destroy();
      else this.#serve(socket);
    });
    // A failed handshake (no or bad client certificate under MANDATORY, no shared version or cipher,
    // handshake timeout) ends the connection; Node has already sent the alert.
    tls.server.on('tlsClientError', (_error, socket) => socket.destroy());
  }

  #admit(socket: net.Socket): boolean {
    return admitConnection(socket, this.current, this.stats, this.#sockets);
  }

  update(config: ListenerConfig): void {
    this.#attachTls(config.tls);
    this.current = config;
  }

  retire(): Promise<void> {
    this.retired = true;
    for (const server of this.#servers) server.close();
    for (const session of this.#sessions) session.retire();
    const open = [...this.#sockets].map((s) => new Promise((resolve) => s.once('close', resolve)));
    return Promise.all(open).then(() => undefined);
  }

  destroy(): void {
    this.retired = true;
    for (const server of this.#servers) server.close();
    for (const socket of this.#sockets) socket.destroy();
  }
}
