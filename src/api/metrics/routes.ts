// `GET /metrics` (issue #16): Prometheus text with the API process's own metrics and the traffic every agent
// reports for the load balancers it serves, under Octavia's PROMETHEUS listener names with `loadbalancer` and
// `amphora` labels. No token (a scraper has none); only clients in --metrics-allowed-cidrs, since it names
// every tenant's load balancers.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, register } from 'prom-client';
import { fail } from '../../errors.ts';
import { cidrContains } from '../../model/ipam.ts';
import { renderTrafficMetrics } from '../../model/traffic-metrics.ts';
import { placementReports } from '../../store/repositories/metrics-repository.ts';
import type { ApiContext } from '../context.ts';
import { createApiMetrics } from './api-metrics.ts';

let processMetrics = false;

export function registerMetricsRoutes(app: FastifyInstance, context: ApiContext): void {
  // Once per process: they describe the process, whatever number of apps it builds (tests build many).
  if (!processMetrics) {
    collectDefaultMetrics({ register, prefix: 'sluice_' });
    processMetrics = true;
  }
  const registry = createApiMetrics(app, context.store);
  const allowed = context.config.metricsAllowedCidrs;
  app.get('/metrics', { config: { public: true, family: 'octavia' } }, async (request, reply) => {
    // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
    const address = request.ip.startsWith('::ffff:') ? request.ip.slice(7) : request.ip;
    if (!allowed.some((cidr) => cidrContains(cidr, address))) throw fail('metrics.forbidden', { address });
    const traffic = renderTrafficMetrics(
      (await placementReports(context.store.db)).map(({ loadBalancerId, amphoraId, report }) => ({
        labels: { loadbalancer: loadBalancerId, amphora: amphoraId },
        report,
      })),
    );
    // The process-wide registry holds the controller's loop metrics (when this process runs them) and the
    // process's own (CPU, memory, event-loop delay, from prom-client's default collectors).
    const shared = await register.metrics();
    return reply.type(registry.contentType).send(`${await registry.metrics()}\n${shared}\n${traffic}`);
  });
}
