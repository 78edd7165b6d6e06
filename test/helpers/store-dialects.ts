// Store factories for tests that must hold on every dialect (architecture §6): SQLite in memory always, and
// PostgreSQL when SLUICE_TEST_DATABASE_URL is set, each store on its own fresh schema, dropped on close.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/database.ts';

export type StoreDialect = { readonly name: 'sqlite' | 'postgres'; open(): Promise<Store> };

/** Loop tests over these: `for (const dialect of storeDialects()) describe(dialect.name, …)`. */
export function storeDialects(env: NodeJS.ProcessEnv = process.env): StoreDialect[] {
  const dialects: StoreDialect[] = [{ name: 'sqlite', open: () => openStore('sqlite::memory:') }];
  const url = env.SLUICE_TEST_DATABASE_URL;
  if (url) dialects.push({ name: 'postgres', open: () => openPostgresSchema(url) });
  return dialects;
}

/** A database URL whose connections all work in a new, uniquely named schema; drop() removes it. */
export async function freshPostgresSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `sluice_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `CREATE SCHEMA "${schema}"`);
  return {
    url: withSearchPath(url, schema),
    drop: () => adminQuery(url, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  };
}

/** A migrated store on a uniquely named schema, so tests never see each other's rows or leftovers. */
async function openPostgresSchema(url: string): Promise<Store> {
  const schema = await freshPostgresSchema(url);
  const store = await openStore(schema.url);
  return {
    db: store.db,
    dialect: store.dialect,
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Every pooled connection starts with search_path on the schema (libpq's `options` startup parameter). */
function withSearchPath(url: string, schema: string): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}
