// `GET /sluice/v1/loadbalancers/{id}/metrics` (a Sluice extension, mounted by ../routes.ts): one load balancer's traffic as Prometheus
// text, for whoever may read its stats (Octavia's `get_stats` rule; anyone else gets its 404), labelled by amphora: what a PROMETHEUS
// listener serves on the VIP, read through the API instead (`sluice top` draws it).
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { PROMETHEUS_CONTENT_TYPE, renderTrafficMetrics } from '../../../model/traffic-metrics.ts';
import { findLoadBalancer } from '../../../store/repositories/load-balancer-repository.ts';
import { placementReports } from '../../../store/repositories/metrics-repository.ts';
import type { ApiContext } from '../../context.ts';
import { octaviaRbac } from '../../octavia/rbac.ts';
import { caller } from '../../plugins/auth.ts';

export function registerLoadBalancerMetricsRoutes(app: FastifyInstance, context: ApiContext): void {
  const { enforce } = octaviaRbac(context.config);
  const { db } = context.store;
  app.get<{ Params: { id: string } }>(
    '/loadbalancers/:id/metrics',
    { config: { family: 'octavia' } },
    async (request, reply) => {
      const missing = () => fail('octavia.not-found', { resource: 'Load Balancer', id: request.params.id });
      const lb = await findLoadBalancer(db, request.params.id);
      if (!lb) throw missing();
      // As the other /sluice/v1 extensions: to whoever may not read its stats, it does not exist.
      try {
        enforce(caller(request), 'loadbalancer', 'get_stats', lb.projectId);
      } catch {
        throw missing();
      }
      const reports = await placementReports(db, lb.id);
      const text = renderTrafficMetrics(
        reports.map(({ amphoraId, report }) => ({ labels: { amphora: amphoraId }, report })),
      );
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
    },
  );
}
