// SQL for agents: creation with a one-time token (only its sha256 is kept), lookup by token, registration
// and heartbeats, and the sweep that marks agents DOWN when their heartbeats stop.
import { createHash, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Agent, AgentStatus } from '../../model/agent.ts';
import type { AgentRegistration } from '../../model/agent-protocol.ts';
import { fromJson, newId, now, toJson } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { AgentTable } from '../schema.ts';
import {
  loadBalancersInVrrpGroups,
  ungroupLoadBalancers,
  vrrpGroupsOfAgent,
} from './vrrp-group-repository.ts';
import { vrrpEndpoint } from './vrrp-view.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newAgentToken = (): string => randomBytes(32).toString('base64url');

const toAgent = (row: Selectable<AgentTable>): Agent => ({
  id: row.id,
  name: row.name,
  host: row.host,
  pid: row.pid === null ? null : Number(row.pid),
  availabilityZone: row.availability_zone,
  providers: fromJson<string[]>(row.providers, []),
  vrrpAddresses: fromJson<Record<string, string> | null>(row.vrrp_addresses, null),
  status: row.status as AgentStatus,
  epoch: row.epoch,
  heartbeatAt: row.heartbeat_at,
  createdAt: row.created_at,
});

export async function createAgent(
  db: Db,
  name: string,
  token = newAgentToken(),
): Promise<{ agent: Agent; token: string }> {
  const id = newId();
  await db
    .insertInto('agents')
    .values({
      id,
      name,
      token_hash: hashToken(token),
      host: null,
      pid: null,
      availability_zone: null,
      epoch: null,
      heartbeat_at: null,
      created_at: now(),
      updated_at: null,
    })
    .execute();
  return { agent: (await getAgent(db, id)) as Agent, token };
}

/**
 * The agent named `name` with a fresh token (created when missing): `sluice serve` calls it at each start
 * for its own child agent, so the agent keeps its id, and with it the load balancers bound to it.
 */
export async function ensureAgentWithToken(db: Db, name: string, token: string): Promise<Agent> {
  const existing = await db.selectFrom('agents').select('id').where('name', '=', name).executeTakeFirst();
  if (!existing) return (await createAgent(db, name, token)).agent;
  await db
    .updateTable('agents')
    .set({ token_hash: hashToken(token), updated_at: now() })
    .where('id', '=', existing.id)
    .execute();
  return (await getAgent(db, existing.id)) as Agent;
}

export async function getAgent(db: Db, id: string): Promise<Agent | undefined> {
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAgent(row);
}

export async function findAgentByToken(db: Db, token: string): Promise<Agent | undefined> {
  const row = await db
    .selectFrom('agents')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  return row && toAgent(row);
}

export async function listAgents(db: Db): Promise<Agent[]> {
  return (await db.selectFrom('agents').selectAll().orderBy('created_at').orderBy('id').execute()).map(
    toAgent,
  );
}

export async function deleteAgent(db: Db, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // Its groups go with it: their load balancers are rescheduled, and grouped again with a new pair.
    await ungroupLoadBalancers(
      trx,
      await loadBalancersInVrrpGroups(
        trx,
        (await vrrpGroupsOfAgent(trx, id)).map((g) => g.id),
      ),
    );
    await trx.updateTable('amphorae').set({ agent_id: null }).where('agent_id', '=', id).execute();
    const result = await trx.deleteFrom('agents').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  });
}

/**
 * Records a (re)registration. Groups on a network for which the agent no longer registers an address (it was
 * restarted without keepalived, or its mappings changed) lose their load balancers, which go back to
 * controller promotion; returns those load balancers.
 */
export async function registerAgent(db: Db, id: string, registration: AgentRegistration): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    await storeRegistration(trx, id, registration);
    const addresses = registration.vrrp?.addresses ?? null;
    const stale: string[] = [];
    for (const group of await vrrpGroupsOfAgent(trx, id)) {
      const network = await trx
        .selectFrom('networks')
        .select('physical_network')
        .where('id', '=', group.network_id)
        .executeTakeFirst();
      if (!vrrpEndpoint(addresses, network?.physical_network ?? null)) stale.push(group.id);
    }
    const lbIds = await loadBalancersInVrrpGroups(trx, stale);
    await ungroupLoadBalancers(trx, lbIds);
    return lbIds;
  });
}

async function storeRegistration(db: Db, id: string, registration: AgentRegistration): Promise<void> {
  const at = now();
  await db
    .updateTable('agents')
    .set({
      host: registration.host,
      pid: registration.pid,
      epoch: registration.epoch,
      availability_zone: registration.availabilityZone,
      providers: toJson(registration.providers),
      // An agent restarted without keepalived registers none: its addresses go, and with them its groups.
      vrrp_addresses: registration.vrrp ? toJson(registration.vrrp.addresses) : null,
      status: 'UP',
      heartbeat_at: at,
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** Records a heartbeat; an agent that was DOWN is UP again. */
export async function recordHeartbeat(db: Db, id: string): Promise<void> {
  await db.updateTable('agents').set({ heartbeat_at: now(), status: 'UP' }).where('id', '=', id).execute();
}

/** Marks DOWN every UP agent whose last heartbeat is older than `timeoutMs`; returns their ids. */
export async function markSilentAgentsDown(db: Db, timeoutMs: number): Promise<string[]> {
  const cutoff = new Date(Date.now() - timeoutMs).toISOString();
  const silent = await db
    .selectFrom('agents')
    .select('id')
    .where('status', '=', 'UP')
    .where('heartbeat_at', '<', cutoff)
    .execute();
  if (silent.length === 0) return [];
  const ids = silent.map((r) => r.id);
  await db
    .updateTable('agents')
    .set({ status: 'DOWN', updated_at: now() })
    .where('id', 'in', ids)
    .where('heartbeat_at', '<', cutoff)
    .execute();
  return ids;
}
