// `GET /sluice/v1/loadbalancers/{lb_id}/events` (a Sluice extension, issue #16): the load balancer's status
// events, newest first. Seen by those who may GET the load balancer; to anyone else it does not exist (404
// with Octavia's text for a missing load balancer, so its existence does not leak).
import type { FastifyInstance } from 'fastify';
import { listStatusEvents } from '../../../store/repositories/status-event-repository.ts';
import type { ApiContext } from '../../context.ts';
import { octaviaRbac } from '../../octavia/rbac.ts';
import { requestUrl } from '../../octavia/request-url.ts';
import type { Query } from '../../wire/listing.ts';
import { visibleLoadBalancer } from '../visible-load-balancer.ts';
import { eventsPage, parseEventQuery } from './wire.ts';

type EventParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerStatusEventRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { db } = context.store;

  app.get<EventParams>('/loadbalancers/:id/events', octavia, async (request) => {
    const lb = await visibleLoadBalancer(request, db, rbac, 'get_one');
    const query = parseEventQuery(request.query);
    return eventsPage(await listStatusEvents(db, lb.id, query), query, requestUrl(request));
  });
}
