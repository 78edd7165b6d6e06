// Turns any thrown error into the body of the API family that owns the route: Octavia's WSME fault
// (`faultcode`/`faultstring`/`debuginfo`, reference §1.5), Neutron's `NeutronError`, Keystone's `error`,
// Nova's `{"itemNotFound": {code, message}}`, or Barbican's `{code, title, description}`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatMessage, NeutronErrorTypes, SluiceError } from '../../errors.ts';
import { webobErrorPage } from './webob-error.ts';

export type ApiFamily = 'octavia' | 'neutron' | 'keystone' | 'compute' | 'key-manager';

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
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

/** Nova's fault names by status (nova/api/openstack/wsgi.py, Fault._fault_names); others are computeFault. */
const NOVA_FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

export function familyOfUrl(url: string): ApiFamily {
  const path = url.split('?')[0];
  if (/^\/(identity\/)?v3(\/|$)/.test(path) || path.startsWith('/identity')) return 'keystone';
  if (
    /^\/(networking\/)?v2\.0\/(?!lbaas\/|octavia\/|loadbalancers|listeners|pools|healthmonitors|l7policies|quotas|providers|flavor|availabilityzone)/.test(
      path,
    )
  )
    return 'neutron';
  if (path.startsWith('/networking')) return 'neutron';
  if (/^\/compute(\/|$)/.test(path)) return 'compute';
  if (/^\/key-manager(\/|$)/.test(path)) return 'key-manager';
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
    case 'compute':
      return {
        [NOVA_FAULT_NAMES[error.status] ?? 'computeFault']: { code: error.status, message: error.message },
      };
    // barbican/api/hooks.py JSONErrorHook: WebOb's status title and the abort's detail.
    case 'key-manager':
      return {
        code: error.status,
        title: KEYSTONE_TITLES[error.status] ?? 'Error',
        description: error.message,
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

export function registerFaults(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof SluiceError) return sendError(request, reply, error);
    const { statusCode, code } = error as { statusCode?: number; code?: string };
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const error = new SluiceError('request.too-large', { limit: bodyLimit });
      const family = request.routeOptions.config?.family ?? familyOfUrl(request.url);
      if (family !== 'octavia') return sendError(request, reply, error);
      // Octavia wraps its app in oslo.middleware's RequestBodySizeLimiter (octavia/api/app.py), so the 413
      // is WebOb's HTTPRequestEntityTooLarge page, not a WSME fault.
      const page = webobErrorPage(413, 'Request Entity Too Large', error.message, request.headers.accept);
      return reply.code(413).type(page.contentType).send(page.body);
    }
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

/**
 * Errors Fastify's router raises before any route runs (an undecodable path, a path parameter longer than
 * the router allows), answered in the family of the URL instead of Fastify's own JSON.
 */
export function frameworkError(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const fault =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new SluiceError('request.uri-too-long')
      : new SluiceError('request.bad-url', { reason: 'malformed percent-encoding' });
  const family = familyOfUrl(request.url);
  return reply.code(fault.status).type('application/json').send(faultBody(family, fault));
}

/**
 * Requests Node's HTTP parser rejects (request line and headers over 16 KiB, bad framing) never reach
 * Fastify's handlers; this writes the same fault in the family of the path on the request line.
 */
export function clientErrorResponse(error: Error & { code?: string; rawPacket?: unknown }): string {
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : Buffer.alloc(0);
  const line = packet.subarray(0, 512).toString('latin1').split('\r\n', 1)[0];
  const path = line.split(' ')[1] ?? '/';
  const fault = new SluiceError(status === 431 ? 'http.header-too-large' : 'http.bad-request');
  const body = JSON.stringify(faultBody(familyOfUrl(path), fault));
  return `HTTP/1.1 ${status} ${KEYSTONE_TITLES[status] ?? 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export { formatMessage };
