// The change relay against a real PostgreSQL (SLUICE_TEST_DATABASE_URL): relays on fresh schemas, each
// standing for one process, wake each other's feeds through LISTEN/NOTIFY.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import pino from 'pino';
import { freshPostgresSchema } from '../../test/helpers/store-dialects.ts';
import { ChangeFeed } from './change-feed.ts';
import { changeChannel, startChangeRelay } from './pg-change-relay.ts';

const databaseUrl = process.env.SLUICE_TEST_DATABASE_URL;
/** Generous: events arrive within milliseconds, the bound only stops a broken relay from hanging the test. */
const WAIT_MS = 5_000;

type Process = { feed: ChangeFeed; heard: string[]; close(): Promise<void> };

describe('pg change relay', { skip: databaseUrl ? false : 'SLUICE_TEST_DATABASE_URL is not set' }, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function schema(): Promise<string> {
    const fresh = await freshPostgresSchema(databaseUrl!);
    cleanups.push(fresh.drop);
    return fresh.url;
  }

  /** One process's feed with a relay on `url`; `heard` collects what its subscribers were handed. */
  async function relayOn(url: string): Promise<Process> {
    const feed = new ChangeFeed();
    const heard: string[] = [];
    feed.subscribe((id) => heard.push(id));
    const relay = await startChangeRelay({ url, feed, logger: pino({ level: 'silent' }) });
    cleanups.push(() => relay.close());
    return { feed, heard, close: () => relay.close() };
  }

  async function connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push(() => client.end());
    return client;
  }

  /** Two processes on one schema (a fresh one unless given). */
  async function twoOn(url?: string): Promise<[Process, Process]> {
    const on = url ?? (await schema());
    return [await relayOn(on), await relayOn(on)];
  }

  it('wakes the subscribers of another process on the same schema, and its own once', async () => {
    const [a, b] = await twoOn();
    const first = await wake(a, b);
    // Notifications arrive in commit order: once a hears b's, an echo of its own would have come before.
    const second = await wake(b, a);
    assert.deepEqual(a.heard, [first, second]);
  });

  it('hears nothing from a deployment in another schema of the same database', async () => {
    const [a, b] = await twoOn();
    const [c, d] = await twoOn();
    await wake(a, b);
    // As above: had c heard a's notification, it would have come before d's.
    assert.deepEqual(c.heard, [await wake(d, c)]);
  });

  it('delivers 1,000 ids notified in one tick, in a few notifications under the payload limit', async () => {
    const url = await schema();
    const [a, b] = await twoOn(url);
    const observer = await connect(url);
    const { rows } = await observer.query<{ schema: string }>('SELECT current_schema() AS schema');
    const payloads: string[] = [];
    observer.on('notification', (message) => payloads.push(message.payload ?? ''));
    await observer.query(`LISTEN ${observer.escapeIdentifier(changeChannel(rows[0]!.schema))}`);
    const ids = Array.from({ length: 1_000 }, () => randomUUID());
    for (const id of ids) a.feed.notify(id);
    await until(() => b.heard.length >= ids.length, 'b hears 1,000 ids');
    assert.deepEqual([...b.heard].sort(), [...ids].sort());
    await until(() => payloads.length > 0 && countIds(payloads) >= ids.length, 'the observer sees them all');
    assert.ok(payloads.length > 1 && payloads.length <= 10, `${payloads.length} notifications`);
    for (const payload of payloads) assert.ok(Buffer.byteLength(payload) < 8000);
  });

  it('wakes every reader of another process when an id is too long for a notification', async () => {
    const [a, b] = await twoOn();
    a.feed.notify('x'.repeat(9_000));
    await until(() => b.heard.length > 0, 'b hears something');
    assert.deepEqual(b.heard, ['']);
  });

  it('sends the wakes notified just before it closes', async () => {
    const [a, b] = await twoOn();
    const id = randomUUID();
    a.feed.notify(id);
    await a.close();
    await until(() => b.heard.includes(id), 'b hears a');
  });

  it('listens again after its connection is killed, wakes every local reader, and hears later changes', async () => {
    const url = await schema();
    const b = await relayOn(url);
    const admin = await connect(databaseUrl!);
    const listening = await listenersOf(admin, url);
    assert.equal(listening.length, 1);
    const a = await relayOn(url);
    await admin.query('SELECT pg_terminate_backend($1)', [listening[0]]);
    await until(() => b.heard.includes(''), 'b wakes every reader');
    assert.deepEqual(b.heard, ['', await wake(a, b)]);
    assert.equal((await listenersOf(admin, url)).length, 2);
  });
});

/** Backend pids of the connections listening on the channel of `url`'s schema. */
async function listenersOf(admin: pg.Client, url: string): Promise<number[]> {
  const probe = new pg.Client({ connectionString: url });
  await probe.connect();
  try {
    const { rows } = await probe.query<{ schema: string }>('SELECT current_schema() AS schema');
    const listen = `LISTEN ${probe.escapeIdentifier(changeChannel(rows[0]!.schema))}`;
    const found = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE query = $1', [
      listen,
    ]);
    return found.rows.map((row) => row.pid);
  } finally {
    await probe.end();
  }
}

/** Notifies a new id in `from` and waits until `to` heard it. */
async function wake(from: Process, to: Process): Promise<string> {
  const id = randomUUID();
  from.feed.notify(id);
  await until(() => to.heard.includes(id), `${id} relayed`);
  return id;
}

function countIds(payloads: readonly string[]): number {
  return payloads.reduce((sum, payload) => sum + (JSON.parse(payload) as { ids: string[] }).ids.length, 0);
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`not seen within ${WAIT_MS} ms: ${what}`);
    await sleep(10);
  }
}

describe('changeChannel', () => {
  it('names one channel per schema, hashing a name longer than an identifier holds (63 bytes)', () => {
    assert.equal(changeChannel('sluice'), 'sluice_changes:sluice');
    const long = changeChannel('s'.repeat(60));
    assert.ok(Buffer.byteLength(long) <= 63);
    assert.notEqual(long, changeChannel(`${'s'.repeat(59)}t`));
  });
});
