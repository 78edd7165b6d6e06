// One leader among the processes that share a PostgreSQL store, decided by the database: the leader is the
// process whose session holds a session-level advisory lock (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
// PostgreSQL releases it when the session ends, so a leader killed with -9 is replaced as soon as its socket
// closes; a standby polls for it. The leader gets a Store over that one session (session-pool.ts): if the
// session is lost, so is the lock, and every later write of the old leader fails (fencing).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Store } from '../database.ts';
import type { Database } from '../schema.ts';
import { SessionPool } from './session-pool.ts';

export type CampaignOptions = Readonly<{
  url: string;
  /** what is led; the lock is per name and per schema (deployments in two schemas never contend) */
  name: string;
  logger: Logger;
  /** how often a standby asks for the lock (ms) */
  retryMs?: number;
  /** how often the leader checks its session, and how long a check may take before the session is lost (ms) */
  checkMs?: number;
}>;

export type Leadership = Readonly<{
  /** writes through the session holding the lock; fenced once leadership is lost */
  store: Store;
  /** settles with the reason when leadership is lost (the session died, stopped answering, or resigned) */
  lost: Promise<string>;
  /** gives the lock up and ends the session */
  resign(): Promise<void>;
}>;

const RETRY_MS = 500;
const CHECK_MS = 1000;

/**
 * Server-side keepalives on the lock's session: PostgreSQL learns of a leader host that vanished without a
 * FIN (power loss, a cut link) within about 4 s instead of the kernel's two hours, and frees the lock
 * (https://www.postgresql.org/docs/15/runtime-config-connection.html#GUC-TCP-KEEPALIVES-IDLE).
 */
const SESSION_SETTINGS =
  'set tcp_keepalives_idle = 2; set tcp_keepalives_interval = 1; set tcp_keepalives_count = 2';

/** Waits until this process leads `name`; rejects only when `signal` aborts. */
export async function campaign(options: CampaignOptions, signal: AbortSignal): Promise<Leadership> {
  const retryMs = options.retryMs ?? RETRY_MS;
  for (;;) {
    signal.throwIfAborted();
    const client = new pg.Client({
      connectionString: options.url,
      keepAlive: true,
      application_name: `sluice ${options.name} ${process.pid}`,
    });
    // An 'error' event without a listener would kill the process; a lost session is handled below.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(SESSION_SETTINGS);
      while (!signal.aborted) {
        const { rows } = await client.query<{ locked: boolean }>(
          'select pg_try_advisory_lock(hashtext($1 || current_schema())) as locked',
          [`sluice leader ${options.name} `],
        );
        if (rows[0]?.locked) return lead(client, options);
        await sleep(retryMs, signal);
      }
    } catch (error) {
      if (!signal.aborted) {
        options.logger.warn({ err: error }, `${options.name} leader campaign: store unreachable, retrying`);
      }
    }
    await client.end().catch(() => {});
    await sleep(retryMs, signal);
  }
}

function lead(client: pg.Client, options: CampaignOptions): Leadership {
  const pool = new SessionPool(client);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let settle: (reason: string) => void = () => {};
  const lost = new Promise<string>((resolve) => {
    settle = resolve;
  });
  let over = false;
  const end = (reason: string) => {
    if (over) return;
    over = true;
    pool.fence(reason);
    clearInterval(check);
    // Ending the session is what frees the lock for a standby when this process is the one giving up.
    void client.end().catch(() => {});
    settle(reason);
  };
  client.on('error', (error) => end(`session failed: ${error.message}`));
  client.on('end', () => end('session ended'));
  // A session can die silently (a stalled server, a cut link): one that does not answer a check in time is
  // given up, before a standby could lead beside it. The check takes its turn like any query, so it never
  // lands inside a controller's transaction, and only its own answer is timed.
  const checkMs = options.checkMs ?? CHECK_MS;
  let checking = false;
  const check = setInterval(async () => {
    if (checking || over) return;
    checking = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const session = await pool.connect();
      timer = setTimeout(() => end(`session did not answer within ${checkMs} ms`), checkMs);
      try {
        await session.query('select 1', []);
      } finally {
        session.release();
      }
    } catch (error) {
      end(`session check failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      checking = false;
    }
  }, checkMs);
  check.unref();
  return {
    store: { db, dialect: 'postgres', close: async () => end('store closed') },
    lost,
    async resign() {
      end('resigned');
      await lost;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
