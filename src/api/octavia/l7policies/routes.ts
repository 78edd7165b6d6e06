// `/l7policies`: list, create, show, update, delete (reference §8.1). Writes lock the load balancer and
// mark the listener PENDING_UPDATE in one transaction (§2.2); positions stay dense per listener.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import type { Listener } from '../../../model/listener.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import {
  findL7Policy,
  insertL7Policy,
  listL7Policies,
  markL7PolicyDeleting,
  pageL7Policies,
  updateL7Policy,
} from '../../../store/repositories/l7-repository.ts';
import { findListener, findPoolOf } from '../../../store/repositories/listener-repository.ts';
import { lockLoadBalancerForChild, setProvisioningStatus } from '../../../store/repositories/octavia-lock.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { INLINE_CHILDREN_ONLY_IN_GRAPH } from '../listeners/routes.ts';
import { checkListenerPool } from '../listeners/schema.ts';
import { runChange } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import {
  checkPolicyFields,
  L7POLICY_POST_ENVELOPE,
  L7POLICY_PUT_ENVELOPE,
  requireChildrenAllowed,
  validateL7PolicyCreate,
  validateL7PolicyUpdate,
} from './schema.ts';
import { L7POLICY_ATTRIBUTES, L7POLICY_COLUMNS, L7POLICY_FILTERS, l7PolicyToWire } from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerL7PolicyRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  async function load(id: string) {
    const policy = await findL7Policy(db, id);
    if (!policy) throw fail('octavia.not-found', { resource: 'L7 Policy', id });
    return policy;
  }
  async function listenerOf(id: string) {
    const listener = await findListener(db, id);
    if (!listener) throw fail('octavia.not-found', { resource: 'Listener', id });
    return listener;
  }
  async function checkRedirectPool(listener: Listener, poolId: string | null | undefined) {
    if (poolId)
      checkListenerPool(listener.protocol, poolId, await findPoolOf(db, listener.loadBalancerId, poolId));
  }

  // Like every Octavia list, by created_at then id unless the client sorts: its pagination helper appends
  // DEFAULT_SORT_KEYS and the l7policy controller asks for no other order
  // (https://opendev.org/openstack/octavia/src/branch/master/octavia/api/common/pagination.py).
  registerListRoute(app, rbac, l7PolicyList(db));

  app.post('/l7policies', octavia, async (request, reply) => {
    const body = readBody(request, 'l7policy_', L7POLICY_POST_ENVELOPE).l7policy as Record<string, unknown>;
    checkPolicyFields(body);
    const listener = await listenerOf(body.listener_id as string);
    enforce(caller(request), 'l7policy', 'post', listener.projectId);
    requireChildrenAllowed(listener.protocol);
    if (Array.isArray(body.rules) && body.rules.length > 0) {
      throw fail('octavia.validation', { detail: INLINE_CHILDREN_ONLY_IN_GRAPH });
    }
    await checkRedirectPool(listener, body.redirect_pool_id as string | null | undefined);
    const spec = validateL7PolicyCreate(body);
    const id = newId();
    await runChange(context, async (trx) => {
      await lockPolicy(trx, listener, id);
      await enforceQuota(trx, listener.projectId, { l7policy: 1 });
      await insertL7Policy(trx, {
        ...spec,
        id,
        projectId: listener.projectId,
        loadBalancerId: listener.loadBalancerId,
        listenerId: listener.id,
      });
    });
    context.changes.notify(listener.loadBalancerId);
    return reply.code(201).send({ l7policy: l7PolicyToWire(await load(id)) });
  });

  app.get<IdParams>('/l7policies/:id', octavia, async (request) => {
    const policy = await load(request.params.id);
    enforce(caller(request), 'l7policy', 'get_one', policy.projectId);
    return { l7policy: project(l7PolicyToWire(policy), request.query) };
  });

  app.put<IdParams>('/l7policies/:id', octavia, async (request) => {
    const body = readBody(request, 'l7policy_', L7POLICY_PUT_ENVELOPE).l7policy as Record<string, unknown>;
    checkPolicyFields(body);
    const policy = await load(request.params.id);
    enforce(caller(request), 'l7policy', 'put', policy.projectId);
    const changes = validateL7PolicyUpdate(body);
    const listener = await listenerOf(policy.listenerId);
    await checkRedirectPool(listener, changes.redirectPoolId);
    // The policy's own status is not checked, only the load balancer's (reference §2.2).
    await runChange(context, async (trx) => {
      await lockPolicy(trx, listener, policy.id);
      await updateL7Policy(trx, policy.id, listener.id, changes);
    });
    context.changes.notify(listener.loadBalancerId);
    return { l7policy: l7PolicyToWire(await load(policy.id)) };
  });

  app.delete<IdParams>('/l7policies/:id', octavia, async (request, reply) => {
    const policy = await load(request.params.id);
    enforce(caller(request), 'l7policy', 'delete', policy.projectId);
    const listener = await listenerOf(policy.listenerId);
    await runChange(context, async (trx) => {
      await lockPolicy(trx, listener, policy.id);
      await markL7PolicyDeleting(trx, policy.id);
    });
    context.changes.notify(listener.loadBalancerId);
    return reply.code(204).send();
  });
}

/** Takes the load balancer for a change to policy `id` and marks its listener PENDING_UPDATE (§2.2). */
async function lockPolicy(trx: Db, listener: Listener, id: string): Promise<void> {
  await lockLoadBalancerForChild(trx, listener.loadBalancerId, [{ table: 'l7policies', id }]);
  await setProvisioningStatus(trx, 'listeners', [listener.id], 'PENDING_UPDATE');
}

/** The L7 policies' list: in SQL when the request allows, else read whole and listed in memory. */
export function l7PolicyList(db: Db): ListRoute {
  return {
    path: '/l7policies',
    collection: 'l7policies',
    object: 'l7policy',
    scope: 'project',
    rows: async (projectId) => (await listL7Policies(db, { projectId })).map(l7PolicyToWire),
    sql: {
      columns: L7POLICY_COLUMNS,
      page: async (projectId, spec) => (await pageL7Policies(db, projectId, spec))?.map(l7PolicyToWire),
    },
    attributes: L7POLICY_ATTRIBUTES,
    filters: L7POLICY_FILTERS,
  };
}
