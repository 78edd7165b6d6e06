// Load-balancer actions beside CRUD (reference §3.4): the status tree (`/status`, alias `/statuses`),
// stats summed over the listeners, and failover (202; ACTIVE or ERROR → PENDING_UPDATE, admin only).
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { FAILOVERABLE_STATUSES } from '../../../model/statuses.ts';
import { statusRowsOf } from '../../../store/repositories/load-balancer-children.ts';
import {
  findLoadBalancer,
  getRevision,
  transitionLoadBalancer,
} from '../../../store/repositories/load-balancer-repository.ts';
import { sumStatistics } from '../../../store/repositories/statistics-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { octaviaRbac } from '../rbac.ts';
import { buildStatusTree } from './status-tree.ts';

type IdParams = { Params: { id: string } };
const octavia = { config: { family: 'octavia' as const } };

export async function registerLoadBalancerActionRoutes(
  app: FastifyInstance,
  context: ApiContext,
): Promise<void> {
  const { enforce } = octaviaRbac(context.config);
  const { db } = context.store;

  async function load(id: string) {
    const lb = await findLoadBalancer(db, id);
    if (!lb) throw fail('octavia.not-found', { resource: 'Load Balancer', id });
    return lb;
  }

  for (const suffix of ['status', 'statuses']) {
    app.get<IdParams>(`/loadbalancers/:id/${suffix}`, octavia, async (request) => {
      const lb = await load(request.params.id);
      enforce(caller(request), 'loadbalancer', 'get_status', lb.projectId);
      return { statuses: { loadbalancer: buildStatusTree(lb, await statusRowsOf(db, lb.id)) } };
    });
  }

  app.get<IdParams>('/loadbalancers/:id/stats', octavia, async (request) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'get_stats', lb.projectId);
    return { stats: await sumStatistics(db, { loadBalancerId: lb.id }) };
  });

  app.put<IdParams>('/loadbalancers/:id/failover', octavia, async (request, reply) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'put_failover', lb.projectId);
    if (!(await transitionLoadBalancer(db, lb.id, FAILOVERABLE_STATUSES, 'PENDING_UPDATE', {}, 'failover'))) {
      const current = await getRevision(db, lb.id);
      throw fail('octavia.lb-pending', { state: current?.status ?? 'DELETED', id: lb.id });
    }
    context.changes.notify(lb.id);
    return reply.code(202).send();
  });
}
