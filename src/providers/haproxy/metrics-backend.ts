// The backend of PROMETHEUS listeners (Octavia API 2.25): HAProxy hands each scrape to the provider, which
// answers on a UNIX socket with the load balancer's traffic under Octavia's names (metrics-socket.ts), as
// Octavia's frontend hands them to its prometheus-proxy on 127.0.0.1:9102
// (https://opendev.org/openstack/octavia/src/branch/master/octavia/cmd/prometheus_proxy.py).
import { configWord } from './config-quoting.ts';

/** The backend every PROMETHEUS frontend uses; backends of pools are `<pool id>:<listener id>`. */
export const METRICS_BACKEND = 'sluice-metrics';

export function metricsBackend(socket: string): string[] {
  return [
    `backend ${METRICS_BACKEND}`,
    '    mode http',
    '    timeout connect 5s',
    '    timeout server 10s',
    // https://docs.haproxy.org/2.6/configuration.html#4-server: `unix@<path>` is a UNIX stream socket.
    `    server metrics unix@${configWord(socket, 'metrics socket path')}`,
  ];
}
