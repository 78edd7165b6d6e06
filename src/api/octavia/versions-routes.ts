// Version discovery for the load-balancer API: `GET /` and `GET /load-balancer/` (no token), `GET /v2`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { versionDocument } from '../../model/api-versions.ts';

/** Octavia builds each href from the request URL (reference §1.2). */
function requestBase(request: FastifyRequest): string {
  const host = request.headers.host ?? `${request.hostname}`;
  const path = request.url.split('?')[0].replace(/\/+$/, '');
  return `${request.protocol}://${host}${path}`;
}

export async function registerVersionRoutes(app: FastifyInstance): Promise<void> {
  for (const url of ['/', '/load-balancer']) {
    app.get(url, { config: { public: true, family: 'octavia' } }, async (request) =>
      versionDocument(requestBase(request)),
    );
  }
  // `/v2.0` alone belongs to the networking API (its resource list), so only the prefixed form answers here.
  for (const url of ['/v2', '/load-balancer/v2', '/load-balancer/v2.0']) {
    app.get(url, { config: { public: true, family: 'octavia' } }, async (_request, reply) =>
      reply.type('application/json').send(JSON.stringify('v2')),
    );
  }
}
