import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freshPostgresSchema } from '../../../test/helpers/store-dialects.ts';
import { openStore, type Store } from '../database.ts';
import { withStoreLock } from './store-lock.ts';

const url = process.env.SLUICE_TEST_DATABASE_URL;

describe('withStoreLock', () => {
  it('runs the work on SQLite, which one process owns', async () => {
    const store = await openStore('sqlite::memory:');
    try {
      assert.equal(await withStoreLock(store, 'bootstrap', async () => 'done'), 'done');
    } finally {
      await store.close();
    }
  });

  describe('on PostgreSQL', { skip: url ? false : 'SLUICE_TEST_DATABASE_URL is not set' }, () => {
    let schema: { url: string; drop(): Promise<void> };
    const stores: Store[] = [];
    before(async () => {
      schema = await freshPostgresSchema(url as string);
      // Two processes' stores on one database: separate pools, as two hosts would have.
      stores.push(await openStore(schema.url), await openStore(schema.url));
    });
    after(async () => {
      for (const store of stores) await store.close();
      await schema.drop();
    });

    it('never runs two holders of the same lock at once, across stores', async () => {
      const events: string[] = [];
      const hold = (store: Store, who: string) =>
        withStoreLock(store, 'bootstrap', async () => {
          events.push(`${who} in`);
          await new Promise((resolve) => setTimeout(resolve, 100));
          events.push(`${who} out`);
        });
      await Promise.all([hold(stores[0] as Store, 'a'), hold(stores[1] as Store, 'b')]);
      const first = events[0]?.split(' ')[0];
      const second = first === 'a' ? 'b' : 'a';
      assert.deepEqual(events, [`${first} in`, `${first} out`, `${second} in`, `${second} out`]);
    });

    it('gives the lock up when the work throws', async () => {
      await assert.rejects(
        withStoreLock(stores[0] as Store, 'bootstrap', async () => {
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await withStoreLock(stores[1] as Store, 'bootstrap', async () => 'after'), 'after');
    });
  });
});
