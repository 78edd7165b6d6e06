// The built-in secret store (Barbican v1 subset, issue #14): secrets with their sealed payloads (AES-256-GCM,
// src/store/secret-cipher.ts; the key is never here), containers and the secrets they name, container
// consumers, ACLs of secrets and containers, and one sealed check value that tells a wrong key at start.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secrets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text')
    .addColumn('name', 'text')
    .addColumn('secret_type', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text')
    .addColumn('bit_length', 'integer')
    .addColumn('mode', 'text')
    .addColumn('expiration', 'text')
    // null until a payload is stored (a metadata-only secret)
    .addColumn('content_type', 'text')
    .addColumn('payload_nonce', 'text')
    .addColumn('payload_ciphertext', 'text')
    .addColumn('payload_tag', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('secrets_project').on('secrets').column('project_id').execute();
  await db.schema
    .createTable('secret_containers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('creator_id', 'text')
    .addColumn('name', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('secret_containers_project')
    .on('secret_containers')
    .column('project_id')
    .execute();
  // A container keeps naming a secret deleted after it (Barbican soft-deletes), so no foreign key to secrets.
  await db.schema
    .createTable('container_secrets')
    .addColumn('container_id', 'text', (c) =>
      c.notNull().references('secret_containers.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('secret_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('container_secrets_pk', ['container_id', 'position'])
    .execute();
  await db.schema
    .createTable('container_consumers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('container_id', 'text', (c) =>
      c.notNull().references('secret_containers.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('container_consumers_unique', ['container_id', 'name', 'url'])
    .execute();
  await db.schema
    .createTable('secret_acls')
    .addColumn('entity_kind', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('project_access', 'integer', (c) => c.notNull())
    // JSON list of user ids
    .addColumn('users', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('secret_acls_pk', ['entity_kind', 'entity_id', 'operation'])
    .execute();
  await db.schema
    .createTable('secret_store_key_check')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'secret_store_key_check',
    'secret_acls',
    'container_consumers',
    'container_secrets',
    'secret_containers',
    'secrets',
  ])
    await db.schema.dropTable(table).execute();
}
