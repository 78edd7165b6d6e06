// The id and project of one object, read alone: what a list under a parent (a pool's members, a policy's
// rules) checks before it reads, without loading the parent with all its children.
import type { Db } from '../database.ts';

export type Owner = Readonly<{ id: string; projectId: string }>;

export async function ownerOf(db: Db, table: 'pools' | 'l7policies', id: string): Promise<Owner | undefined> {
  const row = await db.selectFrom(table).select(['id', 'project_id']).where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, projectId: row.project_id };
}
