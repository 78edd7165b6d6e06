// Every answer carries `x-openstack-request-id: req-<uuid>`, as oslo.middleware's RequestId filter adds it in
// front of Octavia, Neutron, Keystone and Nova (Nova also as `x-compute-request-id`); clients print it with
// their errors ("Request-ID: req-…") and operators grep logs for it.
// https://docs.openstack.org/oslo.middleware/latest/reference/request_id.html
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { familyOfUrl } from './faults.ts';

export function registerRequestId(app: FastifyInstance): void {
  // onRequest runs before routing decisions and errors, so faults (404s, 401s, 413s) carry it too.
  app.addHook('onRequest', async (request, reply) => {
    const id = `req-${randomUUID()}`;
    reply.header('x-openstack-request-id', id);
    if (familyOfUrl(request.url) === 'compute') reply.header('x-compute-request-id', id);
  });
}
