// `/pools/{pool_id}/members`: list, create, show, update, delete, and the batch update PUT on the collection
// (reference §6, §6.1). A member change needs its pool ACTIVE, then locks the load balancer and marks the
// pool and its listeners PENDING_UPDATE in one transaction (§2.2).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NetworkDriver } from '../../../config/config.ts';
import { fail } from '../../../errors.ts';
import type { AuthContext } from '../../../identity/auth-context.ts';
import { type MemberChanges, memberKey, planBatch } from '../../../model/member.ts';
import type { Pool } from '../../../model/pool.ts';
import { newId } from '../../../store/codec.ts';
import type { Db } from '../../../store/database.ts';
import { findHealthMonitorOfPool } from '../../../store/repositories/health-monitor-repository.ts';
import {
  findMember,
  findMemberByEndpoint,
  insertMember,
  insertMembers,
  listMemberEndpoints,
  listMembers,
  pageMembers,
  setMembersStatus,
  updateMember,
  updateMembers,
} from '../../../store/repositories/member-repository.ts';
import { type ChangeTarget, setProvisioningStatus } from '../../../store/repositories/octavia-lock.ts';
import {
  findPool,
  lockForPoolChild,
  requirePoolChildMutable,
} from '../../../store/repositories/pool-repository.ts';
import { enforceQuota } from '../../../store/repositories/quota-repository.ts';
import type { ApiContext } from '../../context.ts';
import { caller } from '../../plugins/auth.ts';
import { one, project, type Query } from '../../wire/listing.ts';
import { readBody } from '../../wire/read-body.ts';
import { type ListRoute, registerListRoute } from '../list-route.ts';
import { parentOwner } from '../parent-owner.ts';
import {
  checkMemberAddress,
  checkMemberRequired,
  checkMemberSriov,
  checkMemberSubnet,
} from '../pools/checks.ts';
import { runChange } from '../provider-support.ts';
import { octaviaRbac } from '../rbac.ts';
import { MEMBER_POST_ENVELOPE, MEMBER_PUT_ENVELOPE, MEMBERS_PUT_ENVELOPE } from './schema.ts';
import {
  batchChangesFromBody,
  MEMBER_ATTRIBUTES,
  MEMBER_COLUMNS,
  MEMBER_FILTERS,
  memberChangesFromBody,
  memberToWire,
  newMemberFromBody,
} from './wire.ts';

type PoolParams = { Params: { pool_id: string }; Querystring: Query };
type MemberParams = { Params: { pool_id: string; member_id: string }; Querystring: Query };
type Body = Record<string, unknown>;
const octavia = { config: { family: 'octavia' as const } };
const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];

export async function registerMemberRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const rbac = octaviaRbac(context.config);
  const { enforce } = rbac;
  const { db } = context.store;

  /** Octavia resolves the pool while routing, so a missing pool is a 404 before anything else. */
  async function loadPool(id: string): Promise<Pool> {
    const pool = await findPool(db, id);
    if (!pool) throw fail('octavia.not-found', { resource: 'Pool', id });
    return pool;
  }
  /** A member of another pool is "not found" here (reference §6). */
  async function loadMember(
    req: FastifyRequest,
    poolId: string,
    id: string,
    action: 'get_one' | 'put' | 'delete',
  ) {
    const member = await findMember(db, id);
    if (!member) throw fail('octavia.not-found', { resource: 'Member', id });
    enforce(caller(req), 'member', action, member.projectId);
    if (member.poolId !== poolId) throw fail('octavia.not-found', { resource: 'Member', id });
    return member;
  }

  registerListRoute(app, rbac, memberList(db));

  app.post<PoolParams>('/pools/:pool_id/members', octavia, async (req, reply) => {
    const pool = await loadPool(req.params.pool_id);
    const body = readBody(req, 'member_', MEMBER_POST_ENVELOPE).member as Body;
    enforce(caller(req), 'member', 'post', pool.projectId);
    await checkNewMember(db, caller(req), body, context.config.networkDriver);
    const id = newId();
    await runChange(context, async (trx) => {
      await lockForPoolChild(trx, pool.loadBalancerId, pool.id, [{ table: 'members', id }]);
      await enforceQuota(trx, pool.projectId, { member: 1 });
      // After the quota, as Octavia's MemberController.post orders them.
      checkMemberSriov(body);
      await refuseDuplicate(trx, pool.id, body);
      const monitor = await findHealthMonitorOfPool(trx, pool.id);
      await insertMember(trx, newMemberFromBody(body, idsFor(pool, id), monitor !== undefined));
    });
    context.changes.notify(pool.loadBalancerId);
    return reply.code(201).send({ member: memberToWire((await findMember(db, id))!) });
  });

  app.get<MemberParams>('/pools/:pool_id/members/:member_id', octavia, async (req) => {
    const pool = await loadPool(req.params.pool_id);
    const member = await loadMember(req, pool.id, req.params.member_id, 'get_one');
    return { member: project(memberToWire(member), req.query) };
  });

  app.put<MemberParams>('/pools/:pool_id/members/:member_id', octavia, async (req) => {
    const pool = await loadPool(req.params.pool_id);
    const body = readBody(req, 'member_', MEMBER_PUT_ENVELOPE).member as Body;
    const member = await loadMember(req, pool.id, req.params.member_id, 'put');
    await runChange(context, async (trx) => {
      await lockForPoolChild(trx, pool.loadBalancerId, pool.id, [{ table: 'members', id: member.id }]);
      await setProvisioningStatus(trx, 'members', [member.id], 'PENDING_UPDATE');
      await updateMember(trx, member.id, memberChangesFromBody(body));
    });
    context.changes.notify(pool.loadBalancerId);
    return { member: memberToWire((await findMember(db, member.id))!) };
  });

  app.delete<MemberParams>('/pools/:pool_id/members/:member_id', octavia, async (req, reply) => {
    const pool = await loadPool(req.params.pool_id);
    const member = await loadMember(req, pool.id, req.params.member_id, 'delete');
    await runChange(context, async (trx) => {
      await lockForPoolChild(trx, pool.loadBalancerId, pool.id, [{ table: 'members', id: member.id }]);
      await setProvisioningStatus(trx, 'members', [member.id], 'PENDING_DELETE');
    });
    context.changes.notify(pool.loadBalancerId);
    return reply.code(204).send();
  });

  app.put<PoolParams>('/pools/:pool_id/members', octavia, async (req, reply) => {
    const pool = await loadPool(req.params.pool_id);
    const parsed = readBody(req, 'members_', MEMBERS_PUT_ENVELOPE).members as Body[] | null | undefined;
    const additiveOnly = TRUE_STRINGS.includes((one(req.query.additive_only) ?? '').toLowerCase());
    // Batch = create + update (+ delete): the caller needs every one of those rights (reference §6.1).
    const ctx = caller(req);
    enforce(ctx, 'member', 'post', pool.projectId);
    enforce(ctx, 'member', 'put', pool.projectId);
    if (!additiveOnly) enforce(ctx, 'member', 'delete', pool.projectId);
    // An absent or null list asks for nothing: it is not read as "delete every member".
    if (parsed === null || parsed === undefined) return reply.code(202).send();
    const requested = parsed.map((body) => ({
      body,
      address: body.address as string,
      protocolPort: body.protocol_port as number,
    }));
    // In request order, as Octavia validates; a subnet is looked up once however many members name it.
    const subnetsChecked = new Set<unknown>();
    for (const { body } of requested) {
      checkMemberRequired(body);
      if (subnetsChecked.has(body.subnet_id)) continue;
      await checkMemberSubnet(
        db,
        ctx,
        body.subnet_id as string | null | undefined,
        context.config.networkDriver,
      );
      subnetsChecked.add(body.subnet_id);
    }
    const changed = await runChange(context, async (trx) => {
      const plan = planBatch(await listMemberEndpoints(trx, pool.id), requested, additiveOnly);
      // An existing member named twice is refused; Octavia 15.0.0 added this check because the double update
      // left the load balancer stuck in PENDING_UPDATE (octavia/api/v2/controllers/member.py, put_all).
      const updatedIds = plan.update.map((u) => u.id);
      if (new Set(updatedIds).size !== updatedIds.length) {
        throw fail('octavia.validation', { detail: 'Member must be updated only once in the same request.' });
      }
      const seen = new Set<string>();
      for (const m of plan.create) {
        const key = memberKey(m.address, m.protocolPort);
        if (seen.has(key)) throw fail('octavia.duplicate-member', { ip: m.address, port: m.protocolPort });
        seen.add(key);
        checkMemberAddress(m.address);
        // Only new members: a batch ignores request_sriov on existing ones ("We don't allow updating the
        // vnic_type", octavia/api/v2/controllers/member.py).
        checkMemberSriov(m.body);
      }
      if (plan.create.length + plan.update.length + plan.remove.length === 0) {
        await requirePoolChildMutable(trx, pool.loadBalancerId, pool.id);
        return false;
      }
      const created = plan.create.map((m) => ({ ...m, id: newId() }));
      const targets: ChangeTarget[] = [
        ...created.map((m) => m.id),
        ...plan.update.map((u) => u.id),
        ...plan.remove,
      ].map((id) => ({ table: 'members', id }));
      await lockForPoolChild(trx, pool.loadBalancerId, pool.id, targets);
      const increase = created.length - plan.remove.length;
      if (increase > 0) await enforceQuota(trx, pool.projectId, { member: increase });
      const monitor = await findHealthMonitorOfPool(trx, pool.id);
      await insertMembers(
        trx,
        created.map((m) => newMemberFromBody(m.body, idsFor(pool, m.id), monitor !== undefined)),
      );
      for (const group of groupByChanges(plan.update)) {
        await updateMembers(trx, group.ids, group.changes, 'PENDING_UPDATE');
      }
      await setMembersStatus(trx, plan.remove, 'PENDING_DELETE');
      return true;
    });
    if (changed) context.changes.notify(pool.loadBalancerId);
    return reply.code(202).send();
  });
}

/** The updated members grouped by identical changes, so each group is one UPDATE (member-repository.ts). */
function groupByChanges(updates: readonly { id: string; input: { body: Body } }[]) {
  const groups = new Map<string, { ids: string[]; changes: MemberChanges }>();
  for (const { id, input } of updates) {
    const changes = batchChangesFromBody(input.body);
    const key = JSON.stringify(changes);
    const group = groups.get(key);
    if (group) group.ids.push(id);
    else groups.set(key, { ids: [id], changes });
  }
  return groups.values();
}

const idsFor = (pool: Pool, id: string) => ({
  id,
  projectId: pool.projectId,
  loadBalancerId: pool.loadBalancerId,
  poolId: pool.id,
});

/** Semantic checks of a new member (reference §6): reserved address (400), existing subnet (400). */
async function checkNewMember(
  db: Db,
  auth: AuthContext,
  body: Body,
  networkDriver: NetworkDriver,
): Promise<void> {
  checkMemberRequired(body);
  checkMemberAddress(body.address as string);
  await checkMemberSubnet(db, auth, body.subnet_id as string | null | undefined, networkDriver);
}

/** `(address, protocol_port)` is unique within a pool: 409 DuplicateMemberEntry (reference §6). */
async function refuseDuplicate(db: Db, poolId: string, body: Body): Promise<void> {
  const address = body.address as string;
  const port = body.protocol_port as number;
  if (await findMemberByEndpoint(db, poolId, address, port)) {
    throw fail('octavia.duplicate-member', { ip: address, port });
  }
}

/** The members' list of a pool: in SQL when the request allows, else read whole and listed in memory. */
export function memberList(db: Db): ListRoute<{ pool_id: string }> {
  return {
    path: '/pools/:pool_id/members',
    collection: 'members',
    object: 'member',
    scope: 'parent',
    parent: (req) => parentOwner(db, 'pools', 'Pool', req.params.pool_id),
    // clients filter on `pool_id` (openstacksdk, neutron)
    parentKey: 'pool_id',
    rows: async (pool) => (await listMembers(db, pool.id)).map(memberToWire),
    sql: {
      columns: MEMBER_COLUMNS,
      page: async (pool, spec) => (await pageMembers(db, pool.id, spec))?.map(memberToWire),
    },
    attributes: MEMBER_ATTRIBUTES,
    filters: MEMBER_FILTERS,
  };
}
