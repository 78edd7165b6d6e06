import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { freshPostgresSchema } from '../../../test/helpers/store-dialects.ts';
import { openStore, type Store } from '../database.ts';
import { campaign, type Leadership } from './leader-campaign.ts';

const url = process.env.SLUICE_TEST_DATABASE_URL;
const logger = pino({ level: 'silent' });
const FAST = { retryMs: 50, checkMs: 200 } as const;

/** Settles with the leadership, or with 'waiting' while `ms` pass without one. */
function within(ms: number, pending: Promise<Leadership>): Promise<Leadership | 'waiting'> {
  return Promise.race([pending, new Promise<'waiting'>((resolve) => setTimeout(resolve, ms, 'waiting'))]);
}

describe('leader campaign on PostgreSQL', {
  skip: url ? false : 'SLUICE_TEST_DATABASE_URL is not set',
}, () => {
  let schema: { url: string; drop(): Promise<void> };
  let store: Store;
  const aborts: AbortController[] = [];
  const run = (name = 'controller', on = schema.url) => {
    const abort = new AbortController();
    aborts.push(abort);
    return campaign({ url: on, name, logger, ...FAST }, abort.signal);
  };

  before(async () => {
    schema = await freshPostgresSchema(url as string);
    store = await openStore(schema.url);
  });
  after(async () => {
    for (const abort of aborts) abort.abort();
    await store.close();
    await schema.drop();
  });

  it('lets one process lead at a time, and the next one lead when the first resigns', async () => {
    const first = await run();
    const second = run();
    assert.equal(await within(600, second), 'waiting');
    await first.resign();
    const next = await within(5000, second);
    assert.notEqual(next, 'waiting');
    await (next as Leadership).resign();
  });

  it('fences a leader whose session was taken from it: its writes fail, and a standby leads', async () => {
    const leader = await run();
    const standby = run();
    await sql`select 1`.execute(leader.store.db);
    // An operator (or a network fault) ends the leader's session: PostgreSQL frees its lock at once.
    const killer = new pg.Client({ connectionString: schema.url });
    await killer.connect();
    await killer.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1
         and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`,
      [`sluice controller ${process.pid}`],
    );
    await killer.end();
    const next = await within(5000, standby);
    assert.notEqual(next, 'waiting', 'a standby leads once the session is gone');
    assert.match(await leader.lost, /session/);
    await assert.rejects(
      leader.store.db
        .insertInto('agents')
        .values({} as never)
        .execute(),
      /not the leader any more/,
    );
    await (next as Leadership).resign();
  });

  it('runs a transaction through the leader session and queues the work that comes meanwhile', async () => {
    const leader = await run();
    const order: string[] = [];
    await Promise.all([
      leader.store.db.transaction().execute(async (trx) => {
        await sql`select pg_sleep(0.1)`.execute(trx);
        order.push('transaction');
      }),
      sql`select 1`.execute(leader.store.db).then(() => order.push('query')),
    ]);
    assert.deepEqual(order, ['transaction', 'query']);
    await leader.resign();
  });

  it('never makes two deployments in two schemas wait for each other', async () => {
    const other = await freshPostgresSchema(url as string);
    try {
      const here = await run();
      const there = await within(5000, run('controller', other.url));
      assert.notEqual(there, 'waiting');
      await here.resign();
      await (there as Leadership).resign();
    } finally {
      await other.drop();
    }
  });
});
