// The operator's view of agents (Keystone-authenticated, load-balancer admin only): list them with their
// liveness, create one (its token is shown once, only its hash is kept), and delete one (its placements are
// unbound and the controller reschedules them).
import type { FastifyInstance } from 'fastify';
import { fail } from '../../errors.ts';
import { isLoadBalancerAdmin } from '../../identity/policy.ts';
import type { Agent } from '../../model/agent.ts';
import { AGENT_API_PREFIX } from '../../model/agent-protocol.ts';
import { createAgent, deleteAgent, listAgents } from '../../store/repositories/agent-repository.ts';
import type { ApiContext } from '../context.ts';
import { caller } from '../plugins/auth.ts';
import { readJson } from '../wire/read-body.ts';

const adminRoute = { config: { family: 'octavia' as const } };

const toWire = (agent: Agent) => ({
  id: agent.id,
  name: agent.name,
  host: agent.host,
  pid: agent.pid,
  availability_zone: agent.availabilityZone,
  providers: agent.providers,
  status: agent.status,
  heartbeat_at: agent.heartbeatAt,
  created_at: agent.createdAt,
});

export async function registerAgentAdminRoutes(app: FastifyInstance, context: ApiContext): Promise<void> {
  const { db } = context.store;
  const requireAdmin = (request: Parameters<typeof caller>[0]) => {
    if (!isLoadBalancerAdmin(caller(request))) throw fail('octavia.policy-forbidden');
  };

  app.get(`${AGENT_API_PREFIX}/agents`, adminRoute, async (request) => {
    requireAdmin(request);
    return { agents: (await listAgents(db)).map(toWire) };
  });

  app.post(`${AGENT_API_PREFIX}/agents`, adminRoute, async (request, reply) => {
    requireAdmin(request);
    const body = readJson(request) as { agent?: { name?: unknown } };
    const name = body?.agent?.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
      throw fail('agent.bad-report', {
        reason: 'agent.name must be a non-empty string of at most 255 characters',
      });
    const { agent, token } = await createAgent(db, name);
    return reply.code(201).send({ agent: { ...toWire(agent), token } });
  });

  app.delete<{ Params: { id: string } }>(
    `${AGENT_API_PREFIX}/agents/:id`,
    adminRoute,
    async (request, reply) => {
      requireAdmin(request);
      if (!(await deleteAgent(db, request.params.id)))
        throw fail('agent.not-found', { id: request.params.id });
      context.changes.notify('');
      return reply.code(204).send();
    },
  );
}
