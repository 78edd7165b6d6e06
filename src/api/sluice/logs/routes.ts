// `GET /sluice/v1/loadbalancers/{lb_id}/logs` (a Sluice extension, issue #16 item 3): the load balancer's
// access log lines oldest first after a marker, and how many its data planes dropped. `follow=true` waits
// (up to FOLLOW_MS) until there are lines after the marker. Seen by those who may GET the load balancer; to
// anyone else it does not exist (404 with Octavia's text for a missing load balancer).
import type { FastifyInstance } from 'fastify';
import { droppedAccessLogs, listAccessLogs } from '../../../store/repositories/access-log-repository.ts';
import type { ApiContext } from '../../context.ts';
import { octaviaRbac } from '../../octavia/rbac.ts';
import type { Query } from '../../wire/listing.ts';
import { visibleLoadBalancer } from '../visible-load-balancer.ts';
import { parseAccessLogQuery } from './access-log-query.ts';

type LogParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };
/** How long a follow request waits for new lines, and how often it looks (lines arrive with agent reports). */
export const FOLLOW_MS = 25_000;
const FOLLOW_POLL_MS = 250;

export async function registerAccessLogRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { db } = context.store;

  app.get<LogParams>('/loadbalancers/:id/logs', octavia, async (request) => {
    const lb = await visibleLoadBalancer(request, db, rbac, 'get_one');
    const query = parseAccessLogQuery(request.query);
    let rows = await listAccessLogs(db, lb.id, query);
    const deadline = Date.now() + FOLLOW_MS;
    const raw = request.raw;
    while (query.follow && rows.length === 0 && Date.now() < deadline && !raw.destroyed) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      rows = await listAccessLogs(db, lb.id, query);
    }
    return {
      logs: rows.map((r) => ({ id: r.id, listener_id: r.listenerId, line: r.line })),
      dropped: await droppedAccessLogs(db, lb.id),
    };
  });
}
