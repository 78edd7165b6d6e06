// Every call the dashboard makes: to this page's own origin (the API serves the dashboard), with the
// session's token in X-Auth-Token. A 401 ends the session (an expired or revoked token).
import { ApiError, faultMessage } from './api-error.ts';

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => {};

/** Called when any call answers 401, so the app can end the session. */
export function whenUnauthorized(handler: Unauthorized): void {
  onUnauthorized = handler;
}

export type Call = { method?: string; body?: unknown; token?: string; headers?: Record<string, string> };

/** The raw response of `path` (same origin); a failure status throws ApiError with the API's message. */
export async function request(path: string, call: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  if (call.token) headers['x-auth-token'] = call.token;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(new URL(path, window.location.origin), {
    method: call.method ?? 'GET',
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  if (response.ok) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status === 401 && call.token) onUnauthorized();
  throw new ApiError(response.status, faultMessage(response.status, response.statusText, body));
}

/** The JSON answer of `path`; undefined for an empty body (204, and Octavia's 202s: quota reset, failover). */
export async function json<T>(path: string, call: Call = {}): Promise<T> {
  const text = await (await request(path, call)).text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
