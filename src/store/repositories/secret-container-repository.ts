// Containers of the secret store: a typed, named list of secret references (in the order given) with the
// consumers registered on it; project-scoped listing with Barbican's type/name filters and paging.
import type { Selectable } from 'kysely';
import type { ContainerSecretRef, SecretContainer } from '../../model/secret.ts';
import { isUniqueViolation, newId, now } from '../codec.ts';
import { type Db, inTransaction } from '../database.ts';
import type { SecretContainerTable } from '../secret-store-schema.ts';
import { deleteAcls } from './secret-acl-repository.ts';

export type ContainerInput = Readonly<{
  projectId: string;
  creatorId: string | null;
  name: string | null;
  type: string;
  secretRefs: readonly ContainerSecretRef[];
}>;

async function withChildren(db: Db, rows: Selectable<SecretContainerTable>[]): Promise<SecretContainer[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const refs = await db
    .selectFrom('container_secrets')
    .selectAll()
    .where('container_id', 'in', ids)
    .orderBy('position')
    .execute();
  const consumers = await db
    .selectFrom('container_consumers')
    .selectAll()
    .where('container_id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    creatorId: row.creator_id,
    name: row.name,
    type: row.type,
    secretRefs: refs
      .filter((r) => r.container_id === row.id)
      .map((r) => ({ name: r.name, secretId: r.secret_id })),
    consumers: consumers
      .filter((c) => c.container_id === row.id)
      .map((c) => ({ name: c.name, url: c.url, projectId: c.project_id })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

export function createContainer(db: Db, input: ContainerInput): Promise<SecretContainer> {
  return inTransaction(db, async (trx) => {
    const at = now();
    const id = newId();
    await trx
      .insertInto('secret_containers')
      .values({
        id,
        project_id: input.projectId,
        creator_id: input.creatorId,
        name: input.name,
        type: input.type,
        created_at: at,
        updated_at: at,
      })
      .execute();
    for (const [position, ref] of input.secretRefs.entries())
      await trx
        .insertInto('container_secrets')
        .values({ container_id: id, position, name: ref.name, secret_id: ref.secretId })
        .execute();
    const [container] = await withChildren(
      trx,
      await trx.selectFrom('secret_containers').selectAll().where('id', '=', id).execute(),
    );
    return container;
  });
}

export async function getContainer(db: Db, id: string): Promise<SecretContainer | undefined> {
  const rows = await db.selectFrom('secret_containers').selectAll().where('id', '=', id).execute();
  return (await withChildren(db, rows))[0];
}

export async function listContainers(
  db: Db,
  projectId: string,
  filters: Readonly<{ name?: string; type?: string }>,
  page: Readonly<{ offset: number; limit: number }>,
): Promise<{ containers: SecretContainer[]; total: number }> {
  let query = db.selectFrom('secret_containers').where('project_id', '=', projectId);
  if (filters.name) query = query.where('name', '=', filters.name);
  if (filters.type) query = query.where('type', '=', filters.type);
  const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  // Barbican's get_by_create_date orders by creation.
  const rows = await query
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { containers: await withChildren(db, rows), total: Number(counted.n) };
}

export function deleteContainer(db: Db, id: string): Promise<void> {
  return inTransaction(db, async (trx) => {
    await deleteAcls(trx, 'container', id);
    await trx.deleteFrom('secret_containers').where('id', '=', id).execute();
  });
}

/** Registers a consumer; the same name and URL again only refreshes it (create_or_update_from). */
export async function addConsumer(
  db: Db,
  containerId: string,
  consumer: Readonly<{ name: string; url: string; projectId: string }>,
): Promise<void> {
  const at = now();
  try {
    await db
      .insertInto('container_consumers')
      .values({
        id: newId(),
        container_id: containerId,
        project_id: consumer.projectId,
        name: consumer.name,
        url: consumer.url,
        created_at: at,
        updated_at: at,
      })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await db
      .updateTable('container_consumers')
      .set({ updated_at: at })
      .where('container_id', '=', containerId)
      .where('name', '=', consumer.name)
      .where('url', '=', consumer.url)
      .execute();
  }
}

/** Removes a consumer; false when there was none with that name and URL. */
export async function removeConsumer(
  db: Db,
  containerId: string,
  name: string,
  url: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('container_consumers')
    .where('container_id', '=', containerId)
    .where('name', '=', name)
    .where('url', '=', url)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
