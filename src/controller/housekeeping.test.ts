import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { openStore } from '../store/database.ts';
import { Housekeeping } from './housekeeping.ts';

describe('Housekeeping', () => {
  it('purges load balancers DELETED before the expiry age and expired tokens, and keeps the rest', async () => {
    const store = await openStore('sqlite::memory:');
    const { db } = store;
    const lb = (id: string, status: string, updatedAt: string) =>
      db
        .insertInto('load_balancers')
        .values({
          id,
          project_id: 'p',
          name: id,
          description: '',
          admin_state_up: 1,
          provisioning_status: status,
          operating_status: 'ONLINE',
          provider: 'noop',
          created_at: updatedAt,
          updated_at: updatedAt,
        } as never)
        .execute();
    await lb('old', 'DELETED', '2026-01-01T00:00:00.000Z');
    await lb('recent', 'DELETED', '2026-01-09T00:00:00.000Z');
    await lb('live', 'ACTIVE', '2026-01-01T00:00:00.000Z');
    const housekeeping = new Housekeeping({
      store,
      logger: pino({ level: 'silent' }),
      deletedExpiryMs: 3 * 24 * 3600 * 1000,
    });
    const purged = await housekeeping.sweep(Date.parse('2026-01-10T00:00:00.000Z'));
    assert.equal(purged.loadBalancers, 1);
    const left = (await db.selectFrom('load_balancers').select('id').orderBy('id').execute()).map(
      (r) => r.id,
    );
    assert.deepEqual(left, ['live', 'recent']);
    await store.close();
  });
});
