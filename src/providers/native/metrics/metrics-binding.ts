// A PROMETHEUS listener (Octavia API 2.25) on the native data plane: an HTTP server per VIP address that
// answers scrapes with its own load balancer's traffic, read from the engine at each one
// (providers/metrics-endpoint.ts). Admission is a listener's: allowed_cidrs, then connection_limit.
import http from 'node:http';
import type net from 'node:net';
import type { ProviderReport } from '../../../model/provider-driver.ts';
import { metricsRequestHandler } from '../../metrics-endpoint.ts';
import { admitConnection, type ListenerBinding, listenExclusive } from '../listener-binding.ts';
import type { ListenerConfig } from '../listener-config.ts';
import type { ListenerStats } from '../listener-stats.ts';

export class MetricsBinding implements ListenerBinding {
  readonly key: string;
  readonly stats: ListenerStats;
  current: ListenerConfig;
  readonly #servers: http.Server[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #report: () => ProviderReport;

  private constructor(
    key: string,
    config: ListenerConfig,
    stats: ListenerStats,
    report: () => ProviderReport,
  ) {
    this.key = key;
    this.current = config;
    this.stats = stats;
    this.#report = report;
  }

  /** Binds every address; rejects (closing what it bound) when one cannot be bound. */
  static async open(
    key: string,
    addresses: readonly string[],
    config: ListenerConfig,
    stats: ListenerStats,
    report: () => ProviderReport,
  ): Promise<MetricsBinding> {
    const binding = new MetricsBinding(key, config, stats, report);
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

  #createServer(): http.Server {
    const server = http.createServer(metricsRequestHandler(this.#report));
    // Admission before any byte is read, as every native listener admits (listener-binding.ts).
    server.on('connection', (socket: net.Socket) => {
      admitConnection(socket, this.current, this.stats, this.#sockets);
    });
    const timeoutMs = this.current.listener.timeouts.clientData;
    if (timeoutMs > 0) server.timeout = timeoutMs;
    return server;
  }

  update(config: ListenerConfig): void {
    this.current = config;
  }

  retire(): Promise<void> {
    for (const server of this.#servers) {
      server.close();
      server.closeIdleConnections();
    }
    const open = [...this.#sockets].map((s) => new Promise((resolve) => s.once('close', resolve)));
    return Promise.all(open).then(() => undefined);
  }

  destroy(): void {
    for (const server of this.#servers) server.close();
    for (const socket of this.#sockets) socket.destroy();
  }
}
