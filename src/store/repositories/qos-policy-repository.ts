// Neutron QoS policies in the store: CRUD, what a project may see (its own and shared ones), one default
// per project (409 QoSPolicyDefaultAlreadyExists), and no delete while a load balancer's VIP uses one
// (409 QosPolicyInUse), with neutron-lib's messages (neutron_lib/exceptions/qos.py).
import type { Selectable, Updateable } from 'kysely';
import { SluiceError } from '../../errors.ts';
import type { QosPolicy } from '../../model/qos-policy.ts';
import { fromBool, newId, now, toBool } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { QosPolicyTable } from '../networking-v1-schema.ts';
import type { Visibility } from './network-rows.ts';
import { deleteTagsOf } from './tag-repository.ts';

export type QosPolicyInput = Readonly<{
  projectId: string;
  name?: string;
  description?: string;
  shared?: boolean;
  isDefault?: boolean;
}>;

export type QosPolicyChanges = Partial<Omit<QosPolicyInput, 'projectId'>>;

export const qosPolicyNotFound = (id: string) =>
  new SluiceError(
    'network.not-found-detail',
    { detail: `QoS policy ${id} could not be found.` },
    'QosPolicyNotFound',
  );

function toQosPolicy(row: Selectable<QosPolicyTable>): QosPolicy {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    shared: fromBool(row.shared),
    isDefault: fromBool(row.is_default),
    revisionNumber: row.revision_number,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The policies `visibility` may see: all, or the project's own and the shared ones. */
function visibleTo(db: Db, visibility: Visibility) {
  const query = db.selectFrom('qos_policies').selectAll();
  if (visibility === 'all') return query;
  const projectId = visibility.projectId ?? '';
  return query.where((eb) => eb.or([eb('project_id', '=', projectId), eb('shared', '=', 1)]));
}

/** The policy when `visibility` may see it: all, or the project's own and the shared ones. */
export async function findQosPolicy(
  db: Db,
  id: string,
  visibility: Visibility,
): Promise<QosPolicy | undefined> {
  const row = await visibleTo(db, visibility).where('id', '=', id).executeTakeFirst();
  return row && toQosPolicy(row);
}

export async function listQosPolicies(db: Db, visibility: Visibility): Promise<QosPolicy[]> {
  const rows = await visibleTo(db, visibility).orderBy('created_at').orderBy('id').execute();
  return rows.map(toQosPolicy);
}

export async function createQosPolicy(db: Db, input: QosPolicyInput): Promise<QosPolicy> {
  return inTransaction(db, async (trx) => {
    if (input.isDefault) await requireNoDefault(trx, input.projectId, undefined);
    const id = newId();
    const at = now();
    await trx
      .insertInto('qos_policies')
      .values({
        id,
        project_id: input.projectId,
        name: input.name ?? '',
        description: input.description ?? '',
        shared: toBool(input.shared ?? false),
        is_default: toBool(input.isDefault ?? false),
        revision_number: 0,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return (await findQosPolicy(trx, id, 'all'))!;
  });
}

/** Applies the changes and bumps the revision (Neutron's standard-attr-revisions). */
export async function updateQosPolicy(db: Db, id: string, changes: QosPolicyChanges): Promise<QosPolicy> {
  return inTransaction(db, async (trx) => {
    const current = await findQosPolicy(trx, id, 'all');
    if (!current) throw qosPolicyNotFound(id);
    if (changes.isDefault && !current.isDefault) await requireNoDefault(trx, current.projectId, id);
    const values: Updateable<QosPolicyTable> = {
      updated_at: now(),
      revision_number: current.revisionNumber + 1,
    };
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.shared !== undefined) values.shared = toBool(changes.shared);
    if (changes.isDefault !== undefined) values.is_default = toBool(changes.isDefault);
    await trx.updateTable('qos_policies').set(values).where('id', '=', id).execute();
    return (await findQosPolicy(trx, id, 'all'))!;
  });
}

/** Deletes the policy unless a live load balancer's VIP port uses it. */
export async function deleteQosPolicy(db: Db, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    if (!(await findQosPolicy(trx, id, 'all'))) throw qosPolicyNotFound(id);
    const user = await trx
      .selectFrom('load_balancers')
      .select('vip_port_id')
      .where('vip_qos_policy_id', '=', id)
      .where('provisioning_status', '!=', 'DELETED')
      .orderBy('created_at')
      .executeTakeFirst();
    if (user) {
      const detail = `QoS Policy ${id} is used by port ${user.vip_port_id}.`;
      throw new SluiceError('network.in-use', { detail }, 'QosPolicyInUse');
    }
    await deleteTagsOf(trx, [id]);
    await trx.deleteFrom('qos_policies').where('id', '=', id).execute();
  });
}

async function requireNoDefault(db: Db, projectId: string, exceptId: string | undefined): Promise<void> {
  let query = db
    .selectFrom('qos_policies')
    .select('id')
    .where('project_id', '=', projectId)
    .where('is_default', '=', 1);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  if (await query.executeTakeFirst()) {
    const detail = `A default QoS policy exists for project ${projectId}.`;
    throw new SluiceError('network.conflict', { detail }, 'QoSPolicyDefaultAlreadyExists');
  }
}
