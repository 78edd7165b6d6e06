// The agent's side of the agent protocol over HTTP (fetch): register, long-poll the desired set, report.
// Every call carries the agent's bearer token; a non-2xx answer becomes an Error with the server's message.
import {
  AGENT_API_PREFIX,
  type AgentRegistration,
  type AgentReport,
  type AgentSession,
  type DesiredSet,
} from '../model/agent-protocol.ts';

export class AgentClient {
  readonly #base: string;
  readonly #token: string;

  constructor(serverUrl: string, token: string) {
    this.#base = `${serverUrl.replace(/\/$/, '')}${AGENT_API_PREFIX}`;
    this.#token = token;
  }

  register(registration: AgentRegistration): Promise<AgentSession> {
    return this.#call('POST', '/register', registration) as Promise<AgentSession>;
  }

  /** Answers when the set differs from `etag`, or after about `waitMs` with the same set. */
  desired(etag: string, waitMs: number, signal?: AbortSignal): Promise<DesiredSet> {
    const query = new URLSearchParams({ etag, wait: String(waitMs) });
    return this.#call('GET', `/desired?${query}`, undefined, signal) as Promise<DesiredSet>;
  }

  async report(report: AgentReport): Promise<void> {
    await this.#call('POST', '/report', report);
  }

  async #call(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
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
  }
}
