// Listener sockets for TCP-based listeners: node:net servers for TCP / HTTPS pass-through, node:http
// servers for HTTP. Admission happens here for every connection: allowed_cidrs, then connection_limit
// (HAProxy `maxconn`, reference §12.2; over it the connection is refused rather than queued).
import http from 'node:http';
import net from 'node:net';
import { unmapIPv4 } from './cidr-match.js';
import { proxyHttpRequest } from './http-proxy.js';
import { bindListening, type ListenerBinding } from './listener-binding.js';
import { atLimit, type ListenerConfig } from './listener-config.js';
import type { ListenerStats } from './listener-stats.js';
import type { MemberAgents } from './member-agents.js';
import { proxyTcpConnection } from './tcp-proxy.js';

export class StreamBinding implements ListenerBinding {
  readonly key: string;
  readonly stats: ListenerStats;
  current: ListenerConfig;
  readonly #servers: net.Server[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #inFlight = new WeakMap<net.Socket, number>();
  #retired = false;

  private constructor(key: string, config: ListenerConfig, stats: ListenerStats) {
    this.key = key;
    this.current = config;
    this.stats = stats;
  }

  /** Binds every address; rejects (closing what it bound) when one cannot be bound. */
  static async open(
    key: string,
    addresses: readonly string[],
    config: ListenerConfig,
    stats: ListenerStats,
    agents: MemberAgents,
  ): Promise<StreamBinding> {
    const binding = new StreamBinding(key, config, stats);
    try {
      for (const address of addresses) {
        const server = binding.#createServer(agents);
        binding.#servers.push(server);
        await listen(server, address, config.listener.protocolPort);
      }
    } catch (error) {
      binding.destroy();
      throw error;
    }
    return binding;
  }

  #createServer(agents: MemberAgents): net.Server {
    const isHttp = this.current.listener.protocol === 'HTTP';
    const server = isHttp
      ? http.createServer({ requestTimeout: 0 }, (req, res) => this.#request(req, res, agents))
      : net.createServer({ allowHalfOpen: true }, (socket) => {
          if (this.#admit(socket)) void proxyTcpConnection(socket, this.current);
        });
    if (server instanceof http.Server) {
      server.on('connection', (socket: net.Socket) => this.#admit(socket));
      // `timeout client` (reference §12.2): idle clients are closed, but not while a request of theirs
      // waits on a member (then `timeout server` governs).
      server.on('timeout', (socket: net.Socket) => {
        if (!this.#inFlight.get(socket)) socket.destroy();
      });
      server.on('clientError', (_error, socket) => {
        this.stats.requestError();
        if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
        socket.destroy();
      });
      this.#applyHttpTimeouts(server);
    }
    return server;
  }

  #admit(socket: net.Socket): boolean {
    const config = this.current;
    if (
      !config.allowed(unmapIPv4(socket.remoteAddress ?? '')) ||
      atLimit(config.listener, this.stats.active)
    ) {
      socket.destroy();
      return false;
    }
    this.stats.track(socket);
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    const idle = config.listener.timeouts.clientData;
    if (idle > 0 && config.listener.protocol === 'HTTP') socket.setTimeout(idle);
    return true;
  }

  #request(req: http.IncomingMessage, res: http.ServerResponse, agents: MemberAgents): void {
    const socket = req.socket;
    this.#inFlight.set(socket, (this.#inFlight.get(socket) ?? 0) + 1);
    res.once('close', () => this.#inFlight.set(socket, (this.#inFlight.get(socket) ?? 1) - 1));
    // A retired listener finishes this request and then lets the connection go.
    if (this.#retired) res.setHeader('connection', 'close');
    proxyHttpRequest(req, res, this.current, this.stats, agents);
  }

  #applyHttpTimeouts(server: http.Server): void {
    const idle = this.current.listener.timeouts.clientData;
    // Between requests HAProxy falls back to `timeout client` (Octavia sets no http-keep-alive timeout).
    server.keepAliveTimeout = idle;
    server.headersTimeout = idle;
  }

  update(config: ListenerConfig): void {
    this.current = config;
    for (const server of this.#servers) if (server instanceof http.Server) this.#applyHttpTimeouts(server);
  }

  retire(): Promise<void> {
    this.#retired = true;
    for (const server of this.#servers) {
      server.close();
      if (server instanceof http.Server) server.closeIdleConnections();
    }
    const open = [...this.#sockets].map((s) => new Promise((resolve) => s.once('close', resolve)));
    return Promise.all(open).then(() => undefined);
  }

  destroy(): void {
    this.#retired = true;
    for (const server of this.#servers) server.close();
    for (const socket of this.#sockets) socket.destroy();
  }
}

function listen(server: net.Server, address: string, port: number): Promise<void> {
  return bindListening(server, address, port, (onBound) =>
    server.listen({ host: address, port, exclusive: true }, onBound),
  );
}
