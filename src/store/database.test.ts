import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type StoreDialect, storeDialects } from '../../test/helpers/store-dialects.ts';

const postgres = storeDialects().find((d) => d.name === 'postgres');

it('migrates a store on its own PostgreSQL schema while another schema of the same database holds one', {
  skip: postgres ? false : 'PostgreSQL not configured: set SLUICE_TEST_DATABASE_URL',
}, async () => {
  const { open } = postgres as StoreDialect;
  const first = await open();
  try {
    const second = await open();
    try {
      const tables = await second.db.introspection.getTables();
      assert.ok(tables.some((t) => t.name === 'load_balancers'));
      await second.db.selectFrom('load_balancers').select('id').execute();
    } finally {
      await second.close();
    }
  } finally {
    await first.close();
  }
});
