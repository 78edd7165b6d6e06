// The agent's side of the agent protocol over HTTP (fetch): register, long-poll the desired set, report.
// Every call carries the agent's bearer token and is bounded in time; a non-2xx answer, or none in time,
// becomes an Error with the server's message or the bound.
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
}>;

const REGISTER_TIMEOUT_MS = 10_000;
const LONG_POLL_MARGIN_MS = 5_000;

export class AgentClient {
  readonly #base: string;
  readonly #token: string;
  readonly #registerTimeoutMs: number;
  readonly #longPollMarginMs: number;

  constructor(serverUrl: string, token: string, options: AgentClientOptions = {}) {
    this.#base = `${serverUrl.replace(/\/$/, '')}${AGENT_API_PREFIX}`;
    this.#token = token;
    this.#registerTimeoutMs = options.registerTimeoutMs ?? REGISTER_TIMEOUT_MS;
    this.#longPollMarginMs = options.longPollMarginMs ?? LONG_POLL_MARGIN_MS;
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

  /** Sends a report; given up after `timeoutMs`. */
  async report(report: AgentReport, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.#call('POST', '/report', timeoutMs, report, signal);
  }

  async #call(
    method: string,
    path: string,
    timeoutMs: number,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<unknown> {
    // The bound covers the whole exchange, body included: fetch's signal also aborts reading the body.
    // An aborted request's connection is closed by undici, so the next call does not reuse a dead socket.
    const timeout = AbortSignal.timeout(timeoutMs);
    const bounded = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: bounded,
      });
      const text = await response.text();
      if (!response.ok) {
        let message = text;
        try {
          message = (JSON.parse(text) as { faultstring?: string }).faultstring ?? text;
        } catch {
          // not JSON: keep the text
        }
        throw new Error(`${method} ${path}: ${response.status} ${message}`);
      }
      return text ? JSON.parse(text) : undefined;
    } catch (error) {
      if (timeout.aborted && !signal?.aborted)
        throw new Error(`${method} ${path}: no answer within ${timeoutMs} ms`);
      throw error;
    }
  }
}
