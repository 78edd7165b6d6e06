// The agent's side of the agent protocol over HTTP (fetch): register, long-poll the desired set, report.
// Every call carries the agent's bearer token and is bounded in time; a non-2xx answer, or none in time,
// becomes an Error with the server's message or the bound. Given several API replicas, a call that one of them
// does not answer is tried at once on the next (round robin), and later calls stay on the one that answered.
import {
  AGENT_API_PREFIX,
  type AgentRegistration,
  type AgentReport,
  type AgentSession,
  type DesiredSet,
} from '../model/agent-protocol.ts';

export type AgentClientOptions = Readonly<{
  /** bound of a registration (ms) */
  registerTimeoutMs?: number;
  /** how long past its own hold time a long-poll may take before it is given up (ms) */
  longPollMarginMs?: number;
  /** the client moved from one API replica to the next: `from` did not answer, for `reason` */
  onMove?: (from: string, to: string, reason: string) => void;
}>;

const REGISTER_TIMEOUT_MS = 10_000;
const LONG_POLL_MARGIN_MS = 5_000;

/**
 * Answers of a proxy or a replica that cannot serve now (RFC 9110 §15.6.3-5: bad gateway, service unavailable,
 * gateway timeout): another replica may. Any other status is the API's answer, the same on every replica.
 */
const NOT_SERVING = new Set([502, 503, 504]);

/** A call that got no answer from a replica: refused, reset, unresolved, cut, or not in time. */
class NoAnswer extends Error {
  readonly reason: string;
  constructor(message: string, reason: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

/** What undici names a failed connection by (`fetch failed` says nothing): the cause's code, else its message. */
function transportReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  return String(cause?.code ?? cause?.message ?? error);
}

export class AgentClient {
  readonly #bases: readonly string[];
  readonly #token: string;
  readonly #registerTimeoutMs: number;
  readonly #longPollMarginMs: number;
  readonly #onMove: AgentClientOptions['onMove'];
  /** index in #bases of the replica calls go to: the one that answered last */
  #current = 0;
  /**
   * Per replica, the calls waiting on it, aborted when the client moves away from it: they (a long-poll holds
   * for up to its whole bound on a stopped replica) go to the next at once. One controller per call, not one
   * per replica: a long-lived signal given to AbortSignal.any keeps every observed composite made from it
   * (https://github.com/nodejs/node/issues/64476).
   */
  readonly #waiting: Set<AbortController>[];

  constructor(serverUrls: string | readonly string[], token: string, options: AgentClientOptions = {}) {
    const urls = typeof serverUrls === 'string' ? [serverUrls] : serverUrls;
    if (urls.length === 0) throw new Error('AgentClient needs at least one server URL');
    this.#bases = urls.map((url) => url.replace(/\/$/, ''));
    this.#token = token;
    this.#registerTimeoutMs = options.registerTimeoutMs ?? REGISTER_TIMEOUT_MS;
    this.#longPollMarginMs = options.longPollMarginMs ?? LONG_POLL_MARGIN_MS;
    this.#onMove = options.onMove;
    this.#waiting = this.#bases.map(() => new Set<AbortController>());
  }

  /** the base URL calls go to now */
  get server(): string {
    return this.#bases[this.#current] as string;
  }

  register(registration: AgentRegistration): Promise<AgentSession> {
    return this.#call('POST', '/register', this.#registerTimeoutMs, registration) as Promise<AgentSession>;
  }

  /**
   * Answers when the set differs from `etag`, or after about `waitMs` with the same set. Given up after
   * `waitMs` plus a margin: a link cut without a reset would otherwise hold the poll for minutes.
   */
  desired(etag: string, waitMs: number, signal?: AbortSignal): Promise<DesiredSet> {
    // delta=1: the answer to a known etag carries only what changed (DesiredSet.delta); AgentRunner merges it.
    const query = new URLSearchParams({ etag, wait: String(waitMs), delta: '1' });
    return this.#call(
      'GET',
      `/desired?${query}`,
      waitMs + this.#longPollMarginMs,
      undefined,
      signal,
    ) as Promise<DesiredSet>;
  }

  /** Sends a report; given up after `timeoutMs` on each replica tried. */
  async report(report: AgentReport, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.#call('POST', '/report', timeoutMs, report, signal);
  }

  /**
   * Tries the current replica, then each other once in turn while they give no answer; the last error is
   * thrown when none answers. Each try has the whole bound: a replica reached after a refused one needs it all.
   */
  async #call(
    method: string,
    path: string,
    timeoutMs: number,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const tried = new Set<number>();
    let pick = this.#current;
    for (;;) {
      tried.add(pick);
      try {
        return await this.#exchange(pick, method, path, timeoutMs, body, signal);
      } catch (error) {
        if (!(error instanceof NoAnswer) || signal?.aborted || this.#bases.length === 1) throw error;
        // Calls run side by side (long-poll, report): the first to find this replica silent moves them all.
        if (this.#current === pick) this.#moveTo((pick + 1) % this.#bases.length, error.reason);
        const next = this.#untried(tried);
        if (next === undefined) throw error;
        pick = next;
      }
    }
  }

  /** the current replica if this call has not tried it yet, else the next one after it it has not */
  #untried(tried: ReadonlySet<number>): number | undefined {
    for (let step = 0; step < this.#bases.length; step += 1) {
      const index = (this.#current + step) % this.#bases.length;
      if (!tried.has(index)) return index;
    }
    return undefined;
  }

  #moveTo(index: number, reason: string): void {
    const from = this.server;
    const waiting = this.#waiting[this.#current] as Set<AbortController>;
    for (const call of waiting) call.abort();
    waiting.clear();
    this.#current = index;
    this.#onMove?.(from, this.server, reason);
  }

  async #exchange(
    index: number,
    method: string,
    path: string,
    timeoutMs: number,
    body: unknown,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    // The bound covers the whole exchange, body included: fetch's signal also aborts reading the body.
    // An aborted request's connection is closed by undici, so the next call does not reuse a dead socket.
    const timeout = AbortSignal.timeout(timeoutMs);
    const base = this.#bases[index] as string;
    const call = new AbortController();
    const waiting = this.#waiting[index] as Set<AbortController>;
    waiting.add(call);
    const moved = call.signal;
    const bounded = AbortSignal.any(signal ? [signal, timeout, moved] : [timeout, moved]);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${base}${AGENT_API_PREFIX}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: bounded,
      });
      text = await response.text();
    } catch (error) {
      waiting.delete(call);
      if (signal?.aborted) throw error;
      // fetch rejects with a TypeError when no whole answer arrived: refused, reset, DNS, TLS, socket closed.
      const reason = timeout.aborted
        ? `no answer within ${timeoutMs} ms`
        : moved.aborted
          ? 'another call found it not answering'
          : transportReason(error);
      throw new NoAnswer(`${method} ${path} at ${base}: ${reason}`, reason, { cause: error });
    }
    waiting.delete(call);
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { faultstring?: string }).faultstring ?? text;
      } catch {
        // not JSON: keep the text
      }
      const failure = `${method} ${path}: ${response.status} ${message}`;
      throw NOT_SERVING.has(response.status)
        ? new NoAnswer(failure, `${response.status}`)
        : new Error(failure);
    }
    return text ? JSON.parse(text) : undefined;
  }
}
