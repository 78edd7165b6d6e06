// One JSON request over fetch with the CLI's error contract: an unreachable endpoint and any non-2xx answer
// become a CliError carrying the API's message; 404 is reported separately so lookups can tell "absent".
import { faultMessage } from './api-fault.ts';
import { CliError } from './cli-error.ts';

export type HttpAnswer = { status: number; headers: Headers; body: unknown };

export class NotFoundError extends CliError {}

export async function httpRequest(
  method: string,
  url: string,
  options: { token?: string; body?: unknown } = {},
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers['x-auth-token'] = options.token;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(
      `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? String(error)}`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const message = `${method} ${new URL(url).pathname}: ${faultMessage(response.status, text)}`;
    throw response.status === 404 ? new NotFoundError(message) : new CliError(message);
  }
  // JSON unless the answer says otherwise (Prometheus text from the metrics extension).
  const json = !/^text\/plain/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (json ? JSON.parse(text) : text) : null,
  };
}
