// Authentication hook: every route except the version documents and token issuance needs a valid
// X-Auth-Token; otherwise 401 the way keystonemiddleware answers (Keystone body, WWW-Authenticate header).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { AuthContext } from '../../identity/auth-context.ts';

export type TokenValidator = (token: string) => Promise<AuthContext | null>;

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

export function registerAuth(app: FastifyInstance, validate: TokenValidator, authUrl: string): void {
  app.decorateRequest('auth', null);
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config?.public) return;
    const token = request.headers['x-auth-token'];
    const context = typeof token === 'string' && token.length > 0 ? await validate(token) : null;
    if (!context) {
      reply.header('WWW-Authenticate', `Keystone uri="${authUrl}"`);
      reply
        .code(401)
        .type('application/json')
        .send({
          error: {
            code: 401,
            title: 'Unauthorized',
            message: new SluiceError('identity.unauthorized').message,
          },
        });
      return reply;
    }
    request.auth = context;
  });
}

/** The caller of an authenticated route (the hook guarantees it is set). */
export function caller(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new SluiceError('identity.unauthorized');
  return request.auth;
}
