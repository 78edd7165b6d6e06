// The URL of the current request without its query: Octavia builds list links from it (reference §1.4).
import type { FastifyRequest } from 'fastify';

export function requestUrl(request: FastifyRequest): string {
  const host = request.headers.host ?? request.hostname;
  return `${request.protocol}://${host}${request.url.split('?')[0]}`;
}
