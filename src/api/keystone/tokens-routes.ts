// Token routes (reference §1.2): issue (public, 201 + X-Subject-Token), validate (GET/HEAD), revoke
// (DELETE), and what a token may be scoped to (/auth/projects, /auth/domains, /auth/system, /auth/catalog).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';
import type { TokenInfo } from '../../identity/identity-types.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { readJson } from '../wire/read-body.ts';
import { parseAuthRequest } from './auth-request.ts';
import { isKeystoneAdmin, KEYSTONE_ROUTE, PUBLIC_KEYSTONE_ROUTE } from './keystone-access.ts';
import { invalid, queryValue } from './keystone-input.ts';
import { listBody, type Mount, projectWire } from './keystone-wire.ts';
import { serviceCatalog, tokenBody } from './token-body.ts';

export function registerTokenRoutes(app: FastifyInstance, context: ApiContext, mount: Mount): void {
  const { identity, config } = context;
  const p = mount.prefix;

  app.post(`${p}/auth/tokens`, PUBLIC_KEYSTONE_ROUTE, async (request, reply) => {
    const issued = await identity.issueToken(parseAuthRequest(readJson(request), headerToken(request)));
    const withCatalog = queryValue(request, 'nocatalog') === undefined;
    reply.code(201).header('X-Subject-Token', issued.token);
    return tokenBody(issued.info, config.publicUrl, withCatalog);
  });

  app.get(`${p}/auth/tokens`, KEYSTONE_ROUTE, async (request, reply) => {
    const { subject, info } = await subjectToken(request, 'validate_token');
    reply.header('X-Subject-Token', subject);
    return tokenBody(info, config.publicUrl, queryValue(request, 'nocatalog') === undefined);
  });

  app.delete(`${p}/auth/tokens`, KEYSTONE_ROUTE, async (request, reply) => {
    const { subject } = await subjectToken(request, 'revoke_token');
    if (!(await identity.revokeToken(subject))) throw tokenNotFound(subject);
    return reply.code(204).send();
  });

  app.get(`${p}/auth/projects`, KEYSTONE_ROUTE, async (request) => {
    const ctx = caller(request);
    const projects = await identity.directory.listProjects({ userId: ctx.userId, enabled: true });
    return listBody(
      'projects',
      projects.map((project) => projectWire(project, mount)),
      request,
      mount,
    );
  });

  app.get(`${p}/auth/domains`, KEYSTONE_ROUTE, async (request) => listBody('domains', [], request, mount));

  app.get(`${p}/auth/system`, KEYSTONE_ROUTE, async (request) => {
    const ctx = caller(request);
    const roles = await identity.roles.rolesOf(ctx.userId, { kind: 'system' });
    return listBody('system', roles.length > 0 ? [{ all: true }] : [], request, mount);
  });

  app.get(`${p}/auth/catalog`, KEYSTONE_ROUTE, async (request) => {
    const ctx = caller(request);
    if (ctx.projectId === null && !ctx.systemScope) {
      throw new SluiceError('identity.forbidden', { action: 'identity:get_auth_catalog' });
    }
    return listBody('catalog', serviceCatalog(config.publicUrl), request, mount);
  });

  /** The X-Subject-Token being checked, which the caller may see when admin or its own user. */
  async function subjectToken(
    request: FastifyRequest,
    action: string,
  ): Promise<{ subject: string; info: TokenInfo }> {
    const ctx: AuthContext = caller(request);
    const subject = request.headers['x-subject-token'];
    if (typeof subject !== 'string' || subject === '') {
      throw invalid('X-Subject-Token', 'the header is required');
    }
    const info = await identity.describeToken(subject);
    if (!info) throw tokenNotFound(subject);
    if (!isKeystoneAdmin(ctx) && info.user.id !== ctx.userId) {
      throw new SluiceError('identity.forbidden', { action: `identity:${action}` });
    }
    return { subject, info };
  }
}

function headerToken(request: FastifyRequest): string | undefined {
  const token = request.headers['x-auth-token'];
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function tokenNotFound(token: string): SluiceError {
  return new SluiceError('identity.not-found', { kind: 'token', id: token });
}
