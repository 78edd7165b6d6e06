// `/v2.0/lb/health_monitors[/{id}]` (§3): a v1 monitor is a template associated with pools (pools-routes.ts
// associates); each association on a pool with a VIP is one v2 monitor, updated and deleted with it.
import type { FastifyInstance } from 'fastify';
import type { V1HealthMonitor } from '../../model/lbaas-v1.ts';
import type { Db } from '../../store/database.ts';
import { updateHealthMonitor } from '../../store/repositories/health-monitor-repository.ts';
import {
  deleteV1Monitor,
  getV1Pool,
  insertV1Monitor,
  listAssociations,
  listV1Monitors,
  updateV1Monitor,
} from '../../store/repositories/lbaas-v1-repository.ts';
import { getV1VipOfPool } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { setProvisioningStatus } from '../../store/repositories/octavia-lock.ts';
import { lockForPoolChild } from '../../store/repositories/pool-repository.ts';
import type { ApiContext } from '../context.ts';
import { attr, parseAttributes, readResource } from '../neutron/neutron-body.ts';
import { NEUTRON_ROUTE, queryOf } from '../neutron/neutron-http.ts';
import { filterList, projectOne } from '../neutron/neutron-list.ts';
import { owningProject, visibility } from '../neutron/neutron-policy.ts';
import { caller } from '../plugins/auth.ts';
import { V1_MONITOR_ATTRIBUTES } from './v1-attributes.ts';
import { v1Change } from './v1-change.ts';
import { badRequest, idParam, lookupMonitor } from './v1-lookup.ts';
import { v2PoolOf } from './v1-realize-children.ts';
import { monitorToWire } from './v1-view.ts';

/** Neutron v1's DelayOrTimeoutInvalid. */
function checkDelay(delay: number, timeout: number) {
  if (delay < timeout) {
    throw badRequest('Delay must be greater than or equal to timeout', 'DelayOrTimeoutInvalid');
  }
}

/** Each realized association of the monitor: its v2 monitor, pool and load balancer. */
async function realizedAssociations(db: Db, monitor: V1HealthMonitor) {
  const out: { v2MonitorId: string; v2PoolId: string; loadBalancerId: string }[] = [];
  for (const a of await listAssociations(db, { monitorIds: [monitor.id] })) {
    const pool = await getV1Pool(db, a.poolId);
    const v2 = pool && (await v2PoolOf(db, pool));
    if (v2 && a.v2MonitorId) {
      out.push({ v2MonitorId: a.v2MonitorId, v2PoolId: v2.id, loadBalancerId: v2.loadBalancerId });
    }
  }
  return out;
}

async function lbsOf(db: Db, monitor: V1HealthMonitor): Promise<string[]> {
  const ids: string[] = [];
  for (const a of await listAssociations(db, { monitorIds: [monitor.id] })) {
    const vip = await getV1VipOfPool(db, a.poolId);
    if (vip) ids.push(vip.loadBalancerId);
  }
  return ids;
}

export function registerV1HealthMonitorRoutes(app: FastifyInstance, context: ApiContext, base: string): void {
  const db = context.store.db;
  const path = `${base}/health_monitors`;

  app.get(path, NEUTRON_ROUTE, async (request) => {
    const monitors = await listV1Monitors(db, { visibility: visibility(caller(request)) });
    const rows = await Promise.all(monitors.map((m) => monitorToWire(db, m)));
    return { health_monitors: filterList(rows, queryOf(request)) };
  });

  app.post(path, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const a = parseAttributes(V1_MONITOR_ATTRIBUTES, readResource(request, 'health_monitor'), 'POST');
    checkDelay(a.delay as number, a.timeout as number);
    const id = await insertV1Monitor(db, {
      projectId: owningProject(auth, a),
      type: a.type as string,
      delay: a.delay as number,
      timeout: a.timeout as number,
      maxRetries: a.max_retries as number,
      httpMethod: attr(a, 'http_method') ?? 'GET',
      urlPath: attr(a, 'url_path') ?? '/',
      expectedCodes: attr(a, 'expected_codes') ?? '200',
      adminStateUp: attr(a, 'admin_state_up') ?? true,
    });
    return reply
      .code(201)
      .send({ health_monitor: await monitorToWire(db, await lookupMonitor(db, auth, id)) });
  });

  app.get(`${path}/:id`, NEUTRON_ROUTE, async (request) => {
    const monitor = await lookupMonitor(db, caller(request), idParam(request.params));
    return { health_monitor: projectOne(await monitorToWire(db, monitor), queryOf(request)) };
  });

  app.put(`${path}/:id`, NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const monitor = await lookupMonitor(db, auth, idParam(request.params));
    const a = parseAttributes(V1_MONITOR_ATTRIBUTES, readResource(request, 'health_monitor'), 'PUT');
    const changes = {
      delay: attr<number>(a, 'delay'),
      timeout: attr<number>(a, 'timeout'),
      maxRetries: attr<number>(a, 'max_retries'),
      httpMethod: attr<string>(a, 'http_method'),
      urlPath: attr<string>(a, 'url_path'),
      expectedCodes: attr<string>(a, 'expected_codes'),
      adminStateUp: attr<boolean>(a, 'admin_state_up'),
    };
    checkDelay(changes.delay ?? monitor.delay, changes.timeout ?? monitor.timeout);
    const http = monitor.type === 'HTTP' || monitor.type === 'HTTPS';
    await v1Change(context, await lbsOf(db, monitor), async (trx) => {
      await updateV1Monitor(trx, monitor.id, changes);
      for (const r of await realizedAssociations(trx, monitor)) {
        await lockForPoolChild(trx, r.loadBalancerId, r.v2PoolId, [
          { table: 'health_monitors', id: r.v2MonitorId },
        ]);
        await setProvisioningStatus(trx, 'health_monitors', [r.v2MonitorId], 'PENDING_UPDATE');
        await updateHealthMonitor(trx, r.v2MonitorId, {
          ...(changes.delay !== undefined && { delay: changes.delay }),
          ...(changes.timeout !== undefined && { timeout: changes.timeout }),
          ...(changes.maxRetries !== undefined && { maxRetries: changes.maxRetries }),
          ...(changes.adminStateUp !== undefined && { adminStateUp: changes.adminStateUp }),
          ...(http && changes.httpMethod !== undefined && { httpMethod: changes.httpMethod }),
          ...(http && changes.urlPath !== undefined && { urlPath: changes.urlPath }),
          ...(http && changes.expectedCodes !== undefined && { expectedCodes: changes.expectedCodes }),
        });
      }
      return { value: undefined, wake: [] };
    });
    return { health_monitor: await monitorToWire(db, await lookupMonitor(db, auth, monitor.id)) };
  });

  app.delete(`${path}/:id`, NEUTRON_ROUTE, async (request, reply) => {
    const monitor = await lookupMonitor(db, caller(request), idParam(request.params));
    await v1Change(context, await lbsOf(db, monitor), async (trx) => {
      for (const r of await realizedAssociations(trx, monitor)) {
        await lockForPoolChild(trx, r.loadBalancerId, r.v2PoolId, [
          { table: 'health_monitors', id: r.v2MonitorId },
        ]);
        await setProvisioningStatus(trx, 'health_monitors', [r.v2MonitorId], 'PENDING_DELETE');
      }
      await deleteV1Monitor(trx, monitor.id);
      return { value: undefined, wake: [] };
    });
    return reply.code(204).send();
  });
}
