import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { insertBareLoadBalancer } from '../../test/helpers/member-rows.ts';
import { type Db, openStore, type Store } from '../store/database.ts';
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

describe('Housekeeping of status events', () => {
  const at = Date.parse('2026-03-01T00:00:00.000Z');
  const day = 24 * 3600 * 1000;
  /** `count` events of load balancer `lb`, created `ageDays` days before `at`, in one statement. */
  const events = (db: Db, lb: string, count: number, ageDays: number) =>
    db
      .insertInto('status_events')
      .values(
        Array.from({ length: count }, (_, i) => ({
          load_balancer_id: lb,
          resource_type: 'member',
          resource_id: `${lb}-m${i}`,
          field: 'operating_status',
          from_status: 'ONLINE',
          to_status: 'ERROR',
          reason: 'agent a reported member ERROR',
          created_at: new Date(at - ageDays * day).toISOString(),
        })),
      )
      .execute();
  const housekeeping = (store: Store) => new Housekeeping({ store, logger: pino({ level: 'silent' }) });
  const idsOf = async (db: Db, lb: string) =>
    (
      await db
        .selectFrom('status_events')
        .select('id')
        .where('load_balancer_id', '=', lb)
        .orderBy('id')
        .execute()
    ).map((r) => Number(r.id));

  it('keeps the newest 1,000 events of a load balancer and drops those older than 14 days', async () => {
    const store = await openStore('sqlite::memory:');
    const { db } = store;
    await events(db, 'old', 20, 15);
    await events(db, 'busy', 1300, 1);
    await events(db, 'quiet', 10, 13);
    const busy = await idsOf(db, 'busy');
    const swept = await housekeeping(store).sweep(at);
    assert.equal(swept.events, 20 + 300);
    assert.deepEqual(await idsOf(db, 'old'), []);
    assert.deepEqual(await idsOf(db, 'busy'), busy.slice(300));
    assert.equal((await idsOf(db, 'quiet')).length, 10);
    assert.equal((await housekeeping(store).sweep(at)).events, 0);
    await store.close();
  });

  it('purges the events and access logs of a load balancer with the load balancer itself', async () => {
    const store = await openStore('sqlite::memory:');
    const { db } = store;
    await insertBareLoadBalancer(db, 'gone');
    await db
      .updateTable('load_balancers')
      .set({ provisioning_status: 'DELETED', updated_at: new Date(at - 8 * day).toISOString() })
      .execute();
    await events(db, 'gone', 5, 0);
    assert.equal((await idsOf(db, 'gone')).length, 6, 'its creation and the five above');
    const created_at = new Date(at - 8 * day).toISOString();
    await db
      .insertInto('access_logs')
      .values(
        [1, 2].map((n) => ({ load_balancer_id: 'gone', listener_id: 'l', line: `line ${n}`, created_at })),
      )
      .execute();
    await db.insertInto('access_log_drops').values({ load_balancer_id: 'gone', dropped: 3 }).execute();
    const swept = await housekeeping(store).sweep(at);
    assert.equal(swept.loadBalancers, 1);
    assert.deepEqual(await idsOf(db, 'gone'), []);
    assert.deepEqual(await db.selectFrom('access_logs').select('id').execute(), []);
    assert.deepEqual(await db.selectFrom('access_log_drops').select('dropped').execute(), []);
    await store.close();
  });
});
