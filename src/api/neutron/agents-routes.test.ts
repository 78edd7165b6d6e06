import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import type { Agent } from '../../model/agent.ts';
import { createAgent, registerAgent } from '../../store/repositories/agent-repository.ts';
import { getV1VipOfPool } from '../../store/repositories/lbaas-v1-vip-repository.ts';
import {
  bindPlacement,
  ensurePlacements,
  listPlacements,
} from '../../store/repositories/placement-repository.ts';

let api: TestApi;
let member: { token: string; projectId: string };
let hosting: Agent;
let idle: Agent;
let subnetId: string;
/** the v1 pool with a VIP, the v1 pool without, the VIP's v2 load balancer, a plain v2 load balancer */
const ids = { pool: '', lonelyPool: '', v1Lb: '', v2Lb: '' };

type Method = 'GET' | 'POST';
async function json(method: Method, url: string, token = api.adminToken, body?: unknown) {
  const response = await api.call(method, url, token, body);
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

/** Puts the load balancer's serving placement on `agent`, as the scheduler would. */
async function place(lbId: string, agent: Agent) {
  await ensurePlacements(api.store.db, lbId, 'SINGLE');
  const [placement] = await listPlacements(api.store.db, lbId);
  await bindPlacement(api.store.db, placement.id, agent.id, 1);
}

describe("Neutron's agents API over Sluice's agents", () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member', 'load-balancer_member']);
    const db = api.store.db;
    hosting = (await createAgent(db, 'lb-agent-1')).agent;
    await registerAgent(db, hosting.id, {
      host: 'lb-host-1',
      pid: 4242,
      epoch: 'epoch-1',
      availabilityZone: 'az1',
      providers: ['haproxy', 'native'],
    });
    idle = (await createAgent(db, 'lb-agent-2')).agent;

    const network = (await json('POST', '/v2.0/networks', member.token, { network: { name: 'n' } })).body;
    subnetId = (
      await json('POST', '/v2.0/subnets', member.token, {
        subnet: { network_id: network.network.id, ip_version: 4, cidr: '127.89.1.0/24' },
      })
    ).body.subnet.id;
    const pool = (name: string) =>
      json('POST', '/v2.0/lb/pools', member.token, {
        pool: { name, lb_method: 'ROUND_ROBIN', protocol: 'HTTP', subnet_id: subnetId },
      });
    ids.pool = (await pool('served')).body.pool.id;
    ids.lonelyPool = (await pool('lonely')).body.pool.id;
    const vip = await json('POST', '/v2.0/lb/vips', member.token, {
      vip: { name: 'v', protocol: 'HTTP', protocol_port: 80, subnet_id: subnetId, pool_id: ids.pool },
    });
    assert.equal(vip.status, 201, JSON.stringify(vip.body));
    const lb = await json('POST', '/v2/lbaas/loadbalancers', member.token, {
      loadbalancer: { name: 'plain-v2', vip_subnet_id: subnetId },
    });
    assert.equal(lb.status, 201, JSON.stringify(lb.body));
    ids.v2Lb = lb.body.loadbalancer.id;
    await api.provisioner.idle();
    ids.v1Lb = (await getV1VipOfPool(db, ids.pool))!.loadBalancerId;
    await place(ids.v1Lb, hosting);
    await place(ids.v2Lb, hosting);
  });
  after(async () => {
    await api.close();
  });

  it('lists every agent as a Neutron LBaaS agent with its host, liveness and heartbeat', async () => {
    const { status, body } = await json('GET', '/v2.0/agents');
    assert.equal(status, 200);
    const [first, second] = body.agents;
    assert.equal(body.agents.length, 2);
    assert.equal(first.id, hosting.id);
    assert.equal(first.agent_type, 'Loadbalancer agent');
    assert.equal(first.binary, 'sluice-agent');
    assert.equal(first.topic, 'n-lbaas_agent');
    assert.equal(first.host, 'lb-host-1');
    assert.equal(first.alive, true);
    assert.equal(first.admin_state_up, true);
    assert.equal(first.availability_zone, 'az1');
    assert.equal(first.description, 'lb-agent-1');
    assert.match(first.heartbeat_timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(first.created_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(first.started_at, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.deepEqual(first.configurations.providers, ['haproxy', 'native']);
    assert.equal(first.configurations.instances, 2);
    assert.equal(second.id, idle.id);
    assert.equal(second.alive, false);
    assert.equal(second.heartbeat_timestamp, null);
    assert.equal(second.configurations.instances, 0);
  });

  it('filters the agent list by host, liveness and fields as the neutron CLI asks', async () => {
    const byHost = (await json('GET', '/v2.0/agents?host=lb-host-1')).body.agents;
    assert.deepEqual(
      byHost.map((a: { id: string }) => a.id),
      [hosting.id],
    );
    const dead = (await json('GET', '/v2.0/agents?alive=False')).body.agents;
    assert.deepEqual(
      dead.map((a: { id: string }) => a.id),
      [idle.id],
    );
    const narrow = (await json('GET', '/v2.0/agents?fields=id&fields=host')).body.agents;
    assert.deepEqual(narrow[0], { id: hosting.id, host: 'lb-host-1' });
    const shown = await json('GET', `/networking/v2.0/agents/${hosting.id}?fields=alive`);
    assert.deepEqual(shown.body, { agent: { alive: true } });
  });

  it('answers as a v1 or a v2 LBaaS agent, whichever agent_type is asked for, and no other type', async () => {
    const v2 = (await json('GET', '/v2.0/agents?agent_type=Loadbalancerv2%20agent')).body.agents;
    assert.equal(v2.length, 2);
    assert.equal(v2[0].agent_type, 'Loadbalancerv2 agent');
    assert.equal(v2[0].topic, 'n-lbaasv2_agent');
    const dhcp = (await json('GET', '/v2.0/agents?agent_type=DHCP%20agent')).body.agents;
    assert.deepEqual(dhcp, []);
  });

  it('shows agents to admins only, as Neutron: an empty list and 404 for others, 404 for unknown ids', async () => {
    assert.deepEqual((await json('GET', '/v2.0/agents', member.token)).body, { agents: [] });
    const hidden = await json('GET', `/v2.0/agents/${hosting.id}`, member.token);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.NeutronError.type, 'HTTPNotFound');
    const missing = await json('GET', '/v2.0/agents/no-such-agent');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.NeutronError.type, 'AgentNotFound');
    assert.equal(missing.body.NeutronError.message, 'Agent no-such-agent could not be found.');
  });

  it('lists the v1 pools whose load balancer an agent serves, rendered as /lb/pools renders them', async () => {
    const onAgent = await json('GET', `/v2.0/agents/${hosting.id}/loadbalancer-pools`);
    assert.equal(onAgent.status, 200);
    const direct = (await json('GET', `/v2.0/lb/pools/${ids.pool}`)).body.pool;
    assert.deepEqual(onAgent.body.pools, [direct]);
    // seed 001: "LBAAS_AGENT is the ID or name of an LBaaS agent"
    const byName = await json('GET', '/v2.0/agents/lb-agent-1/loadbalancer-pools');
    assert.deepEqual(byName.body.pools, [direct]);
    const none = await json('GET', `/v2.0/agents/${idle.id}/loadbalancer-pools`);
    assert.deepEqual(none.body, { pools: [] });
  });

  it('names the agent hosting a v1 pool, and says so when no agent hosts it yet', async () => {
    const hosted = await json('GET', `/v2.0/lb/pools/${ids.pool}/loadbalancer-agent`);
    assert.equal(hosted.status, 200);
    assert.equal(hosted.body.agent.id, hosting.id);
    assert.equal(hosted.body.agent.agent_type, 'Loadbalancer agent');
    const lonely = await json('GET', `/v2.0/lb/pools/${ids.lonelyPool}/loadbalancer-agent`);
    assert.equal(lonely.status, 404);
    assert.match(lonely.body.NeutronError.message, /not hosted by any loadbalancer agent/);
    const unknown = await json('GET', '/v2.0/lb/pools/no-such-pool/loadbalancer-agent');
    assert.equal(unknown.body.NeutronError.type, 'PoolNotFound');
  });

  it('lists the v2 load balancers an agent serves, as Octavia renders them', async () => {
    const onAgent = await json('GET', `/networking/v2.0/agents/${hosting.id}/agent-loadbalancers`);
    assert.equal(onAgent.status, 200);
    const direct = (await json('GET', `/v2/lbaas/loadbalancers/${ids.v2Lb}`)).body.loadbalancer;
    assert.deepEqual(
      onAgent.body.loadbalancers.map((lb: { id: string }) => lb.id).sort(),
      [ids.v1Lb, ids.v2Lb].sort(),
    );
    assert.deepEqual(
      onAgent.body.loadbalancers.find((lb: { id: string }) => lb.id === ids.v2Lb),
      direct,
    );
    const none = await json('GET', `/networking/v2.0/agents/${idle.id}/agent-loadbalancers`);
    assert.deepEqual(none.body, { loadbalancers: [] });
  });

  it('names the v2 agent hosting a load balancer, at both Neutron prefixes', async () => {
    for (const prefix of ['/v2.0', '/networking/v2.0']) {
      const hosted = await json(
        'GET',
        `${prefix}/lbaas/loadbalancers/${ids.v2Lb}/loadbalancer-hosting-agent`,
      );
      assert.equal(hosted.status, 200, JSON.stringify(hosted.body));
      assert.equal(hosted.body.agent.id, hosting.id);
      assert.equal(hosted.body.agent.agent_type, 'Loadbalancerv2 agent');
    }
    const unknown = await json('GET', '/v2.0/lbaas/loadbalancers/no-such-lb/loadbalancer-hosting-agent');
    assert.equal(unknown.status, 404);
  });

  it('refuses the scheduler sub-resources to non-admins with 403 PolicyNotAuthorized', async () => {
    for (const url of [
      `/v2.0/agents/${hosting.id}/loadbalancer-pools`,
      `/v2.0/lb/pools/${ids.pool}/loadbalancer-agent`,
      `/v2.0/agents/${hosting.id}/agent-loadbalancers`,
      `/v2.0/lbaas/loadbalancers/${ids.v2Lb}/loadbalancer-hosting-agent`,
    ]) {
      const refused = await json('GET', url, member.token);
      assert.equal(refused.status, 403, url);
      assert.equal(refused.body.NeutronError.type, 'PolicyNotAuthorized');
    }
  });
});
