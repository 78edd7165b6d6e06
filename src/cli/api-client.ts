// The CLI's view of Sluice: logs in once from the OS_* environment, then sends Octavia v2 (/v2/lbaas/…),
// Neutron (/v2.0/…) and Sluice extension (/sluice/v1/…) requests to the endpoints the catalog names. HTTP
// only, like any other client.
import { httpRequest } from './http-request.ts';
import { endpointUrl, login } from './keystone-login.ts';
import { resolveCredentials } from './os-credentials.ts';

export type ApiObject = Record<string, unknown> & { id: string };

export type ApiClient = {
  /** an Octavia request under /v2/lbaas; returns the parsed body (null for 204) */
  lbaas(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
  /** a Neutron GET under /v2.0 */
  network(path: string): Promise<unknown>;
  /** a GET of Sluice's own extensions under /sluice/v1, beside Octavia's in the load-balancer endpoint */
  sluice(path: string): Promise<unknown>;
};

export async function connect(env: NodeJS.ProcessEnv = process.env): Promise<ApiClient> {
  const session = await login(resolveCredentials(env));
  let lbUrl: string | undefined;
  let networkUrl: string | undefined;
  return {
    async lbaas(method, path, body) {
      lbUrl ??= endpointUrl(session, 'load-balancer');
      return (await httpRequest(method, `${lbUrl}/v2/lbaas${path}`, { token: session.token, body })).body;
    },
    async sluice(path) {
      lbUrl ??= endpointUrl(session, 'load-balancer');
      return (await httpRequest('GET', `${lbUrl}/sluice/v1${path}`, { token: session.token })).body;
    },
    async network(path) {
      networkUrl ??= endpointUrl(session, 'network');
      return (await httpRequest('GET', `${networkUrl}/v2.0${path}`, { token: session.token })).body;
    },
  };
}
