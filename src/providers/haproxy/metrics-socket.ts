// The provider's end of a load balancer's PROMETHEUS listeners: an HTTP server on a UNIX socket in the
// HAProxy's private socket directory, where its `sluice-metrics` backend sends scrapes (metrics-backend.ts).
// It lives in the agent: while no agent runs, HAProxy answers scrapes 503 and keeps serving traffic.
import fs from 'node:fs';
import http from 'node:http';
import type { ProviderReport } from '../../model/provider-driver.ts';
import { metricsRequestHandler } from '../metrics-endpoint.ts';

export class MetricsSocket {
  readonly #server: http.Server;

  private constructor(server: http.Server) {
    this.#server = server;
  }

  static open(path: string, observe: () => Promise<ProviderReport | undefined>): Promise<MetricsSocket> {
    // A socket file left by an earlier agent would make listen() fail with EADDRINUSE.
    fs.rmSync(path, { force: true });
    const server = http.createServer(metricsRequestHandler(observe));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        fs.chmodSync(path, 0o600);
        resolve(new MetricsSocket(server));
      });
    });
  }

  close(): void {
    this.#server.close();
    this.#server.closeAllConnections();
  }
}
