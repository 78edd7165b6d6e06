// `/v2.0/lb/vips[/{id}]` (§3): creating a VIP on a pool creates the v2 load balancer, listener, pool,
// members and monitor behind it (v1-realize.ts); updating changes the listener/pool/load balancer under the
// lock; deleting cascades the load balancer, whose port is freed once the provider confirms.
import type { FastifyInstance } from 'fastify';
import type { V1Vip } from '../../model/lbaas-v1.ts';
import {
  deleteV1Vip,
  getV1VipOfPool,
  listV1Vips,
  updateV1Vip,
} from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { updateListener } from '../../store/repositories/listener-repository.ts';
import { renameLoadBalancer } from '../../store/repositories/load-balancer-repository.ts';
import { lockLoadBalancerForChild, setProvisioningStatus } from '../../store/repositories/octavia-lock.ts';
import { findPool, updatePool } from '../../store/repositories/pool-repository.ts';
import type { ApiContext } from '../context.ts';
import { attr, parseAttributes, readResource } from '../neutron/neutron-body.ts';
import { NEUTRON_ROUTE, queryOf } from '../neutron/neutron-http.ts';
import { filterList, projectOne } from '../neutron/neutron-list.ts';
import { owningProject, visibility } from '../neutron/neutron-policy.ts';
import { caller } from '../plugins/auth.ts';
import { type PersistenceRequest, V1_VIP_ATTRIBUTES } from './v1-attributes.ts';
import { v1Change } from './v1-change.ts';
import { badRequest, conflict, idParam, lookupPool, lookupVip } from './v1-lookup.ts';
import { realizeVip, unrealizeVip } from './v1-realize.ts';
import { vipToWire } from './v1-view.ts';

const checkConnectionLimit = (limit: number | undefined) => {
  if (limit !== undefined && limit < -1) {
    throw badRequest(`Invalid input for connection_limit. Reason: '${limit}' should be -1 or more.`);
  }
};

const persistence = (sp: PersistenceRequest | undefined): V1Vip['sessionPersistence'] | undefined =>
  sp === undefined ? undefined : sp && { type: sp.type as 'SOURCE_IP', cookieName: sp.cookieName };

export function registerV1VipRoutes(app: FastifyInstance, context: ApiContext, base: string): void {
  const db = context.store.db;
  const vipsPath = `${base}/vips`;

  app.get(vipsPath, NEUTRON_ROUTE, async (request) => {
    const vips = await listV1Vips(db, { visibility: visibility(caller(request)) });
    const rows = await Promise.all(vips.map((v) => vipToWire(db, v)));
    return { vips: filterList(rows, queryOf(request)) };
  });

  app.post(vipsPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const a = parseAttributes(V1_VIP_ATTRIBUTES, readResource(request, 'vip'), 'POST');
    const pool = await lookupPool(db, auth, a.pool_id as string);
    owningProject(auth, a);
    const protocol = a.protocol as string;
    if (protocol !== pool.protocol) {
      throw badRequest(
        `Protocol ${protocol} does not match pool protocol ${pool.protocol}`,
        'ProtocolMismatch',
      );
    }
    const connectionLimit = attr<number>(a, 'connection_limit') ?? -1;
    checkConnectionLimit(connectionLimit);
    const vip = await v1Change(context, [], async (trx) => {
      if (await getV1VipOfPool(trx, pool.id)) {
        throw conflict(`Another Vip already exists for pool ${pool.id}`, 'VipExists');
      }
      const created = await realizeVip(trx, context, auth, pool, {
        name: attr(a, 'name') ?? '',
        description: attr(a, 'description') ?? '',
        subnetId: a.subnet_id as string,
        address: attr<string | null>(a, 'address') ?? null,
        protocol,
        protocolPort: a.protocol_port as number,
        sessionPersistence: persistence(attr(a, 'session_persistence')) ?? null,
        connectionLimit,
        adminStateUp: attr(a, 'admin_state_up') ?? true,
      });
      return { value: created, wake: [created.loadBalancerId] };
    });
    return reply.code(201).send({ vip: await vipToWire(db, vip) });
  });

  app.get(`${vipsPath}/:id`, NEUTRON_ROUTE, async (request) => {
    const vip = await lookupVip(db, caller(request), idParam(request.params));
    return { vip: projectOne(await vipToWire(db, vip), queryOf(request)) };
  });

  app.put(`${vipsPath}/:id`, NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const vip = await lookupVip(db, auth, idParam(request.params));
    const a = parseAttributes(V1_VIP_ATTRIBUTES, readResource(request, 'vip'), 'PUT');
    if (a.pool_id !== undefined && a.pool_id !== vip.poolId) {
      throw badRequest(
        'Moving a VIP to another pool is not supported: delete it and create it on that pool.',
      );
    }
    const changes = {
      name: attr<string>(a, 'name'),
      description: attr<string>(a, 'description'),
      connectionLimit: attr<number>(a, 'connection_limit'),
      adminStateUp: attr<boolean>(a, 'admin_state_up'),
      sessionPersistence: persistence(attr(a, 'session_persistence')),
    };
    checkConnectionLimit(changes.connectionLimit);
    await v1Change(context, [vip.loadBalancerId], async (trx) => {
      await updateV1Vip(trx, vip.id, changes);
      const pool = await lookupPool(trx, auth, vip.poolId);
      const v2Pool = pool.v2PoolId ? await findPool(trx, pool.v2PoolId) : undefined;
      if (!v2Pool) return { value: undefined, wake: [] };
      const listenerChanged =
        changes.name !== undefined ||
        changes.connectionLimit !== undefined ||
        changes.adminStateUp !== undefined;
      await lockLoadBalancerForChild(trx, vip.loadBalancerId, [
        ...(listenerChanged ? [{ table: 'listeners' as const, id: vip.listenerId }] : []),
        ...(changes.sessionPersistence !== undefined ? [{ table: 'pools' as const, id: v2Pool.id }] : []),
      ]);
      if (listenerChanged) {
        await setProvisioningStatus(trx, 'listeners', [vip.listenerId], 'PENDING_UPDATE');
        await updateListener(trx, vip.listenerId, {
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.connectionLimit !== undefined && { connectionLimit: changes.connectionLimit }),
          ...(changes.adminStateUp !== undefined && { adminStateUp: changes.adminStateUp }),
        });
      }
      if (changes.sessionPersistence !== undefined) {
        const sp = changes.sessionPersistence;
        await setProvisioningStatus(trx, 'pools', [v2Pool.id], 'PENDING_UPDATE');
        await updatePool(trx, v2Pool.id, {
          sessionPersistence: sp && {
            type: sp.type,
            cookieName: sp.cookieName,
            persistenceTimeout: null,
            persistenceGranularity: null,
          },
        });
      }
      await renameLoadBalancer(trx, vip.loadBalancerId, changes);
      return { value: undefined, wake: [] };
    });
    return { vip: await vipToWire(db, await lookupVip(db, auth, vip.id)) };
  });

  app.delete(`${vipsPath}/:id`, NEUTRON_ROUTE, async (request, reply) => {
    const vip = await lookupVip(db, caller(request), idParam(request.params));
    await v1Change(context, [vip.loadBalancerId], async (trx) => {
      const wake = await unrealizeVip(trx, vip);
      await deleteV1Vip(trx, vip.id);
      return { value: undefined, wake };
    });
    return reply.code(204).send();
  });
}
