// The API process's own metrics (prom-client, one registry per app so that several apps in one test process
// never share counters): requests by route template and status, their latency, and, read from the store at
// each scrape, load balancers by status and agents by status.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../../store/database.ts';
import {
  agentStatusCounts,
  loadBalancerStatusCounts,
  type StatusCount,
} from '../../store/repositories/metrics-repository.ts';

/** Latency buckets (seconds): the API answers most requests in milliseconds, a long-poll in up to 30 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export function createApiMetrics(app: FastifyInstance, store: Store): Registry {
  const registry = new Registry();
  const requests = new Counter({
    name: 'sluice_api_requests_total',
    help: 'API requests answered, by method, route template and status code.',
    labelNames: ['method', 'route', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'sluice_api_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  // Route templates, not URLs, as labels: ids in a URL would make one series per object.
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, code: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  statusGauge(
    registry,
    'sluice_loadbalancers',
    'Load balancers by provisioning and operating status.',
    ['provisioning_status', 'operating_status'],
    () => loadBalancerStatusCounts(store.db),
  );
  statusGauge(registry, 'sluice_agents', 'Registered agents by status (NEW, UP, DOWN).', ['status'], () =>
    agentStatusCounts(store.db),
  );
  return registry;
}

/** A gauge set from the store when scraped: series that no longer occur are dropped. */
function statusGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  read: () => Promise<StatusCount[]>,
): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      const counts = await read();
      this.reset();
      for (const { labels, count } of counts) this.set(labels, count);
    },
  });
}
