// Every answer carries `x-openstack-request-id: req-<uuid>`, as oslo.middleware's RequestId filter adds it in
// front of Octavia, Neutron, Keystone and Nova (Nova also as `x-compute-request-id`); clients print it with
// their errors ("Request-ID: req-…") and operators find it in the log: it is Fastify's request id, so every
// line logged through `request.log` carries it as `reqId`.
// https://docs.openstack.org/oslo.middleware/latest/reference/request_id.html
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { familyOfUrl } from './faults.ts';

/** Fastify's `genReqId`: oslo's format, `req-` and a uuid4. */
export const openstackRequestId = (): string => `req-${randomUUID()}`;

export function registerRequestId(app: FastifyInstance): void {
  // onRequest runs before routing decisions and errors, so faults (404s, 401s, 413s) carry it too.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-openstack-request-id', request.id);
    if (familyOfUrl(request.url) === 'compute') reply.header('x-compute-request-id', request.id);
  });
}
