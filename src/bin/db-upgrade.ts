// `sluice db upgrade`: applies pending migrations to the configured store and exits.
import { type ConfigFlags, loadConfig } from '../config/config.ts';
import { migrateToLatest, openStore } from '../store/database.ts';

export async function runDbUpgrade(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  const store = await openStore(config.databaseUrl, { migrate: false });
  try {
    const applied = await migrateToLatest(store.db);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await store.close();
  }
}
