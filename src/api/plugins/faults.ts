// Turns any thrown error into the body of the API family that owns the route: Octavia's WSME fault
// (`faultcode`/`faultstring`/`debuginfo`, reference §1.5), Neutron's `NeutronError`, or Keystone's `error`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage, NeutronErrorTypes, SluiceError } from '../../errors.ts';

export type ApiFamily = 'octavia' | 'neutron' | 'keystone';

declare module 'fastify' {
  interface FastifyContextConfig {
    family?: ApiFamily;
    /** routes that need no token: version documents and token issuance */
    public?: boolean;
  }
}

const KEYSTONE_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  500: 'Internal Server Error',
};

export function familyOfUrl(url: string): ApiFamily {
  const path = url.split('?')[0];
  if (/^\/(identity\/)?v3(\/|$)/.test(path) || path.startsWith('/identity')) return 'keystone';
  if (
    /^\/(networking\/)?v2\.0\/(?!lbaas\/|loadbalancers|listeners|pools|healthmonitors|l7policies|quotas)/.test(
      path,
    )
  )
    return 'neutron';
  if (path.startsWith('/networking')) return 'neutron';
  return 'octavia';
}

export function faultBody(family: ApiFamily, error: SluiceError): Record<string, unknown> {
  switch (family) {
    case 'octavia':
      return {
        faultcode: error.status < 500 ? 'Client' : 'Server',
        faultstring: error.message,
        debuginfo: null,
      };
    case 'neutron':
      return {
        NeutronError: {
          type: error.neutronType ?? NeutronErrorTypes[error.code] ?? titleType(error.status),
          message: error.message,
          detail: '',
        },
      };
    case 'keystone':
      return {
        error: {
          code: error.status,
          title: KEYSTONE_TITLES[error.status] ?? 'Error',
          message: error.message,
        },
      };
  }
}

function titleType(status: number): string {
  return (KEYSTONE_TITLES[status] ?? 'Error').replaceAll(' ', '');
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: SluiceError): FastifyReply {
  const family = request.routeOptions.config?.family ?? familyOfUrl(request.url);
  return reply.code(error.status).type('application/json').send(faultBody(family, error));
}

export function registerFaults(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SluiceError) return sendError(request, reply, error);
    const statusCode = (error as { statusCode?: number }).statusCode;
    if (statusCode === 415 || statusCode === 400) {
      // Body problems Fastify itself detects before our parser (e.g. an empty body with a JSON type).
      return sendError(request, reply, new SluiceError('request.malformed-json'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, new SluiceError('http.internal'));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new SluiceError('http.not-found');
    const family = familyOfUrl(request.url);
    return reply.code(404).type('application/json').send(faultBody(family, error));
  });
}

export { formatMessage };
