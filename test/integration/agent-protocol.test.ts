// The agent protocol end to end in one process: the API on a real loopback port, the controller's
// provisioner, and a real agent (runner, reconciler, native provider) talking HTTP to it. Checks that a change
// completes only when the agent reports its revision, that an agent's error reaches the API, that deletes
// complete on the agent's removal, and that the long-poll holds until something changes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { AgentClient } from '../../src/agent/agent-client.ts';
import { AgentRunner } from '../../src/agent/agent-runner.ts';
import { Reconciler } from '../../src/agent/reconciler.ts';
import { VipPlumbing } from '../../src/agent/vip-plumbing.ts';
import { NativeProvider, nativeProviderInfo } from '../../src/providers/native/native-provider.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

const logger = pino({ level: 'silent' });
let api: TestApi;
let base: string;
let token: string;
let runner: AgentRunner | undefined;

function startAgent(): AgentRunner {
  const reconciler = new Reconciler(
    new Map([['native', new NativeProvider()]]),
    new VipPlumbing(new Map()),
    logger,
  );
  const agent = new AgentRunner({
    client: new AgentClient(base, token),
    reconciler,
    logger,
    registration: {
      host: 'test',
      pid: process.pid,
      epoch: randomUUID(),
      availabilityZone: null,
      providers: ['native'],
    },
  });
  return agent;
}

const lbStatus = async (id: string) =>
  (await api.call('GET', `/v2/lbaas/loadbalancers/${id}`, api.adminToken)).json().loadbalancer;
async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const status = (id: string, wanted: string) => async () =>
  (await lbStatus(id)).provisioning_status === wanted ? true : undefined;

describe('agent protocol', () => {
  before(async () => {
    api = await startTestApi({ agentProviders: [nativeProviderInfo] });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as net.AddressInfo).port}`;
    const created = await api.call('POST', '/agent/v1/agents', api.adminToken, { agent: { name: 'it' } });
    assert.equal(created.statusCode, 201);
    token = created.json().agent.token;
  });
  after(async () => {
    await runner?.stop();
    await api.close();
  });

  it('keeps a new load balancer PENDING_CREATE until an agent applied it, then ACTIVE on that agent', async () => {
    const lb = (
      await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
      })
    ).json().loadbalancer;
    await api.provisioner.idle();
    assert.equal((await lbStatus(lb.id)).provisioning_status, 'PENDING_CREATE');
    runner = startAgent();
    await runner.start();
    await until('ACTIVE', status(lb.id, 'ACTIVE'));
    const [agent] = (await api.call('GET', '/agent/v1/agents', api.adminToken)).json().agents;
    const placement = await api.store.db
      .selectFrom('amphorae')
      .select(['agent_id', 'reported_revision'])
      .where('load_balancer_id', '=', lb.id)
      .executeTakeFirstOrThrow();
    assert.equal(placement.agent_id, agent.id);
    const revision = await api.store.db
      .selectFrom('load_balancers')
      .select('revision')
      .where('id', '=', lb.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(placement.reported_revision), Number(revision.revision));
  });

  it("marks a listener ERROR with the agent's reason when the data plane cannot apply it, the load balancer ACTIVE", async () => {
    const lb = (
      await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
      })
    ).json().loadbalancer;
    await until('ACTIVE', status(lb.id, 'ACTIVE'));
    // Something else already listens on the VIP's port: the bind fails on the agent.
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(18411, lb.vip_address, resolve));
    try {
      const listener = (
        await api.call('POST', '/v2/lbaas/listeners', api.adminToken, {
          listener: { loadbalancer_id: lb.id, protocol: 'TCP', protocol_port: 18411 },
        })
      ).json().listener;
      await until('listener ERROR', async () => {
        const row = (await api.call('GET', `/v2/lbaas/listeners/${listener.id}`, api.adminToken)).json()
          .listener;
        return row.provisioning_status === 'ERROR' ? true : undefined;
      });
      assert.equal((await lbStatus(lb.id)).provisioning_status, 'ACTIVE');
      assert.match(
        (await lbStatus(lb.id)).provisioning_status_reason ?? '',
        /18411: the address and port are already in use/,
      );
    } finally {
      squatter.close();
    }
  });

  it('completes a delete once the agent removed the load balancer, and leaves no placement', async () => {
    const lb = (
      await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
      })
    ).json().loadbalancer;
    await until('ACTIVE', status(lb.id, 'ACTIVE'));
    assert.equal(
      (await api.call('DELETE', `/v2/lbaas/loadbalancers/${lb.id}`, api.adminToken)).statusCode,
      204,
    );
    await until('gone', async () =>
      (await api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`, api.adminToken)).statusCode === 404
        ? true
        : undefined,
    );
    const left = await api.store.db
      .selectFrom('amphorae')
      .select('id')
      .where('load_balancer_id', '=', lb.id)
      .execute();
    assert.deepEqual(left, []);
  });

  it('holds a long-poll while nothing changes and answers at once when an assignment does', async () => {
    const client = new AgentClient(base, token);
    const now = await client.desired('', 0);
    const held = await client.desired(now.etag, 300);
    assert.equal(held.etag, now.etag);
    const waiting = client.desired(now.etag, 20_000);
    const lb = (
      await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
      })
    ).json().loadbalancer;
    const changed = await waiting;
    assert.notEqual(changed.etag, now.etag);
    assert.ok(changed.assignments.some((a) => a.desired.id === lb.id));
    await until('ACTIVE', status(lb.id, 'ACTIVE'));
  });

  it('sends an agent that names its set only the load balancers that changed, and the ids that left it', async () => {
    const client = new AgentClient(base, token);
    const create = async () => {
      const created = (
        await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
          loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: 'native' },
        })
      ).json().loadbalancer;
      await until('ACTIVE', status(created.id, 'ACTIVE'));
      return created.id as string;
    };
    const [changing, leaving, staying] = [await create(), await create(), await create()];
    const whole = await client.desired('', 0);
    assert.equal(whole.delta, undefined);
    const ids = whole.assignments.map((a) => a.desired.id);
    for (const id of [changing, leaving, staying]) assert.ok(ids.includes(id));

    const listener = await api.call('POST', '/v2/lbaas/listeners', api.adminToken, {
      listener: { loadbalancer_id: changing, protocol: 'TCP', protocol_port: 18_901 },
    });
    assert.equal(listener.statusCode, 201);
    const delta = await until('a changed set', async () => {
      const answer = await client.desired(whole.etag, 5000);
      return answer.etag === whole.etag ? undefined : answer;
    });
    assert.deepEqual(delta.delta, { base: whole.etag, gone: [] });
    assert.deepEqual(
      delta.assignments.map((a) => a.desired.id),
      [changing],
    );
    assert.equal(delta.assignments[0].desired.listeners.length, 1);

    await until('ACTIVE', status(changing, 'ACTIVE'));
    const settled = await client.desired('', 0);
    assert.equal(
      (await api.call('DELETE', `/v2/lbaas/loadbalancers/${leaving}`, api.adminToken)).statusCode,
      204,
    );
    const gone = await until('a set without it', async () => {
      const answer = await client.desired(settled.etag, 5000);
      return answer.etag === settled.etag ? undefined : answer;
    });
    assert.deepEqual(gone.delta, { base: settled.etag, gone: [leaving] });
    assert.deepEqual(gone.assignments, []);
    assert.ok(gone.removals.includes(leaving));

    // An etag this API did not answer (a restart, another replica) gets the whole set.
    const unknown = await client.desired('0123456789abcdef0123456789abcdef', 0);
    assert.equal(unknown.delta, undefined);
    assert.ok(unknown.assignments.some((a) => a.desired.id === staying));
  });

  it('takes a report larger than the OpenStack APIs allow from an agent, and refuses one without its token before reading it', async () => {
    // Observations of 2,000 load balancers this agent does not serve: about 300 kB, more than 112 KiB.
    const observed = Object.fromEntries(
      Array.from({ length: 2000 }, (_, i) => [
        `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        { listeners: {}, members: {}, pools: {} },
      ]),
    );
    const body = JSON.stringify({ epoch: 'big', results: [], observed });
    assert.ok(body.length > 114_688);
    const send = (headers: Record<string, string>) =>
      fetch(`${base}/agent/v1/report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    assert.equal((await send({ authorization: `Bearer ${token}` })).status, 204);
    assert.equal((await send({})).status, 401);
  });

  it('answers 400 to a report that does not have the protocol shape, and 401 without a token', async () => {
    const bad = await fetch(`${base}/agent/v1/report`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ epoch: 'x', results: 'no', observed: {} }),
    });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).faultstring, 'Invalid agent message: results must be a list');
    const anonymous = await fetch(`${base}/agent/v1/register`, { method: 'POST', body: '{}' });
    assert.equal(anonymous.status, 401);
  });
});
