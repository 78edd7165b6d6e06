// Opens the store: a Kysely instance over SQLite (node:sqlite, WAL, foreign keys on) or PostgreSQL (pg),
// chosen by the URL, and runs the migrations. The store is the truth; everything else converges to it.
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.ts';
import { openNodeSqlite } from './node-sqlite.ts';
import type { Database } from './schema.ts';
import { onPostgres } from './statement-runs.ts';

export type Dialect = 'sqlite' | 'postgres';

/** A Kysely instance or a Transaction: every repository function accepts either. */
export type Db = Kysely<Database>;

/** Runs `work` in the caller's transaction when there is one, so the caller's rollback undoes it too. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export type Store = {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
};

export function dialectOf(url: string): Dialect {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('sqlite:') || url === ':memory:') return 'sqlite';
  throw new Error(`unsupported database URL '${url}': use sqlite:<file> or postgres://…`);
}

export async function openStore(url: string, options: { migrate?: boolean } = {}): Promise<Store> {
  const dialect = dialectOf(url);
  const db = dialect === 'sqlite' ? openSqlite(url) : openPostgres(url);
  const store: Store = { db, dialect, close: () => db.destroy() };
  if (options.migrate !== false) await migrateToLatest(db);
  return store;
}

function openSqlite(url: string): Kysely<Database> {
  const file = url === ':memory:' || url === 'sqlite::memory:' ? ':memory:' : url.slice('sqlite:'.length);
  const database = openNodeSqlite(file);
  // WAL lets readers run beside the writer; synchronous=FULL makes every commit durable before it is
  // acknowledged, so a kill -9 (or power loss) never loses an object the API answered 201 for.
  for (const pragma of [
    'journal_mode = WAL',
    'synchronous = FULL',
    'foreign_keys = ON',
    'busy_timeout = 5000',
  ]) {
    database.prepare(`PRAGMA ${pragma}`).all([]);
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}

function openPostgres(url: string): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A connection that breaks (PostgreSQL restarted, the link cut) is an 'error' event: on the pool while it is
  // idle, on the client while it is checked out between two statements of a transaction. Either would end the
  // process unhandled (https://node-postgres.com/apis/pool#error). The query in flight, or the next one on
  // that client, fails instead; the pool drops the dead client, and /healthz reports the store meanwhile.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  // PostgreSQL: the migration tables are looked for in the schema the store uses (the first of search_path).
  // Without a schema, Kysely takes a `kysely_migration_lock` of any schema of the database as this store's
  // own and then fails with 'relation "kysely_migration_lock" does not exist': a second store, or any other
  // Kysely application, in another schema of the same database stopped Sluice from starting
  // (node_modules/kysely/dist/esm/migration/migrator.js, #doesTableExist).
  const migrationTableSchema = onPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema && { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
