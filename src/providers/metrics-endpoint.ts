// What a PROMETHEUS listener answers on both providers: `GET /metrics` (or HEAD) is the load balancer's
// traffic as Prometheus text, rendered at each scrape; any other path is a 404, as Octavia's frontend serves
// the exporter only `if { path /metrics }`; any other method a 405.
import type http from 'node:http';
import type { ProviderReport } from '../model/provider-driver.ts';
import { PROMETHEUS_CONTENT_TYPE, renderTrafficMetrics } from '../model/traffic-metrics.ts';

export function metricsRequestHandler(
  observe: () => ProviderReport | undefined | Promise<ProviderReport | undefined>,
): http.RequestListener {
  return (request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('405 Method Not Allowed\n');
      return;
    }
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found\n');
      return;
    }
    void Promise.resolve(observe()).then(
      (report) => {
        const text = report ? renderTrafficMetrics([{ labels: {}, report }]) : '';
        response.writeHead(200, {
          'content-type': PROMETHEUS_CONTENT_TYPE,
          'content-length': Buffer.byteLength(text),
        });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: Error) => {
        response.writeHead(503, { 'content-type': 'text/plain' }).end(`503 ${error.message}\n`);
      },
    );
  };
}
