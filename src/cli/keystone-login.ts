// Keystone v3 password authentication (POST /v3/auth/tokens) and endpoint selection from the token's
// catalog by service type, interface and region: https://docs.openstack.org/api-ref/identity/v3/#password-authentication-with-scoped-authorization
import { CliError } from './cli-error.ts';
import { httpRequest } from './http-request.ts';
import type { Credentials } from './os-credentials.ts';

type CatalogEntry = {
  type: string;
  endpoints: { interface: string; region?: string; region_id?: string; url: string }[];
};

export type Session = { token: string; catalog: CatalogEntry[]; credentials: Credentials };

/** `${OS_AUTH_URL}` names the identity root or its /v3; the token request always goes to …/v3/auth/tokens. */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return `${/\/v3$/.test(base) ? base : `${base}/v3`}/auth/tokens`;
}

function domain(name: string | undefined, id: string | undefined) {
  if (id) return { id };
  if (name) return { name };
  return { id: 'default' };
}

export function passwordAuthBody(c: Credentials) {
  const user = c.userId
    ? { id: c.userId, password: c.password }
    : { name: c.username, password: c.password, domain: domain(c.userDomainName, c.userDomainId) };
  const project = c.projectId
    ? { id: c.projectId }
    : { name: c.projectName, domain: domain(c.projectDomainName, c.projectDomainId) };
  return { auth: { identity: { methods: ['password'], password: { user } }, scope: { project } } };
}

export async function login(credentials: Credentials): Promise<Session> {
  const url = tokensUrl(credentials.authUrl);
  let answer: Awaited<ReturnType<typeof httpRequest>>;
  try {
    answer = await httpRequest('POST', url, { body: passwordAuthBody(credentials) });
  } catch (error) {
    if (error instanceof CliError && /\(HTTP 401\)$/.test(error.message)) {
      throw new CliError(`authentication failed at ${url}: ${error.message.replace(/^POST \S+: /, '')}`);
    }
    throw error;
  }
  const token = answer.headers.get('x-subject-token');
  if (!token) throw new CliError(`${url} answered without an X-Subject-Token`);
  const catalog = (answer.body as { token?: { catalog?: CatalogEntry[] } }).token?.catalog ?? [];
  return { token, catalog, credentials };
}

/** The URL of `type` in the catalog for the session's interface (and region when one is set). */
export function endpointUrl(session: Session, type: string): string {
  const { interface: wanted, region } = session.credentials;
  const service = session.catalog.find((entry) => entry.type === type);
  const endpoint = service?.endpoints.find(
    (e) => e.interface === wanted && (!region || e.region_id === region || e.region === region),
  );
  if (!endpoint) {
    const where = region ? `interface ${wanted}, region ${region}` : `interface ${wanted}`;
    throw new CliError(`no '${type}' endpoint in the service catalog (${where})`);
  }
  return endpoint.url.replace(/\/+$/, '');
}
