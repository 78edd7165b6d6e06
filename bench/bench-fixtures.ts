// What the benchmarks share: a tiny HTTP backend, percentiles, and the fully populated create body of a
// load balancer with one HTTP listener and a pool of the given members (reference §3.3).
import http from 'node:http';
import type net from 'node:net';

export type Backend = { address: string; port: number; close: () => void };

/** An HTTP server on `address` answering `ok` to everything. */
export async function backend(address: string): Promise<Backend> {
  const server = http.createServer((_, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { address, port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

/** The p-th percentile of ascending `sorted`. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function httpLoadBalancerBody(
  subnetId: string,
  provider: string,
  port: number,
  members: readonly Backend[],
) {
  return {
    loadbalancer: {
      vip_subnet_id: subnetId,
      provider,
      listeners: [
        {
          protocol: 'HTTP',
          protocol_port: port,
          default_pool: {
            name: 'web',
            protocol: 'HTTP',
            lb_algorithm: 'ROUND_ROBIN',
            members: members.map((m) => ({ address: m.address, protocol_port: m.port })),
          },
        },
      ],
    },
  };
}
