// `/loadbalancers`: list, create, show, update, delete with cascade (reference §3); status, stats and
// failover live in actions-routes.ts.
// Writes take the load balancer's provisioning status as a lock with one conditional UPDATE (§2.2) and wake
// the controller through the change feed once committed.
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import type { LoadBalancer, LoadBalancerChanges } from '../../../model/load-balancer.ts';
import { DELETABLE_STATUSES, MUTABLE_STATUSES } from '../../../model/statuses.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import { childIdsOf, markChildrenDeleting } from '../../../store/repositories/load-balancer-children.ts';
import {
  findLoadBalancer,
  getRevision,
  insertLoadBalancer,
  listLoadBalancers,
  pageLoadBalancers,
  transitionLoadBalancer,
} from '../../../store/repositories/load-balancer-repository.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { one, project, type Query, type WireObject } from '../../wire/listing.ts';
import type { Parsed } from '../../wire/parse-body.ts';
import { isTruthy } from '../../wire/query-values.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { vipAddresses } from '../listeners/schema.ts';
import { placementOf } from '../placement.ts';
import { requireProviderSupport } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import { type GraphPlan, planGraph } from './graph-plan.ts';
import { graphResponse, insertGraph, recordGraphCertificates } from './graph-store.ts';
import { LOAD_BALANCER_POST_ENVELOPE, LOAD_BALANCER_PUT_ENVELOPE } from './schema.ts';
import { requireQosPolicy, resolveVip } from './vip-resolver.ts';
import { requireVisibleSecurityGroups, setVipPortSecurityGroups } from './vip-security-groups.ts';
import {
  LOAD_BALANCER_ATTRIBUTES,
  LOAD_BALANCER_COLUMNS,
  LOAD_BALANCER_FILTERS,
  loadBalancerToWire,
} from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
const octavia = { config: { family: 'octavia' as const } };

export async function registerLoadBalancerRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  async function load(id: string) {
    const lb = await findLoadBalancer(db, id);
    if (!lb) throw fail('octavia.not-found', { resource: 'Load Balancer', id });
    return lb;
  }
  async function wire(id: string) {
    const lb = await load(id);
    return loadBalancerToWire(lb, (await childIdsOf(db, [id])).get(id));
  }

  registerListRoute(app, rbac, loadBalancerList(db));

  app.post('/loadbalancers', octavia, async (request, reply) => {
    const body = readBody(request, 'load_balancer', LOAD_BALANCER_POST_ENVELOPE).loadbalancer as Record<
      string,
      unknown
    >;
    const ctx = caller(request);
    const projectId = (body.project_id ?? body.tenant_id ?? ctx.projectId) as string | null;
    if (!projectId) throw fail('octavia.missing-project');
    enforce(ctx, 'loadbalancer', 'post', projectId);
    const { provider, providerAlias, topology } = await placementOf(db, context, body);
    const id = newId();
    let planned: GraphPlan | undefined;
    await db.transaction().execute(async (trx) => {
      const vip = await resolveVip(
        trx,
        {
          portId: body.vip_port_id as string | undefined,
          networkId: body.vip_network_id as string | undefined,
          subnetId: body.vip_subnet_id as string | undefined,
          address: body.vip_address as string | undefined,
          qosPolicyId: body.vip_qos_policy_id as string | null | undefined,
          additional: (
            (body.additional_vips as { subnet_id: string; ip_address?: string }[] | null) ?? []
          ).map((v) => ({ subnetId: v.subnet_id, address: v.ip_address })),
        },
        id,
        projectId,
        ctx,
        context.config.networkDriver,
        context.config.denylistVipNetworks,
      );
      // Checked after the VIP, as Octavia's _validate_vip_request_object does.
      const sgIds = (body.vip_sg_ids as string[] | null | undefined) ?? [];
      await requireVisibleSecurityGroups(trx, ctx, sgIds);
      if (sgIds.length > 0) await setVipPortSecurityGroups(trx, vip.portId, sgIds);
      const plan = planGraph(
        (body.listeners as Parsed[] | null) ?? [],
        (body.pools as Parsed[] | null) ?? [],
        vipAddresses({ vip }),
        sgIds,
        context.config.tlsPolicy,
      );
      planned = plan;
      await enforceQuota(trx, projectId, { load_balancer: 1, ...plan.counts });
      await insertLoadBalancer(trx, {
        id,
        projectId,
        name: (body.name as string | null) ?? null,
        description: (body.description as string | null) ?? null,
        adminStateUp: body.admin_state_up === undefined ? true : body.admin_state_up === true,
        provisioningStatus: 'PENDING_CREATE',
        operatingStatus: 'OFFLINE',
        provider,
        providerAlias,
        flavorId: (body.flavor_id as string | null) ?? null,
        availabilityZone: (body.availability_zone as string | null) ?? null,
        topology,
        vip: { ...vip, sgIds },
        tags: (body.tags as string[] | null) ?? [],
      });
      await insertGraph(trx, plan, { loadBalancerId: id, projectId }, context.config.networkDriver, ctx);
      await requireProviderSupport(trx, context, id);
    });
    // Read once committed: the secret store is read outside the create's transaction.
    await recordGraphCertificates(db, context.secrets, projectId, planned?.listeners ?? []);
    context.changes.notify(id);
    // The create answers the full graph (reference §3.3), even for a load balancer without children.
    const graph = await graphResponse(db, id);
    return reply.code(201).send({ loadbalancer: { ...(await wire(id)), ...graph } });
  });

  app.get<IdParams>('/loadbalancers/:id', octavia, async (request) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'get_one', lb.projectId);
    return { loadbalancer: project(await wire(lb.id), request.query) };
  });

  app.put<IdParams>('/loadbalancers/:id', octavia, async (request) => {
    const body = readBody(request, 'load_balancer', LOAD_BALANCER_PUT_ENVELOPE).loadbalancer as Record<
      string,
      unknown
    >;
    const lb = await load(request.params.id);
    const ctx = caller(request);
    enforce(ctx, 'loadbalancer', 'put', lb.projectId);
    // A new VIP QoS policy must be visible to the caller (Octavia's put: qos_policy_exists with the user's
    // context when it differs from the current one); null clears it.
    const qosPolicyId = body.vip_qos_policy_id as string | null | undefined;
    if (qosPolicyId && qosPolicyId !== lb.vip.qosPolicyId && context.config.networkDriver !== 'noop') {
      await requireQosPolicy(db, ctx, qosPolicyId);
    }
    // `vip_sg_ids: null` clears the list, as in Octavia's put().
    const sgIds = 'vip_sg_ids' in body ? ((body.vip_sg_ids as string[] | null) ?? []) : undefined;
    if (sgIds) await requireVisibleSecurityGroups(db, ctx, sgIds);
    const changes: LoadBalancerChanges = {
      ...('name' in body && { name: body.name as string | null }),
      ...('description' in body && { description: body.description as string | null }),
      // Octavia coerces `admin_state_up: null` to false (reference §1.3).
      ...('admin_state_up' in body && { adminStateUp: body.admin_state_up === true }),
      ...('tags' in body && { tags: (body.tags as string[] | null) ?? [] }),
      ...(qosPolicyId !== undefined && { vipQosPolicyId: qosPolicyId }),
      ...(sgIds && { vipSgIds: sgIds }),
    };
    const taken = await db.transaction().execute(async (trx) => {
      if (!(await transitionLoadBalancer(trx, lb.id, MUTABLE_STATUSES, 'PENDING_UPDATE', changes))) {
        return false;
      }
      if (sgIds) await setVipPortSecurityGroups(trx, lb.vip.portId, sgIds);
      return true;
    });
    if (!taken) throw await pendingError(lb.id);
    context.changes.notify(lb.id);
    return { loadbalancer: await wire(lb.id) };
  });

  app.delete<IdParams>('/loadbalancers/:id', octavia, async (request, reply) => {
    const lb = await load(request.params.id);
    enforce(caller(request), 'loadbalancer', 'delete', lb.projectId);
    const cascade = isTruthy(one(request.query.cascade));
    // Children are counted in the same transaction as the lock is taken: a child created meanwhile holds
    // the lock itself, so the transition below fails (409) instead of deleting it unasked.
    const taken = await db.transaction().execute(async (trx) => {
      const children = (await childIdsOf(trx, [lb.id])).get(lb.id)!;
      if (children.listeners.length + children.pools.length > 0 && !cascade) {
        throw fail('octavia.validation', {
          detail: `Cannot delete Load Balancer ${lb.id} - it has children`,
        });
      }
      if (!(await transitionLoadBalancer(trx, lb.id, DELETABLE_STATUSES, 'PENDING_DELETE'))) return false;
      // With cascade the children leave in the same provider change as the load balancer (reference §2.4).
      await markChildrenDeleting(trx, lb.id);
      return true;
    });
    if (!taken) throw await pendingError(lb.id);
    context.changes.notify(lb.id);
    return reply.code(204).send();
  });

  async function pendingError(id: string) {
    const current = await getRevision(db, id);
    return fail('octavia.lb-pending', { state: current?.status ?? 'DELETED', id });
  }
}

/** The load balancers' list: in SQL when the request allows, else read whole and listed in memory. */
export function loadBalancerList(db: Db): ListRoute {
  /** Wire objects of listed load balancers, with their children's ids read in one batch. */
  async function listedToWire(lbs: readonly LoadBalancer[]): Promise<WireObject[]> {
    const children = await childIdsOf(
      db,
      lbs.map((lb) => lb.id),
    );
    return lbs.map((lb) => loadBalancerToWire(lb, children.get(lb.id)));
  }

  return {
    path: '/loadbalancers',
    collection: 'loadbalancers',
    object: 'loadbalancer',
    scope: 'project',
    rows: async (projectId) => listedToWire(await listLoadBalancers(db, projectId)),
    sql: {
      columns: LOAD_BALANCER_COLUMNS,
      page: async (projectId, spec) => {
        const lbs = await pageLoadBalancers(db, projectId, spec);
        return lbs && listedToWire(lbs);
      },
    },
    attributes: LOAD_BALANCER_ATTRIBUTES,
    filters: LOAD_BALANCER_FILTERS,
  };
}
