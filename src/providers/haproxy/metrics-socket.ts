// The provider's end of a load balancer's PROMETHEUS listeners: an HTTP server on a UNIX socket in the
// HAProxy's private socket directory, where its `sluice-metrics` backend sends scrapes (metrics-backend.ts).
// It lives in the agent: while no agent runs, HAProxy answers scrapes 503 and keeps serving traffic.
import http from 'node:http';
import type { ProviderReport } from '../../model/provider-driver.ts';
import { metricsRequestHandler } from '../metrics-endpoint.ts';
import { listenPrivateSocket } from './listen-private-socket.ts';

export class MetricsSocket {
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static async open(
    path: string,
    observe: () => Promise<ProviderReport | undefined>,
  ): Promise<MetricsSocket> {
    const server = http.createServer(metricsRequestHandler(observe));
    await listenPrivateSocket(server, path);
    return new MetricsSocket(server);
  }

  close(): void {
    this.#server.close();
    this.#server.closeAllConnections();
  }
}
