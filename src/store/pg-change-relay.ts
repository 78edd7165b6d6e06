// Carries ChangeFeed wakes between processes on one PostgreSQL schema with LISTEN/NOTIFY
// (https://www.postgresql.org/docs/15/sql-notify.html): this process's notify()s go out coalesced per tick,
// other processes' come in through feed.receive(). A wake only makes readers re-read; the polls stay the backstop.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ChangeFeed } from './change-feed.ts';

export type ChangeRelayOptions = {
  /** The store's URL: its search_path names the schema, and so the channel. */
  url: string;
  feed: ChangeFeed;
  logger: Logger;
  /** Delays between attempts to listen again after the connection dropped: doubling from min up to max. */
  backoffMs?: { min: number; max: number };
};

export type ChangeRelay = { close(): Promise<void> };

const CHANNEL_PREFIX = 'sluice_changes:';
/** NAMEDATALEN - 1: LISTEN truncates a longer identifier and pg_notify() refuses a longer channel. */
const MAX_CHANNEL_BYTES = 63;
/** "The payload must be shorter than 8000 bytes" in the default configuration (sql-notify.html). */
const MAX_PAYLOAD_BYTES = 7999;
const APPLICATION_NAME = 'sluice-change-relay';
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The channel of one schema's deployment. Channels are database-wide, so two deployments in two schemas of
 * one database get two channels; a name too long for an identifier is hashed.
 */
export function changeChannel(schema: string): string {
  const channel = CHANNEL_PREFIX + schema;
  if (Buffer.byteLength(channel) <= MAX_CHANNEL_BYTES) return channel;
  return CHANNEL_PREFIX + createHash('sha256').update(schema).digest('hex').slice(0, 40);
}

/**
 * Relays `feed` over the channel of the URL's current schema. Resolves once listening; rejects when the first
 * connection fails (a wrong URL should stop the start). Afterwards errors are logged, never thrown: a lost
 * connection is listened again with backoff and then wakes every local reader ('').
 * NOTIFY is sent on the relay's own connection at the end of the tick, not in the caller's transaction: callers
 * notify() after their commit (every one in src/ does); an early one would only wake readers before the rows
 * change, and the polls would catch the change.
 */
export async function startChangeRelay(options: ChangeRelayOptions): Promise<ChangeRelay> {
  const relay = new PgChangeRelay(options);
  await relay.start();
  return relay;
}

type Batch = { origin: string; ids: string[] };

class PgChangeRelay implements ChangeRelay {
  /** Marks this relay's notifications: PostgreSQL hands them to its own listening session too. */
  readonly #origin = randomUUID();
  readonly #options: ChangeRelayOptions;
  readonly #backoff: { min: number; max: number };
  /** NOTIFY goes through its own connection, so wakes are still sent while the listener reconnects. */
  readonly #sender: pg.Pool;
  #channel = '';
  #listener: pg.Client | undefined;
  #connecting: Promise<void> = Promise.resolve();
  #retry: NodeJS.Timeout | undefined;
  #delayMs: number;
  #pending = new Set<string>();
  #scheduled: NodeJS.Immediate | undefined;
  #sending = false;
  #drained: Promise<void> = Promise.resolve();
  #stopRelaying: () => void = () => {};
  #closed = false;

  constructor(options: ChangeRelayOptions) {
    this.#options = options;
    this.#backoff = options.backoffMs ?? { min: 100, max: 2_000 };
    this.#delayMs = this.#backoff.min;
    this.#sender = new pg.Pool({
      connectionString: options.url,
      max: 1,
      application_name: APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    // An idle pooled connection that dies emits 'error' on the pool; unhandled, it would end the process.
    this.#sender.on('error', (error) =>
      options.logger.warn({ err: error }, 'change relay: notify connection lost'),
    );
  }

  async start(): Promise<void> {
    try {
      this.#listener = await this.#listen();
    } catch (error) {
      await this.#sender.end();
      throw error;
    }
    this.#stopRelaying = this.#options.feed.onLocal((id) => this.#queue(id));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopRelaying();
    clearTimeout(this.#retry);
    // Wakes notified just before closing still go out.
    if (this.#scheduled) {
      clearImmediate(this.#scheduled);
      this.#scheduled = undefined;
      this.#drained = this.#drain();
    }
    await this.#drained;
    await this.#connecting;
    const listener = this.#listener;
    this.#listener = undefined;
    if (listener) {
      await listener.query(`UNLISTEN ${listener.escapeIdentifier(this.#channel)}`).catch(() => {});
      await listener.end().catch(() => {});
    }
    await this.#sender.end();
  }

  /** A new connection listening on the channel (the channel is found by the first one). */
  async #listen(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.#options.url,
      application_name: APPLICATION_NAME,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // A pg.Client's 'error' without a handler kills the process (node:events); here it means: listen again.
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => this.#deliver(message));
    try {
      await client.connect();
      if (!this.#channel) this.#channel = changeChannel(await currentSchema(client));
      await client.query(`LISTEN ${client.escapeIdentifier(this.#channel)}`);
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  #lost(client: pg.Client, error?: Error): void {
    if (client !== this.#listener || this.#closed) return;
    this.#listener = undefined;
    this.#options.logger.warn({ err: error }, 'change relay: listening connection lost, listening again');
    client.end().catch(() => {});
    this.#retryLater();
  }

  #retryLater(): void {
    const delay = this.#delayMs;
    this.#delayMs = Math.min(delay * 2, this.#backoff.max);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#connecting = this.#listen().then(
        (client) => this.#relisten(client),
        (error: unknown) => {
          this.#options.logger.warn({ err: error, retryInMs: this.#delayMs }, 'change relay: cannot listen');
          if (!this.#closed) this.#retryLater();
        },
      );
    }, delay);
  }

  async #relisten(client: pg.Client): Promise<void> {
    if (this.#closed) {
      await client.end().catch(() => {});
      return;
    }
    this.#listener = client;
    this.#delayMs = this.#backoff.min;
    this.#options.logger.info({ channel: this.#channel }, 'change relay: listening again');
    // Notifications sent while no connection listened are lost: every local reader re-reads everything.
    this.#hand(['']);
  }

  #deliver(message: pg.Notification): void {
    if (message.channel !== this.#channel) return;
    const batch = parseBatch(message.payload);
    if (!batch) {
      this.#options.logger.warn(
        { payload: message.payload },
        'change relay: ignored a malformed notification',
      );
      return;
    }
    if (batch.origin !== this.#origin) this.#hand(batch.ids);
  }

  /** Local listeners get the ids; one that throws is logged instead of breaking the pg connection's reader. */
  #hand(ids: readonly string[]): void {
    try {
      for (const id of ids) this.#options.feed.receive(id);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'change relay: a change listener failed');
    }
  }

  /** Ids notified in one tick (or while a NOTIFY is under way) leave together. */
  #queue(id: string): void {
    this.#pending.add(id);
    if (this.#scheduled || this.#sending) return;
    this.#scheduled = setImmediate(() => {
      this.#scheduled = undefined;
      this.#drained = this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#pending.size > 0) {
        const ids = this.#pending;
        this.#pending = new Set();
        await this.#publish(ids);
      }
    } finally {
      this.#sending = false;
    }
  }

  async #publish(ids: Iterable<string>): Promise<void> {
    for (const payload of packPayloads(this.#origin, ids)) {
      try {
        // pg_notify() takes the channel as a value (no quoting); in autocommit it is delivered at once.
        await this.#sender.query('SELECT pg_notify($1, $2)', [this.#channel, payload]);
      } catch (error) {
        this.#options.logger.warn(
          { err: error },
          'change relay: wakes not sent, other processes poll for them',
        );
        return;
      }
    }
  }
}

async function currentSchema(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('change relay: the search_path names no existing schema');
  return schema;
}

/** JSON batches each under the payload limit; an id too long for any batch becomes '' (re-read everything). */
function packPayloads(origin: string, ids: Iterable<string>): string[] {
  const head = `{"origin":${JSON.stringify(origin)},"ids":[`;
  const tail = ']}';
  const budget = MAX_PAYLOAD_BYTES - Buffer.byteLength(head) - tail.length;
  const payloads: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const id of ids) {
    const json = JSON.stringify(id);
    const part = Buffer.byteLength(json) > budget ? '""' : json;
    const bytes = Buffer.byteLength(part);
    if (parts.length > 0 && size + 1 + bytes > budget) {
      payloads.push(head + parts.join(',') + tail);
      parts = [];
      size = 0;
    }
    size += (parts.length > 0 ? 1 : 0) + bytes;
    parts.push(part);
  }
  if (parts.length > 0) payloads.push(head + parts.join(',') + tail);
  return payloads;
}

function parseBatch(payload: string | undefined): Batch | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Partial<Batch> | null;
    if (typeof value?.origin !== 'string' || !Array.isArray(value.ids)) return undefined;
    return value.ids.every((id) => typeof id === 'string') ? (value as Batch) : undefined;
  } catch {
    return undefined;
  }
}
