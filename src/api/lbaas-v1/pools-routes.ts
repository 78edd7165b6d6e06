// `/v2.0/lb/pools[/{id}]`, `GET /lb/pools/{id}/stats`, and health monitor associate
// (`POST /lb/pools/{id}/health_monitors`) / disassociate (`DELETE …/health_monitors/{hm}`) (§3).
import type { FastifyInstance } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { V1Pool } from '../../model/lbaas-v1.ts';
import type { Db } from '../../store/database.ts';
import {
  deleteAssociation,
  deleteV1Pool,
  insertAssociation,
  insertV1Pool,
  listAssociations,
  listV1Pools,
  setAssociationRealization,
  updateV1Pool,
} from '../../store/repositories/lbaas-v1-repository.ts';
import { getV1VipOfPool } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { getNetwork, getSubnet, subnetNotFound } from '../../store/repositories/network-repository.ts';
import { setProvisioningStatus } from '../../store/repositories/octavia-lock.ts';
import { lockForPool, lockForPoolChild, updatePool } from '../../store/repositories/pool-repository.ts';
import { sumStatistics } from '../../store/repositories/statistics-repository.ts';
import type { ApiContext } from '../context.ts';
import { type Attributes, attr, parseAttributes, readResource } from '../neutron/neutron-body.ts';
import { NEUTRON_ROUTE, queryOf } from '../neutron/neutron-http.ts';
import { filterList, projectOne } from '../neutron/neutron-list.ts';
import { owningProject, owns, visibility } from '../neutron/neutron-policy.ts';
import { caller } from '../plugins/auth.ts';
import { V1_POOL_ATTRIBUTES } from './v1-attributes.ts';
import { v1Change } from './v1-change.ts';
import { badRequest, conflict, idParam, lookupMonitor, lookupPool } from './v1-lookup.ts';
import { realizeAssociation, v2PoolOf } from './v1-realize-children.ts';
import { poolToWire } from './v1-view.ts';

/** The subnet a pool's members live on: the caller's own, or on a shared network. */
async function checkSubnet(db: Db, auth: AuthContext, subnetId: string): Promise<void> {
  const subnet = await getSubnet(db, subnetId);
  const network = subnet && (await getNetwork(db, subnet.networkId));
  if (!subnet || !network || !(owns(auth, subnet.projectId) || network.shared))
    throw subnetNotFound(subnetId);
}

/** The load balancer a realized pool's changes lock (none without a VIP). */
async function lbOf(db: Db, pool: V1Pool): Promise<string[]> {
  const vip = await getV1VipOfPool(db, pool.id);
  return vip ? [vip.loadBalancerId] : [];
}

export function registerV1PoolRoutes(app: FastifyInstance, context: ApiContext, base: string): void {
  const db = context.store.db;
  const poolsPath = `${base}/pools`;

  app.get(poolsPath, NEUTRON_ROUTE, async (request) => {
    const pools = await listV1Pools(db, { visibility: visibility(caller(request)) });
    const rows = await Promise.all(pools.map((p) => poolToWire(db, p)));
    return { pools: filterList(rows, queryOf(request)) };
  });

  app.post(poolsPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const a = parseAttributes(V1_POOL_ATTRIBUTES, readResource(request, 'pool'), 'POST');
    const projectId = owningProject(auth, a);
    await checkSubnet(db, auth, a.subnet_id as string);
    const asked = attr<string>(a, 'provider') || context.config.defaultProvider;
    const info = context.providers.find((p) => p.name === asked);
    if (!info) throw badRequest(`Provider '${asked}' is not enabled.`, 'ServiceProviderNotFound');
    // An Octavia alias (amphora, octavia) stands for the provider serving it (docs/providers.md).
    const provider = info.servedBy ?? asked;
    const monitors = attr<string[]>(a, 'health_monitors') ?? [];
    for (const id of monitors) await lookupMonitor(db, auth, id);
    if (monitors.length > 1) throw badRequest('A pool takes one health monitor.');
    const id = await db.transaction().execute(async (trx) => {
      const poolId = await insertV1Pool(trx, {
        projectId,
        name: attr(a, 'name') ?? '',
        description: attr(a, 'description') ?? '',
        subnetId: a.subnet_id as string,
        protocol: a.protocol as string,
        lbMethod: a.lb_method as string,
        provider,
        adminStateUp: attr(a, 'admin_state_up') ?? true,
      });
      for (const monitorId of monitors)
        await insertAssociation(trx, { poolId, monitorId, v2MonitorId: null });
      return poolId;
    });
    return reply.code(201).send({ pool: await poolToWire(db, (await lookupPool(db, auth, id))!) });
  });

  app.get(`${poolsPath}/:id`, NEUTRON_ROUTE, async (request) => {
    const pool = await lookupPool(db, caller(request), idParam(request.params));
    return { pool: projectOne(await poolToWire(db, pool), queryOf(request)) };
  });

  app.put(`${poolsPath}/:id`, NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const pool = await lookupPool(db, auth, idParam(request.params));
    const a: Attributes = parseAttributes(V1_POOL_ATTRIBUTES, readResource(request, 'pool'), 'PUT');
    const changes = {
      name: attr<string>(a, 'name'),
      description: attr<string>(a, 'description'),
      lbMethod: attr<string>(a, 'lb_method'),
      adminStateUp: attr<boolean>(a, 'admin_state_up'),
    };
    await v1Change(context, await lbOf(db, pool), async (trx) => {
      await updateV1Pool(trx, pool.id, changes);
      const v2 = await v2PoolOf(trx, pool);
      if (v2) {
        await lockForPool(trx, v2.loadBalancerId, v2.id, [{ table: 'pools', id: v2.id }]);
        await setProvisioningStatus(trx, 'pools', [v2.id], 'PENDING_UPDATE');
        await updatePool(trx, v2.id, {
          ...(changes.name !== undefined && { name: changes.name || pool.id }),
          ...(changes.description !== undefined && { description: changes.description }),
          ...(changes.lbMethod !== undefined && { lbAlgorithm: changes.lbMethod }),
          ...(changes.adminStateUp !== undefined && { adminStateUp: changes.adminStateUp }),
        });
      }
      return { value: undefined, wake: [] };
    });
    return { pool: await poolToWire(db, (await lookupPool(db, auth, pool.id))!) };
  });

  app.delete(`${poolsPath}/:id`, NEUTRON_ROUTE, async (request, reply) => {
    const pool = await lookupPool(db, caller(request), idParam(request.params));
    await db.transaction().execute(async (trx) => {
      if (await getV1VipOfPool(trx, pool.id)) throw conflict(`Pool ${pool.id} is still in use`, 'PoolInUse');
      await deleteV1Pool(trx, pool.id);
    });
    return reply.code(204).send();
  });

  app.get(`${poolsPath}/:id/stats`, NEUTRON_ROUTE, async (request) => {
    const pool = await lookupPool(db, caller(request), idParam(request.params));
    const vip = await getV1VipOfPool(db, pool.id);
    const s = vip
      ? await sumStatistics(db, { listenerId: vip.listenerId })
      : { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0 };
    return {
      stats: {
        bytes_in: s.bytes_in,
        bytes_out: s.bytes_out,
        active_connections: s.active_connections,
        total_connections: s.total_connections,
      },
    };
  });

  app.post(`${poolsPath}/:id/health_monitors`, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const pool = await lookupPool(db, auth, idParam(request.params));
    const body = readResource(request, 'health_monitor');
    if (typeof body.id !== 'string')
      throw badRequest("Failed to parse request. Required attribute 'id' not specified");
    const monitor = await lookupMonitor(db, auth, body.id);
    await v1Change(context, await lbOf(db, pool), async (trx) => {
      const existing = await listAssociations(trx, { poolIds: [pool.id] });
      if (existing.some((x) => x.monitorId === monitor.id)) {
        throw conflict(
          `health_monitor ${monitor.id} is already associated with pool ${pool.id}`,
          'PoolMonitorAssociationExists',
        );
      }
      if (existing.length > 0) {
        throw conflict(
          `Pool ${pool.id} already has health monitor ${existing[0].monitorId}: a pool takes one health monitor`,
          'PoolMonitorAssociationExists',
        );
      }
      await insertAssociation(trx, { poolId: pool.id, monitorId: monitor.id, v2MonitorId: null });
      const v2Id = await realizeAssociation(trx, pool, monitor);
      if (v2Id) await setAssociationRealization(trx, pool.id, monitor.id, v2Id);
      return { value: undefined, wake: [] };
    });
    return reply.code(201).send({ health_monitor: { id: monitor.id, tenant_id: monitor.projectId } });
  });

  app.delete(`${poolsPath}/:id/health_monitors/:hm`, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const pool = await lookupPool(db, auth, idParam(request.params));
    const monitorId = idParam(request.params, 'hm');
    await v1Change(context, await lbOf(db, pool), async (trx) => {
      const association = (await listAssociations(trx, { poolIds: [pool.id] })).find(
        (x) => x.monitorId === monitorId,
      );
      if (!association) {
        throw new SluiceError(
          'network.not-found-detail',
          { detail: `Monitor ${monitorId} is not associated with Pool ${pool.id}` },
          'PoolMonitorAssociationNotFound',
        );
      }
      const v2 = await v2PoolOf(trx, pool);
      if (v2 && association.v2MonitorId) {
        await lockForPoolChild(trx, v2.loadBalancerId, v2.id, [
          { table: 'health_monitors', id: association.v2MonitorId },
        ]);
        await setProvisioningStatus(trx, 'health_monitors', [association.v2MonitorId], 'PENDING_DELETE');
      }
      await deleteAssociation(trx, pool.id, monitorId);
      return { value: undefined, wake: [] };
    });
    return reply.code(204).send();
  });
}
