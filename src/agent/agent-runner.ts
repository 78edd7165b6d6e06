// Runs one agent: registers with the server, then keeps two loops going until stopped. The poll loop
// long-polls the desired set and converges the data planes on it; the heartbeat loop reports, every
// interval, what was applied (results not yet delivered are kept and re-sent, never lost), what the data
// planes observe and, on a keepalived host, each grouped load balancer's VRRP state. Server outages are
// ridden out with a capped backoff; the data planes keep serving.
// Every request is bounded (agent-client.ts), so a link cut without a reset stalls neither loop for long.
// refresh() (a link came back) restarts the long-poll at once with an empty etag and drops the answer to any
// request made before it, so the next set the reconciler gets was asked for after the link returned.
import type { Logger } from 'pino';
import type { AgentRegistration, ApplyResult, Assignment } from '../model/agent-protocol.ts';
import { LONG_POLL_MS, REPORT_LOG_LINES, REPORT_LOG_LINES_PER_LB } from '../model/agent-protocol.ts';
import type { AccessLogBatch } from '../model/provider-driver.ts';
import type { AgentClient } from './agent-client.ts';
import { mergeDesiredSet } from './merge-desired-set.ts';
import { ObservationLedger } from './observation-ledger.ts';
import type { Reconciler } from './reconciler.ts';

export type AgentRunnerOptions = Readonly<{
  client: AgentClient;
  reconciler: Reconciler;
  registration: AgentRegistration;
  logger: Logger;
  /** how long the server may hold a long-poll (ms); default LONG_POLL_MS */
  longPollMs?: number;
}>;

/**
 * A report is given up after this many heartbeat intervals: it is re-sent anyway (its results are kept), and
 * one stuck on a dead connection must not hold back the next heartbeats (only one report runs at a time).
 * Three: a report given up on a hung API replica (SIGSTOP) is sent to the next one (agent-client.ts) about
 * 1.5 s after the last that landed, well inside the 2.5 s heartbeat timeout; four left it at the edge.
 */
const REPORT_TIMEOUT_HEARTBEATS = 3;
const DEFAULT_HEARTBEAT_MS = 500;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export class AgentRunner {
  readonly #options: AgentRunnerOptions;
  readonly #abort = new AbortController();
  #unsent: ApplyResult[] = [];
  #heartbeat: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();
  #reporting: Promise<void> | undefined;
  /**
   * Access log lines taken from the data planes and not yet acknowledged: sent with every report until one is
   * (so a failed report loses none and an acknowledged one is not sent again), and topped up to the limits.
   */
  #logs = new Map<string, AccessLogBatch>();
  /** what the server holds of each load balancer's observation: a heartbeat sends only what changed */
  readonly #observations = new ObservationLedger();
  #reportTimeoutMs = REPORT_TIMEOUT_HEARTBEATS * DEFAULT_HEARTBEAT_MS;
  /** the server's heartbeat timeout, once registered */
  #heartbeatTimeoutMs: number | undefined;
  /** when a report last reached an API (performance.now()) */
  #reportedAt: number | undefined;
  /** bumped by refresh(): a poll answer asked for under an older one is not applied */
  #generation = 0;
  /** aborted by refresh(): ends the long-poll in flight (or its backoff) */
  #refreshed = new AbortController();

  constructor(options: AgentRunnerOptions) {
    this.#options = options;
  }

  /** Resolves once registered and the loops run. */
  async start(): Promise<void> {
    const { client, registration, logger } = this.#options;
    let backoff = 200;
    for (;;) {
      try {
        const session = await client.register(registration);
        logger.info({ agent: session.agentId, providers: registration.providers }, 'agent registered');
        this.#reportTimeoutMs = REPORT_TIMEOUT_HEARTBEATS * session.heartbeatIntervalMs;
        this.#heartbeatTimeoutMs = session.heartbeatTimeoutMs;
        this.#reportedAt = performance.now();
        this.#heartbeat = setInterval(
          () => void this.report({ heartbeat: true }),
          session.heartbeatIntervalMs,
        );
        break;
      } catch (error) {
        if (this.#abort.signal.aborted) return;
        logger.warn({ err: String(error) }, 'registration failed; retrying');
        await sleep(backoff, this.#abort.signal);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
    this.#polling = this.#poll();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    clearInterval(this.#heartbeat);
    await this.#polling;
    await this.#reporting;
    await this.#options.reconciler.close();
  }

  /**
   * Why this agent is not ready (an orchestrator's readiness probe, agent-health-server.ts), or undefined: it
   * is registered and a report reached an API within the server's heartbeat timeout, so the controller counts
   * it UP.
   */
  unready(now = performance.now()): string | undefined {
    if (this.#heartbeatTimeoutMs === undefined || this.#reportedAt === undefined)
      return 'not registered with an API yet';
    const silent = now - this.#reportedAt;
    if (silent > this.#heartbeatTimeoutMs)
      return `no report reached an API for ${Math.round(silent)} ms (heartbeat timeout ${this.#heartbeatTimeoutMs} ms)`;
    return undefined;
  }

  /**
   * Asks the server for the whole desired set again, now: the long-poll in flight (or the wait before a retry)
   * is given up, the next one carries no etag (the server answers at once), and an answer to a request made
   * before this call is dropped. Unreachable, it is retried as any poll, with the capped backoff.
   */
  refresh(): void {
    this.#generation += 1;
    this.#refreshed.abort();
    this.#refreshed = new AbortController();
  }

  /**
   * Sends the queued results and the current observations (one at a time; a failed send keeps them). Only a
   * heartbeat's report also refreshes its slice of unchanged observations: a report after each change would
   * otherwise carry a slice too (33 row writes per change at 1,000 load balancers).
   */
  async report(options: Readonly<{ heartbeat?: boolean }> = {}): Promise<void> {
    if (this.#reporting) return this.#reporting;
    const results = this.#unsent;
    this.#unsent = [];
    const vrrp = this.#options.reconciler.vrrpStates();
    // A load balancer applied or removed again may have a new placement row: its observation goes again.
    this.#observations.forget(results.map((r) => r.loadBalancerId));
    const batch = this.#observations.batch(this.#options.reconciler.observe(), {
      refresh: options.heartbeat === true,
    });
    const logs = this.#takeLogs();
    this.#reporting = this.#options.client
      .report(
        {
          epoch: this.#options.registration.epoch,
          results,
          observed: batch.observed,
          ...(vrrp && { vrrp }),
          ...(logs && { logs }),
        },
        this.#reportTimeoutMs,
        this.#abort.signal,
      )
      .then(() => {
        this.#reportedAt = performance.now();
        batch.acknowledge();
        // Only report() adds to #logs, one report at a time: what is held now is what was sent.
        if (logs) this.#logs = new Map();
      })
      .catch((error) => {
        this.#unsent = [...results, ...this.#unsent];
        this.#options.logger.warn({ err: String(error) }, 'report failed; will retry');
      })
      .finally(() => {
        this.#reporting = undefined;
      });
    return this.#reporting;
  }

  /** The unacknowledged access log lines, topped up from the data planes; undefined when there are none. */
  #takeLogs(): Record<string, AccessLogBatch> | undefined {
    let held = 0;
    for (const batch of this.#logs.values()) held += batch.lines.length;
    const fresh = this.#options.reconciler.drainLogs(REPORT_LOG_LINES - held, REPORT_LOG_LINES_PER_LB);
    for (const [id, batch] of fresh) {
      const earlier = this.#logs.get(id);
      this.#logs.set(
        id,
        earlier
          ? { lines: [...earlier.lines, ...batch.lines], dropped: earlier.dropped + batch.dropped }
          : batch,
      );
    }
    return this.#logs.size > 0 ? Object.fromEntries(this.#logs) : undefined;
  }

  async #poll(): Promise<void> {
    const { client, reconciler, logger } = this.#options;
    const signal = this.#abort.signal;
    let etag = '';
    /** the whole set of the etag, by load balancer id: answers that carry a delta are merged into it */
    let held = new Map<string, Assignment>();
    let backoff = 200;
    let generation = this.#generation;
    while (!signal.aborted) {
      if (generation !== this.#generation) {
        generation = this.#generation;
        etag = '';
        backoff = 200;
      }
      const attempt = AbortSignal.any([signal, this.#refreshed.signal]);
      try {
        const set = await client.desired(etag, this.#options.longPollMs ?? LONG_POLL_MS, attempt);
        // Synchronously up to the converge's start: a refresh cannot slip between this check and it.
        if (generation !== this.#generation) continue;
        held = mergeDesiredSet(held, etag, set);
        const results = await reconciler.converge([...held.values()], set.removals);
        etag = set.etag;
        backoff = 200;
        if (results.length > 0) {
          this.#unsent.push(...results);
          await this.#reporting;
          await this.report();
        }
      } catch (error) {
        if (signal.aborted) break;
        // What is held may be ahead of `etag` now: the next answer is a whole set again.
        etag = '';
        held = new Map();
        if (generation !== this.#generation) continue;
        logger.warn({ err: String(error) }, 'desired-state poll failed; retrying');
        await sleep(backoff, attempt);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }
}
