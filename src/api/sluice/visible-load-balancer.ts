// The load balancer a /sluice/v1 extension route is about, if the caller may see it: the Octavia RBAC rule
// `action` decides, and to whoever it refuses the load balancer does not exist (404 with Octavia's text for a
// missing load balancer), so an id of another project tells nothing.
import type { FastifyRequest } from 'fastify';
import { fail } from '../../errors.ts';
import type { PolicyAction } from '../../identity/policy.ts';
import type { LoadBalancer } from '../../model/load-balancer.ts';
import type { Db } from '../../store/database.ts';
import { findLoadBalancer } from '../../store/repositories/load-balancer-repository.ts';
import type { OctaviaRbac } from '../octavia/rbac.ts';
import { caller } from '../plugins/auth.ts';

export async function visibleLoadBalancer(
  request: FastifyRequest<{ Params: { id: string } }>,
  db: Db,
  rbac: OctaviaRbac,
  action: PolicyAction,
): Promise<LoadBalancer> {
  const { id } = request.params;
  const missing = () => fail('octavia.not-found', { resource: 'Load Balancer', id });
  const lb = await findLoadBalancer(db, id);
  if (!lb) throw missing();
  try {
    rbac.enforce(caller(request), 'loadbalancer', action, lb.projectId);
  } catch {
    throw missing();
  }
  return lb;
}
