// Neutron's agents API over Sluice's agents, read-only (Neutron API reference "Agents"; neutron-lbaas's
// lbaas_agentscheduler / lbaas_agentschedulerv2 extensions), at the paths python-neutronclient 8.1 calls:
// `/agents[/{id}]`, `/agents/{id}/loadbalancer-pools`, `/lb/pools/{id}/loadbalancer-agent` (LBaaS v1),
// `/agents/{id}/agent-loadbalancers`, `/lbaas/loadbalancers/{id}/loadbalancer-hosting-agent` (LBaaS v2).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SluiceError } from '../../errors.ts';
import type { Agent } from '../../model/agent.ts';
import type { Db } from '../../store/database.ts';
import { getAgent, listAgents } from '../../store/repositories/agent-repository.ts';
import { childIdsOf } from '../../store/repositories/load-balancer-children.ts';
import { findLoadBalancer } from '../../store/repositories/load-balancer-repository.ts';
import { loadBalancersOnAgent, placementCounts } from '../../store/repositories/placement-repository.ts';
import type { ApiContext } from '../context.ts';
import { lookupPool } from '../lbaas-v1/v1-lookup.ts';
import { poolToWire } from '../lbaas-v1/v1-view.ts';
import { loadBalancerToWire } from '../octavia/load-balancers/wire.ts';
import { caller } from '../plugins/auth.ts';
import { all } from '../wire/listing.ts';
import { agentHostingLoadBalancer, agentHostingV1Pool, v1PoolsOnAgent } from './agent-hosting.ts';
import { agentToWire, DEFAULT_AGENT_TYPE, isLbaasAgentType, type LbaasAgentType } from './agent-wire.ts';
import { NEUTRON_ROUTE, queryOf } from './neutron-http.ts';
import { filterList, projectOne } from './neutron-list.ts';
import { isAdmin, policyDenied } from './neutron-policy.ts';

const agentNotFound = (id: string) =>
  new SluiceError('network.not-found', { kind: 'Agent', id }, 'AgentNotFound');
const notHosted = (detail: string) =>
  new SluiceError('network.not-found-detail', { detail }, 'AgentNotFound');
/** Neutron hides what its policy forbids showing: GET of one object answers a plain 404 (api/v2/base.py). */
const hidden = () =>
  new SluiceError('network.not-found-detail', { detail: 'The resource could not be found.' }, 'HTTPNotFound');

const param = (request: FastifyRequest, key: string): string =>
  (request.params as Record<string, string>)[key];

/**
 * The agent named by `idOrName`: its id (what Neutron takes), else its Sluice name when exactly one agent has
 * it (seed 001: "LBAAS_AGENT is the ID or name of an LBaaS agent").
 */
async function findAgent(db: Db, idOrName: string): Promise<Agent> {
  const byId = await getAgent(db, idOrName);
  if (byId) return byId;
  const named = (await listAgents(db)).filter((a) => a.name === idOrName);
  if (named.length !== 1) throw agentNotFound(idOrName);
  return named[0];
}

export function registerAgentsRoutes(app: FastifyInstance, context: ApiContext, prefix: string): void {
  const db = context.store.db;

  /** The scheduler extensions' own policy: admin only, 403 for anyone else (neutron-lbaas policy.json). */
  const requireAdmin = (request: FastifyRequest, action: string) => {
    if (!isAdmin(caller(request))) throw policyDenied(action);
  };
  const render = async (agent: Agent, type: LbaasAgentType = DEFAULT_AGENT_TYPE) =>
    agentToWire(agent, (await placementCounts(db)).get(agent.id) ?? 0, type);

  app.get(`${prefix}/agents`, NEUTRON_ROUTE, async (request) => {
    // get_agent is admin_only and Neutron filters a list by policy: anyone else sees an empty list.
    if (!isAdmin(caller(request))) return { agents: [] };
    const query = queryOf(request);
    // Each Sluice agent serves LBaaS v1 and v2: asked for either agent type, it answers as that one.
    const type = all(query.agent_type).find(isLbaasAgentType) ?? DEFAULT_AGENT_TYPE;
    const counts = await placementCounts(db);
    const rows = (await listAgents(db)).map((a) => agentToWire(a, counts.get(a.id) ?? 0, type));
    return { agents: filterList(rows, query) };
  });

  app.get(`${prefix}/agents/:id`, NEUTRON_ROUTE, async (request) => {
    if (!isAdmin(caller(request))) throw hidden();
    const agent = await getAgent(db, param(request, 'id'));
    if (!agent) throw agentNotFound(param(request, 'id'));
    return { agent: projectOne(await render(agent), queryOf(request)) };
  });

  app.get(`${prefix}/agents/:id/loadbalancer-pools`, NEUTRON_ROUTE, async (request) => {
    requireAdmin(request, 'get_loadbalancer-pools');
    const agent = await findAgent(db, param(request, 'id'));
    const rows = await Promise.all((await v1PoolsOnAgent(db, agent.id)).map((p) => poolToWire(db, p)));
    return { pools: filterList(rows, queryOf(request)) };
  });

  app.get(`${prefix}/lb/pools/:id/loadbalancer-agent`, NEUTRON_ROUTE, async (request) => {
    requireAdmin(request, 'get_loadbalancer-agent');
    const pool = await lookupPool(db, caller(request), param(request, 'id'));
    const agentId = await agentHostingV1Pool(db, pool.id);
    const agent = agentId === null ? undefined : await getAgent(db, agentId);
    if (!agent) throw notHosted(`Pool ${pool.id} is not hosted by any loadbalancer agent.`);
    return { agent: await render(agent, 'Loadbalancer agent') };
  });

  app.get(`${prefix}/agents/:id/agent-loadbalancers`, NEUTRON_ROUTE, async (request) => {
    requireAdmin(request, 'get_agent-loadbalancers');
    const agent = await findAgent(db, param(request, 'id'));
    const ids = await loadBalancersOnAgent(db, agent.id);
    const children = await childIdsOf(db, ids);
    const lbs = await Promise.all(ids.map((id) => findLoadBalancer(db, id)));
    const rows = lbs.flatMap((lb) => (lb ? [loadBalancerToWire(lb, children.get(lb.id))] : []));
    return { loadbalancers: filterList(rows, queryOf(request)) };
  });

  app.get(`${prefix}/lbaas/loadbalancers/:id/loadbalancer-hosting-agent`, NEUTRON_ROUTE, async (request) => {
    requireAdmin(request, 'get_loadbalancer-hosting-agent');
    const id = param(request, 'id');
    const lb = await findLoadBalancer(db, id);
    if (!lb) throw new SluiceError('network.not-found', { kind: 'loadbalancer', id }, 'EntityNotFound');
    const agentId = await agentHostingLoadBalancer(db, lb.id);
    const agent = agentId === null ? undefined : await getAgent(db, agentId);
    if (!agent) throw notHosted(`Loadbalancer ${lb.id} is not hosted by any loadbalancer agent.`);
    return { agent: await render(agent, 'Loadbalancerv2 agent') };
  });
}
