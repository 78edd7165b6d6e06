// A Kysely PostgreSQL "pool" of exactly one session, handed out one query or transaction at a time: the
// leader's controller writes through the very session that holds the leader lock, so a leader whose session
// is gone (and whose lock PostgreSQL has therefore given to a standby) cannot write any more (issue #15:
// fencing). Kysely's SQLite driver serialises on one connection the same way, so code that runs on SQLite
// cannot deadlock here.
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

export class SessionPool implements PostgresPool {
  readonly #waiting: (() => void)[] = [];
  #busy = false;
  #fenced: Error | undefined;
  readonly #lease: PostgresPoolClient;

  constructor(client: pg.Client) {
    this.#lease = {
      query: ((sql: string, parameters: readonly unknown[]) => {
        if (this.#fenced) return Promise.reject(this.#fenced);
        return client.query(sql, [...parameters]);
      }) as PostgresPoolClient['query'],
      release: () => this.#next(),
    };
  }

  /** Every later query fails with `reason` (the session lost its lock, or the process resigned). */
  fence(reason: string): void {
    this.#fenced ??= new Error(`not the leader any more: ${reason}`);
    for (const wake of this.#waiting.splice(0)) wake();
  }

  async connect(): Promise<PostgresPoolClient> {
    while (this.#busy && !this.#fenced) await new Promise<void>((wake) => this.#waiting.push(wake));
    if (this.#fenced) throw this.#fenced;
    this.#busy = true;
    return this.#lease;
  }

  #next(): void {
    this.#busy = false;
    this.#waiting.shift()?.();
  }

  /** The session belongs to the campaign (leader-campaign.ts), which ends it; the pool only fences. */
  async end(): Promise<void> {
    this.fence('store closed');
  }
}
