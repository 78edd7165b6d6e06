// `/v2.0/lb/members[/{id}]` (§3): a member belongs to a v1 pool; while the pool has a VIP it is also a v2
// member of the pool realizing it, changed under the load-balancer lock (v1-realize.ts).
import type { FastifyInstance } from 'fastify';
import type { V1Member, V1Pool } from '../../model/lbaas-v1.ts';
import type { Db } from '../../store/database.ts';
import {
  deleteV1Member,
  insertV1Member,
  listV1Members,
  updateV1Member,
} from '../../store/repositories/lbaas-v1-repository.ts';
import { getV1VipOfPool } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import { updateMember } from '../../store/repositories/member-repository.ts';
import { setProvisioningStatus } from '../../store/repositories/octavia-lock.ts';
import { lockForPoolChild } from '../../store/repositories/pool-repository.ts';
import type { ApiContext } from '../context.ts';
import { attr, parseAttributes, readResource } from '../neutron/neutron-body.ts';
import { NEUTRON_ROUTE, queryOf } from '../neutron/neutron-http.ts';
import { filterList, projectOne } from '../neutron/neutron-list.ts';
import { owningProject, visibility } from '../neutron/neutron-policy.ts';
import { caller } from '../plugins/auth.ts';
import { V1_MEMBER_ATTRIBUTES } from './v1-attributes.ts';
import { v1Change } from './v1-change.ts';
import { conflict, idParam, lookupMember, lookupPool } from './v1-lookup.ts';
import { realizeMember, v2PoolOf } from './v1-realize-children.ts';
import { memberToWire } from './v1-view.ts';

async function refuseDuplicate(db: Db, pool: V1Pool, address: string, port: number, self?: string) {
  const clash = (await listV1Members(db, { visibility: 'all', poolId: pool.id })).find(
    (m) => m.address === address && m.protocolPort === port && m.id !== self,
  );
  if (clash) {
    throw conflict(
      `Member with address ${address} and port ${port} already present in pool ${pool.id}`,
      'MemberExists',
    );
  }
}

/** Marks the v2 member behind a v1 member for deletion, under the lock (nothing when not realized). */
async function unrealizeMember(trx: Db, pool: V1Pool, member: V1Member): Promise<void> {
  const v2 = await v2PoolOf(trx, pool);
  if (!v2 || !member.v2MemberId) return;
  await lockForPoolChild(trx, v2.loadBalancerId, v2.id, [{ table: 'members', id: member.v2MemberId }]);
  await setProvisioningStatus(trx, 'members', [member.v2MemberId], 'PENDING_DELETE');
}

const lbsOf = async (db: Db, ...pools: V1Pool[]) =>
  (await Promise.all(pools.map((p) => getV1VipOfPool(db, p.id)))).flatMap((v) =>
    v ? [v.loadBalancerId] : [],
  );

export function registerV1MemberRoutes(app: FastifyInstance, context: ApiContext, base: string): void {
  const db = context.store.db;
  const membersPath = `${base}/members`;

  app.get(membersPath, NEUTRON_ROUTE, async (request) => {
    const members = await listV1Members(db, { visibility: visibility(caller(request)) });
    const rows = await Promise.all(members.map((m) => memberToWire(db, m)));
    return { members: filterList(rows, queryOf(request)) };
  });

  app.post(membersPath, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const a = parseAttributes(V1_MEMBER_ATTRIBUTES, readResource(request, 'member'), 'POST');
    const pool = await lookupPool(db, auth, a.pool_id as string);
    const projectId = owningProject(auth, a);
    const fields = {
      projectId,
      poolId: pool.id,
      address: a.address as string,
      protocolPort: a.protocol_port as number,
      weight: attr<number>(a, 'weight') ?? 1,
      adminStateUp: attr<boolean>(a, 'admin_state_up') ?? true,
    };
    const id = await v1Change(context, await lbsOf(db, pool), async (trx) => {
      await refuseDuplicate(trx, pool, fields.address, fields.protocolPort);
      const v2MemberId = await realizeMember(trx, pool, { ...fields, id: '', v2MemberId: null });
      return { value: await insertV1Member(trx, { ...fields, v2MemberId }), wake: [] };
    });
    return reply.code(201).send({ member: await memberToWire(db, await lookupMember(db, auth, id)) });
  });

  app.get(`${membersPath}/:id`, NEUTRON_ROUTE, async (request) => {
    const member = await lookupMember(db, caller(request), idParam(request.params));
    return { member: projectOne(await memberToWire(db, member), queryOf(request)) };
  });

  app.put(`${membersPath}/:id`, NEUTRON_ROUTE, async (request) => {
    const auth = caller(request);
    const member = await lookupMember(db, auth, idParam(request.params));
    const a = parseAttributes(V1_MEMBER_ATTRIBUTES, readResource(request, 'member'), 'PUT');
    const pool = await lookupPool(db, auth, member.poolId);
    const target = a.pool_id === undefined ? pool : await lookupPool(db, auth, a.pool_id as string);
    const weight = attr<number>(a, 'weight');
    const adminStateUp = attr<boolean>(a, 'admin_state_up');
    await v1Change(context, await lbsOf(db, pool, target), async (trx) => {
      if (target.id !== pool.id) {
        // Moving to another pool: leave the old pool's v2 pool, join the new one's.
        await refuseDuplicate(trx, target, member.address, member.protocolPort, member.id);
        await unrealizeMember(trx, pool, member);
        const moved = { ...member, poolId: target.id, weight: weight ?? member.weight };
        const v2MemberId = await realizeMember(trx, target, {
          ...moved,
          adminStateUp: adminStateUp ?? member.adminStateUp,
        });
        await updateV1Member(trx, member.id, { poolId: target.id, v2MemberId, weight, adminStateUp });
        return { value: undefined, wake: [] };
      }
      await updateV1Member(trx, member.id, { weight, adminStateUp });
      const v2 = await v2PoolOf(trx, pool);
      if (v2 && member.v2MemberId) {
        await lockForPoolChild(trx, v2.loadBalancerId, v2.id, [{ table: 'members', id: member.v2MemberId }]);
        await setProvisioningStatus(trx, 'members', [member.v2MemberId], 'PENDING_UPDATE');
        await updateMember(trx, member.v2MemberId, {
          ...(weight !== undefined && { weight }),
          ...(adminStateUp !== undefined && { adminStateUp }),
        });
      }
      return { value: undefined, wake: [] };
    });
    return { member: await memberToWire(db, await lookupMember(db, auth, member.id)) };
  });

  app.delete(`${membersPath}/:id`, NEUTRON_ROUTE, async (request, reply) => {
    const auth = caller(request);
    const member = await lookupMember(db, auth, idParam(request.params));
    const pool = await lookupPool(db, auth, member.poolId);
    await v1Change(context, await lbsOf(db, pool), async (trx) => {
      await unrealizeMember(trx, pool, member);
      await deleteV1Member(trx, member.id);
      return { value: undefined, wake: [] };
    });
    return reply.code(204).send();
  });
}
