// The HTTP plumbing every Sluice API shares, without any routes: router options, the `.json` suffix, raw
// JSON bodies (decoded by the routes so malformed JSON gets each API's own wording), request ids, faults and
// the token check. buildApp adds the three API families; route tests add only the family they exercise.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { DEFAULT_MAX_REQUEST_BODY_SIZE } from '../config/request-limit-options.ts';
import { registerAuth, type TokenValidator } from './plugins/auth.ts';
import { clientErrorResponse, frameworkError, registerFaults } from './plugins/faults.ts';
import { openstackRequestId, registerRequestId } from './plugins/request-id.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** the request body as text; route handlers decode it with readJson so errors keep our wording */
    rawBody?: string;
  }
}

export function createHttpApp(options: {
  validateToken: TokenValidator;
  authUrl: string;
  logger?: FastifyBaseLogger;
  /** the largest request body (bytes); oslo.middleware's default when absent */
  bodyLimit?: number;
}): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_MAX_REQUEST_BODY_SIZE;
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger,
    // One line per request would drown the service log; errors are logged by the fault handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    genReqId: openstackRequestId,
    // Ids longer than Fastify's 100-character default still reach the routes, which answer "not found"
    // as Octavia and Neutron do; past this the URL is refused as too long.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 1024 },
    frameworkErrors: frameworkError,
    clientErrorHandler: (error, socket) => {
      if (socket.writable) socket.end(clientErrorResponse(error));
      else socket.destroy(error);
    },
    // Octavia (pecan) and Neutron accept a `.json` suffix on any path, and python-neutronclient always
    // sends one (reference §1.1), so it is stripped once here for every route.
    rewriteUrl: (request) => stripJsonSuffix(request.url ?? '/'),
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    done(null, undefined);
  });
  registerRequestId(app);
  registerFaults(app, bodyLimit);
  registerAuth(app, options.validateToken, options.authUrl);
  return app;
}

export function stripJsonSuffix(url: string): string {
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  if (!path.endsWith('.json')) return url;
  return path.slice(0, -'.json'.length) + (query < 0 ? '' : url.slice(query));
}
