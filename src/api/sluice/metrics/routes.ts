// `GET /sluice/v1/loadbalancers/{id}/metrics` (a Sluice extension, mounted by ../routes.ts): one load
// balancer's traffic as Prometheus text, labelled by amphora, for whoever may read its stats (Octavia's
// `get_stats` rule): what a PROMETHEUS listener serves on the VIP, through the API (`sluice top` draws it).
import type { FastifyInstance } from 'fastify';
import { PROMETHEUS_CONTENT_TYPE, renderTrafficMetrics } from '../../../model/traffic-metrics.ts';
import { placementReports } from '../../../store/repositories/metrics-repository.ts';
import type { ApiContext } from '../../context.ts';
import { octaviaRbac } from '../../octavia/rbac.ts';
import { visibleLoadBalancer } from '../visible-load-balancer.ts';

export function registerLoadBalancerMetricsRoutes(app: FastifyInstance, context: ApiContext): void {
  const rbac = octaviaRbac(context.config);
  const { db } = context.store;
  app.get<{ Params: { id: string } }>(
    '/loadbalancers/:id/metrics',
    { config: { family: 'octavia' } },
    async (request, reply) => {
      const lb = await visibleLoadBalancer(request, db, rbac, 'get_stats');
      const reports = await placementReports(db, lb.id);
      const text = renderTrafficMetrics(
        reports.map(({ amphoraId, report }) => ({ labels: { amphora: amphoraId }, report })),
      );
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
    },
  );
}
