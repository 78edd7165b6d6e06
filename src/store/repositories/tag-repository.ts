// Neutron resource tags (standard-attr-tag) in the store: read for many resources at once, replace, add,
// remove, and drop with their resource. Tags are a set per resource, returned in sorted order.
import { type Db, inTransaction } from '../database.ts';

/** Each resource's tags, sorted; resources without tags map to []. */
export async function tagsOf(db: Db, ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('neutron_tags')
    .select(['resource_id', 'tag'])
    .where('resource_id', 'in', [...new Set(ids)])
    .orderBy('tag')
    .execute();
  for (const row of rows) out.get(row.resource_id)?.push(row.tag);
  return out;
}

/** Replaces the resource's tags with `tags` (already validated as unique strings). */
export async function replaceTags(db: Db, id: string, tags: readonly string[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('neutron_tags').where('resource_id', '=', id).execute();
    if (tags.length > 0)
      await trx
        .insertInto('neutron_tags')
        .values(tags.map((tag) => ({ resource_id: id, tag })))
        .execute();
  });
}

/** Adds one tag; adding a tag the resource already has changes nothing. */
export async function addTag(db: Db, id: string, tag: string): Promise<void> {
  await db
    .insertInto('neutron_tags')
    .values({ resource_id: id, tag })
    .onConflict((oc) => oc.columns(['resource_id', 'tag']).doNothing())
    .execute();
}

export async function hasTag(db: Db, id: string, tag: string): Promise<boolean> {
  const row = await db
    .selectFrom('neutron_tags')
    .select('tag')
    .where('resource_id', '=', id)
    .where('tag', '=', tag)
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes one tag; false when the resource did not have it. */
export async function removeTag(db: Db, id: string, tag: string): Promise<boolean> {
  const result = await db
    .deleteFrom('neutron_tags')
    .where('resource_id', '=', id)
    .where('tag', '=', tag)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Drops the tags of deleted resources (called inside the deleting transaction). */
export async function deleteTagsOf(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('neutron_tags').where('resource_id', 'in', ids).execute();
}
