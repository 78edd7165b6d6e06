// ACLs of secrets and containers: per operation, whether the owning project has access and which users
// were granted it; replaced (PUT) or merged (PATCH) as Barbican's acls.py does, and stored only to be
// echoed and to let granted users read.
import type { Acl } from '../../model/secret.ts';
import { fromBool, fromJson, now, toBool, toJson } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';

export type AclKind = 'secret' | 'container';
/** an operation's requested change: fields left out keep (PATCH) or take defaults (PUT) */
export type AclChange = Readonly<{ projectAccess?: boolean; users?: readonly string[] }>;

export async function getAcls(db: Db, kind: AclKind, id: string): Promise<Acl[]> {
  const rows = await db
    .selectFrom('secret_acls')
    .selectAll()
    .where('entity_kind', '=', kind)
    .where('entity_id', '=', id)
    .orderBy('operation')
    .execute();
  return rows.map((row) => ({
    operation: row.operation,
    projectAccess: fromBool(row.project_access),
    users: fromJson<string[]>(row.users, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * `replace` (PUT): the given operations become the whole ACL, missing project-access is true and missing
 * users empty. Otherwise (PATCH): existing operations keep what the change leaves out.
 */
export function saveAcls(
  db: Db,
  kind: AclKind,
  id: string,
  changes: ReadonlyMap<string, AclChange>,
  replace: boolean,
): Promise<void> {
  return inTransaction(db, async (trx) => {
    const existing = new Map((await getAcls(trx, kind, id)).map((acl) => [acl.operation, acl]));
    const at = now();
    if (replace)
      for (const operation of existing.keys())
        if (!changes.has(operation)) await deleteAcls(trx, kind, id, operation);
    for (const [operation, change] of changes) {
      const before = existing.get(operation);
      const projectAccess = change.projectAccess ?? (replace || !before ? true : before.projectAccess);
      const users = change.users ?? (replace || !before ? [] : before.users);
      const values = { project_access: toBool(projectAccess), users: toJson(users), updated_at: at };
      if (before)
        await trx
          .updateTable('secret_acls')
          .set(values)
          .where('entity_kind', '=', kind)
          .where('entity_id', '=', id)
          .where('operation', '=', operation)
          .execute();
      else
        await trx
          .insertInto('secret_acls')
          .values({ entity_kind: kind, entity_id: id, operation, created_at: at, ...values })
          .execute();
    }
  });
}

export async function deleteAcls(db: Db, kind: AclKind, id: string, operation?: string): Promise<void> {
  let query = db.deleteFrom('secret_acls').where('entity_kind', '=', kind).where('entity_id', '=', id);
  if (operation !== undefined) query = query.where('operation', '=', operation);
  await query.execute();
}
