// `/healthmonitors`: list, create (one per pool), show, update, delete (reference §7). A monitor change needs
// its pool ACTIVE, then locks the load balancer and marks the pool and its listeners PENDING_UPDATE (§2.2).
import type { FastifyInstance } from 'fastify';
import { fail } from '../../../errors.ts';
import { checkHealthMonitorCreate, checkHealthMonitorUpdate } from '../../../model/health-monitor.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import {
  findHealthMonitor,
  findHealthMonitorOfPool,
  insertHealthMonitor,
  listHealthMonitors,
  pageHealthMonitors,
  updateHealthMonitor,
} from '../../../store/repositories/health-monitor-repository.ts';
import { setProvisioningStatus } from '../../../store/repositories/octavia-lock.ts';
import { findPool, lockForPoolChild } from '../../../store/repositories/pool-repository.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { refuseIf } from '../pools/schema.ts';
import { runChange } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import {
  checkHealthMonitorBody,
  HEALTH_MONITOR_POST_ENVELOPE,
  HEALTH_MONITOR_PUT_ENVELOPE,
} from './schema.ts';
import {
  HEALTH_MONITOR_ATTRIBUTES,
  HEALTH_MONITOR_COLUMNS,
  HEALTH_MONITOR_FILTERS,
  healthMonitorChangesFromBody,
  healthMonitorInput,
  healthMonitorToWire,
  newHealthMonitorFromBody,
} from './wire.ts';

type IdParams = { Params: { id: string }; Querystring: Query };
type Body = Record<string, unknown>;
const octavia = { config: { family: 'octavia' as const } };

export async function registerHealthMonitorRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  async function load(id: string) {
    const hm = await findHealthMonitor(db, id);
    if (!hm) throw fail('octavia.not-found', { resource: 'Health Monitor', id });
    return hm;
  }
  async function loadPool(id: string | null) {
    const pool = id === null ? undefined : await findPool(db, id);
    if (!pool) throw fail('octavia.not-found', { resource: 'Pool', id: id ?? 'None' });
    return pool;
  }

  registerListRoute(app, rbac, healthMonitorList(db));

  app.post('/healthmonitors', octavia, async (request, reply) => {
    const body = readBody(request, 'health_monitor_', HEALTH_MONITOR_POST_ENVELOPE).healthmonitor as Body;
    refuseIf(checkHealthMonitorBody(body));
    const pool = await loadPool(body.pool_id as string | null);
    enforce(caller(request), 'healthmonitor', 'post', pool.projectId);
    refuseIf(checkHealthMonitorCreate(pool.protocol, healthMonitorInput(body)));
    const id = newId();
    await runChange(context, async (trx) => {
      await lockForPoolChild(trx, pool.loadBalancerId, pool.id, [{ table: 'health_monitors', id }]);
      await enforceQuota(trx, pool.projectId, { health_monitor: 1 });
      if (await findHealthMonitorOfPool(trx, pool.id)) throw fail('octavia.duplicate-health-monitor');
      await insertHealthMonitor(
        trx,
        newHealthMonitorFromBody(body, {
          id,
          projectId: pool.projectId,
          loadBalancerId: pool.loadBalancerId,
          poolId: pool.id,
        }),
      );
    });
    context.changes.notify(pool.loadBalancerId);
    return reply.code(201).send({ healthmonitor: healthMonitorToWire(await load(id)) });
  });

  app.get<IdParams>('/healthmonitors/:id', octavia, async (request) => {
    const hm = await load(request.params.id);
    enforce(caller(request), 'healthmonitor', 'get_one', hm.projectId);
    return { healthmonitor: project(healthMonitorToWire(hm), request.query) };
  });

  app.put<IdParams>('/healthmonitors/:id', octavia, async (request) => {
    const body = readBody(request, 'health_monitor_', HEALTH_MONITOR_PUT_ENVELOPE).healthmonitor as Body;
    refuseIf(checkHealthMonitorBody(body));
    const hm = await load(request.params.id);
    const pool = await loadPool(hm.poolId);
    enforce(caller(request), 'healthmonitor', 'put', hm.projectId);
    refuseIf(checkHealthMonitorUpdate(pool.protocol, hm, healthMonitorInput(body)));
    await runChange(context, async (trx) => {
      await lockForPoolChild(trx, pool.loadBalancerId, pool.id, [{ table: 'health_monitors', id: hm.id }]);
      await setProvisioningStatus(trx, 'health_monitors', [hm.id], 'PENDING_UPDATE');
      await updateHealthMonitor(trx, hm.id, healthMonitorChangesFromBody(body));
    });
    context.changes.notify(pool.loadBalancerId);
    return { healthmonitor: healthMonitorToWire(await load(hm.id)) };
  });

  app.delete<IdParams>('/healthmonitors/:id', octavia, async (request, reply) => {
    const hm = await load(request.params.id);
    enforce(caller(request), 'healthmonitor', 'delete', hm.projectId);
    await runChange(context, async (trx) => {
      await lockForPoolChild(trx, hm.loadBalancerId, hm.poolId, [{ table: 'health_monitors', id: hm.id }]);
      await setProvisioningStatus(trx, 'health_monitors', [hm.id], 'PENDING_DELETE');
    });
    context.changes.notify(hm.loadBalancerId);
    return reply.code(204).send();
  });
}

/** The health monitors' list: in SQL when the request allows, else read whole and listed in memory. */
export function healthMonitorList(db: Db): ListRoute {
  return {
    path: '/healthmonitors',
    collection: 'healthmonitors',
    object: 'healthmonitor',
    scope: 'project',
    rows: async (projectId) => (await listHealthMonitors(db, { projectId })).map(healthMonitorToWire),
    sql: {
      columns: HEALTH_MONITOR_COLUMNS,
      page: async (projectId, spec) =>
        (await pageHealthMonitors(db, projectId, spec))?.map(healthMonitorToWire),
    },
    attributes: HEALTH_MONITOR_ATTRIBUTES,
    filters: HEALTH_MONITOR_FILTERS,
  };
}
