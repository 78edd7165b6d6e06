// SQL for load balancers. State changes are single conditional UPDATEs (check-and-set on the provisioning
// status in the WHERE clause), so two concurrent writers can never both take the lock (reference §2.2).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Topology } from '../../model/desired-state.ts';
import type { LoadBalancer, LoadBalancerChanges } from '../../model/load-balancer.ts';
import type { OperatingStatus, ProvisioningStatus } from '../../model/statuses.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import type { Database, LoadBalancerTable } from '../schema.ts';
import { type PageSpec, readPage } from './keyset-page.ts';
import { apiReason, recordConditionalChange, recordCreated } from './status-event-repository.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Row = Selectable<LoadBalancerTable>;

export type NewLoadBalancer = Omit<
  LoadBalancer,
  'revision' | 'appliedRevision' | 'statusReason' | 'createdAt' | 'updatedAt'
>;

export async function insertLoadBalancer(db: Db, lb: NewLoadBalancer): Promise<void> {
  await db
    .insertInto('load_balancers')
    .values({
      id: lb.id,
      project_id: lb.projectId,
      name: lb.name,
      description: lb.description,
      admin_state_up: toBool(lb.adminStateUp),
      provisioning_status: lb.provisioningStatus,
      operating_status: lb.operatingStatus,
      provider: lb.provider,
      provider_alias: lb.providerAlias ?? null,
      flavor_id: lb.flavorId,
      availability_zone: lb.availabilityZone,
      topology: lb.topology,
      vip_address: lb.vip.address,
      vip_port_id: lb.vip.portId,
      vip_subnet_id: lb.vip.subnetId,
      vip_network_id: lb.vip.networkId,
      vip_qos_policy_id: lb.vip.qosPolicyId,
      additional_vips: toJson(lb.vip.additional),
      vip_sg_ids: toJson(lb.vip.sgIds ?? []),
      tags: toJson(lb.tags),
      status_reason: null,
      created_at: now(),
      updated_at: null,
    })
    .execute();
  await recordCreated(db, 'load_balancers', [lb.id], apiReason('PENDING_CREATE'));
}

/** A load balancer that the API can see: DELETED rows are invisible (reference §1.4). */
export async function findLoadBalancer(db: Db, id: string): Promise<LoadBalancer | undefined> {
  const row = await db
    .selectFrom('load_balancers')
    .selectAll()
    .where('id', '=', id)
    .where('provisioning_status', '!=', 'DELETED')
    .executeTakeFirst();
  return row && toLoadBalancer(row);
}

export async function listLoadBalancers(db: Db, projectId?: string): Promise<LoadBalancer[]> {
  let query = db.selectFrom('load_balancers').selectAll().where('provisioning_status', '!=', 'DELETED');
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  return (await query.orderBy('created_at').orderBy('id').execute()).map(toLoadBalancer);
}

/** One list page of the project's (or every) load balancer, read in SQL; undefined: unknown marker. */
export async function pageLoadBalancers(
  db: Kysely<Database>,
  projectId: string | undefined,
  spec: PageSpec,
): Promise<LoadBalancer[] | undefined> {
  const from = db.selectFrom('load_balancers').where('provisioning_status', '!=', 'DELETED');
  return (await readPage(db, from, spec, { project_id: projectId }))?.map(toLoadBalancer);
}

/** Ids of load balancers whose desired state is not yet applied (PENDING_* or a newer revision). */
export async function listUnconverged(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('load_balancers')
    .select('id')
    .where('provisioning_status', 'in', ['PENDING_CREATE', 'PENDING_UPDATE', 'PENDING_DELETE'])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Atomically moves the load balancer from one of `from` to `to`, applying `changes` and bumping the
 * revision. Returns false when the status did not match (the caller answers 409).
 */
export async function transitionLoadBalancer(
  db: Db,
  id: string,
  from: readonly ProvisioningStatus[],
  to: ProvisioningStatus,
  changes: LoadBalancerChanges = {},
  /** what the pending change is: the load balancer's own ('self') or a failover (amphorae rebuilt) */
  target: 'self' | 'failover' = 'self',
): Promise<boolean> {
  const reason = target === 'failover' ? 'failover requested through the API' : apiReason(to);
  return recordConditionalChange(db, 'load_balancers', { id, to, from, reason }, async () => {
    const result = await db
      .updateTable('load_balancers')
      .set((eb) => ({
        provisioning_status: to,
        revision: eb('revision', '+', 1),
        updated_at: now(),
        status_reason: null,
        pending_target: target,
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.adminStateUp !== undefined && { admin_state_up: toBool(changes.adminStateUp) }),
        ...(changes.tags !== undefined && { tags: toJson(changes.tags) }),
        ...(changes.vipQosPolicyId !== undefined && { vip_qos_policy_id: changes.vipQosPolicyId }),
        ...(changes.vipSgIds !== undefined && { vip_sg_ids: toJson(changes.vipSgIds) }),
      }))
      .where('id', '=', id)
      .where('provisioning_status', 'in', [...from])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  });
}

export async function getRevision(
  db: Db,
  id: string,
): Promise<{ revision: number; status: string } | undefined> {
  const row = await db
    .selectFrom('load_balancers')
    .select(['revision', 'provisioning_status'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { revision: row.revision, status: row.provisioning_status };
}

function toLoadBalancer(row: Row): LoadBalancer {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    adminStateUp: fromBool(row.admin_state_up),
    provisioningStatus: row.provisioning_status as ProvisioningStatus,
    operatingStatus: row.operating_status as OperatingStatus,
    provider: row.provider,
    providerAlias: row.provider_alias,
    flavorId: row.flavor_id,
    availabilityZone: row.availability_zone,
    topology: row.topology as Topology,
    vip: {
      address: row.vip_address ?? '',
      portId: row.vip_port_id ?? '',
      subnetId: row.vip_subnet_id ?? '',
      networkId: row.vip_network_id ?? '',
      qosPolicyId: row.vip_qos_policy_id,
      additional: fromJson(row.additional_vips, []),
      sgIds: fromJson<string[]>(row.vip_sg_ids, []),
    },
    tags: fromJson<string[]>(row.tags, []),
    revision: Number(row.revision),
    appliedRevision: Number(row.applied_revision),
    statusReason: row.status_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A load balancer in any state, DELETED included: the controller needs to see what the API hides. */
export async function getLoadBalancerRow(db: Db, id: string): Promise<LoadBalancer | undefined> {
  const row = await db.selectFrom('load_balancers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toLoadBalancer(row);
}

/**
 * Name and description only, with no change to apply (a v1 VIP renamed: the load balancer realizing it
 * carries the same words, and nothing on the data plane depends on them).
 */
export async function renameLoadBalancer(
  db: Db,
  id: string,
  changes: Readonly<{ name?: string | null; description?: string | null }>,
): Promise<void> {
  if (changes.name === undefined && changes.description === undefined) return;
  await db
    .updateTable('load_balancers')
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.description !== undefined && { description: changes.description }),
      updated_at: now(),
    })
    .where('id', '=', id)
    .execute();
}

/** What the pending change is ('self', 'failover' or the JSON list of changed children); null when none. */
export async function getPendingTarget(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('load_balancers')
    .select('pending_target')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.pending_target ?? null;
}
