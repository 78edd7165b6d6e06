// The agent as a separate process (issue #4): `sluice serve` restarts a killed agent child, which adopts the
// data plane that served on meanwhile, with statuses and stats intact; an agent killed for good has its load balancers marked operating
// ERROR within the heartbeat timeout, and moved to another agent when one registers. Every wait is bounded.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Api, apiClient } from '../conformance/api-client.ts';
import { type Backend, get, httpBackend } from '../conformance/backends.ts';
import { dataPlanePids, stopDataPlane } from '../helpers/data-plane-processes.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'agent-failover-password';
const BIN = path.resolve(import.meta.dirname, '../../bin/sluice.js');
const HEARTBEAT = { SLUICE_HEARTBEAT_INTERVAL_MS: '250', SLUICE_HEARTBEAT_TIMEOUT_MS: '2000' };
type AgentRow = { id: string; name: string; pid: number | null; status: string };

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A load balancer with one HTTP listener and one member; returns its VIP URL. */
async function httpLoadBalancer(
  api: Api,
  backend: Backend,
  port: number,
  extra: Record<string, string> = {},
): Promise<string> {
  const lb = await api.createLoadBalancer(extra);
  const listener = (
    await api.change('POST', '/v2/lbaas/listeners', {
      listener: { loadbalancer_id: lb.id, protocol: 'HTTP', protocol_port: port },
    })
  ).listener as { id: string };
  const pool = (
    await api.change('POST', '/v2/lbaas/pools', {
      pool: { listener_id: listener.id, protocol: 'HTTP', lb_algorithm: 'ROUND_ROBIN' },
    })
  ).pool as { id: string };
  await api.change('POST', `/v2/lbaas/pools/${pool.id}/members`, {
    member: { address: backend.address, protocol_port: backend.port },
  });
  return `http://${lb.vip_address}:${port}/`;
}

const answers = async (url: string) => ((await get(url)).status === 200 ? true : undefined);
const lbField = async (api: Api, field: string) =>
  (
    (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`)).body.loadbalancer as Record<
      string,
      string
    >
  )[field];
const agents = async (api: Api) => (await api.call('GET', '/agent/v1/agents')).body.agents as AgentRow[];
const bytesIn = async (api: Api) =>
  (
    (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}/stats`)).body.stats as Record<
      string,
      number
    >
  ).bytes_in;

/** An agent on a host of its own: its own data dir (one agent per data dir), under `<root>/agent`. */
function startAgent(server: string, token: string, root: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'agent', '--server', server, '--data-dir', path.join(root, 'agent')], {
    env: { ...process.env, SLUICE_AGENT_TOKEN: token, SLUICE_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
}

describe('agent supervised by sluice serve', () => {
  let server: ServeProcess;
  let api: Api;
  let backend: Backend;
  before(async () => {
    backend = await httpBackend('web', '127.0.51.1');
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, ...HEARTBEAT } });
    api = await apiClient(server.url, PASSWORD);
  });
  after(async () => {
    await server.stop();
    await backend.close();
  });

  it('restarts a killed agent; traffic resumes, the load balancer stays ACTIVE and its stats keep counting', async () => {
    const url = await httpLoadBalancer(api, backend, 18301);
    await until('first answer', 10_000, () => answers(url));
    for (let i = 0; i < 5; i += 1) assert.equal((await get(url)).status, 200);
    const before = await until('stats', 10_000, async () => {
      const n = await bytesIn(api);
      return n > 0 ? n : undefined;
    });
    const [agent] = await agents(api);
    assert.equal(agent.status, 'UP');
    process.kill(agent.pid as number, 'SIGKILL');

    const restarted = await until('the restarted agent UP', 15_000, async () => {
      const [now] = await agents(api);
      return now.pid !== agent.pid && now.status === 'UP' ? now : undefined;
    });
    await until('an answer after the restart', 15_000, () => answers(url));
    assert.equal(restarted.id, agent.id);
    assert.equal(await lbField(api, 'provisioning_status'), 'ACTIVE');
    await until('ONLINE again', 10_000, async () =>
      (await lbField(api, 'operating_status')) === 'ONLINE' ? true : undefined,
    );
    for (let i = 0; i < 3; i += 1) assert.equal((await get(url)).status, 200);
    // The restarted data plane counts from zero; the stats add it to what the first one counted.
    await until('stats beyond the first agent', 10_000, async () =>
      (await bytesIn(api)) > before ? true : undefined,
    );
  });
});

describe('agents on their own (serve --agent none)', () => {
  let server: ServeProcess;
  let api: Api;
  let backend: Backend;
  const spawned: ChildProcess[] = [];
  const roots: string[] = [];
  /** agent id → its data dir root, to kill a whole host (agent and data plane) */
  const hostRoots = new Map<string, string>();
  before(async () => {
    backend = await httpBackend('web', '127.0.51.2');
    server = await startServe({
      env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_AGENT: 'none', ...HEARTBEAT },
    });
    api = await apiClient(server.url, PASSWORD);
  });
  after(async () => {
    for (const child of spawned) child.kill('SIGKILL');
    // Their data planes outlive them by design.
    for (const root of roots) await stopDataPlane(root);
    await server.stop();
    await backend.close();
  });

  const newAgent = async (name: string) => {
    const created = await api.call('POST', '/agent/v1/agents', { agent: { name } });
    assert.equal(created.status, 201);
    const { id, token } = created.body.agent as { id: string; token: string };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `sluice-${name}-`));
    roots.push(root);
    const child = startAgent(server.url, token, root);
    spawned.push(child);
    hostRoots.set(id, root);
    await until(`${name} UP`, 15_000, async () =>
      (await agents(api)).find((a) => a.id === id)?.status === 'UP' ? true : undefined,
    );
    return child;
  };

  it('refuses agent calls without a known token', async () => {
    const response = await fetch(`${server.url}/agent/v1/desired`, {
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(response.status, 401);
    assert.equal((await response.json()).faultstring, 'Agent token missing or not recognized.');
  });

  it('marks the load balancers of an agent killed for good ERROR within the heartbeat timeout, then moves them to a new agent', async () => {
    const first = await newAgent('host-a');
    const url = await httpLoadBalancer(api, backend, 18302);
    await until('first answer', 10_000, () => answers(url));
    await until('ONLINE', 10_000, async () =>
      (await lbField(api, 'operating_status')) === 'ONLINE' ? true : undefined,
    );

    // The host dies: its agent and the data plane that would outlive the agent alone.
    first.kill('SIGKILL');
    const killedAt = Date.now();
    await stopDataPlane(roots[0]);
    // Heartbeat timeout 2 s, plus one health-manager and one aggregator pass, plus scheduling slack.
    await until('operating ERROR', 2000 + 3000, async () =>
      (await lbField(api, 'operating_status')) === 'ERROR' ? true : undefined,
    );
    assert.ok(Date.now() - killedAt >= 1000, 'not before the agent could have missed its heartbeats');
    // A report the agent sent just before it died can still be read after that, on a loaded machine.
    await until('host-a DOWN', 2000 + 3000, async () =>
      (await agents(api)).find((a) => a.name === 'host-a')?.status === 'DOWN' ? true : undefined,
    );
    assert.equal(await lbField(api, 'provisioning_status'), 'ACTIVE');

    await newAgent('host-b');
    await until('an answer from the new agent', 15_000, () => answers(url));
    await until('ONLINE on the new agent', 10_000, async () =>
      (await lbField(api, 'operating_status')) === 'ONLINE' ? true : undefined,
    );
    const amphorae = (await api.call('GET', `/v2/octavia/amphorae?loadbalancer_id=${api.loadBalancerId}`))
      .body.amphorae as unknown[];
    assert.equal(amphorae.length, 1);
  });

  it('keeps an ACTIVE_STANDBY load balancer answering when its MASTER agent dies: the BACKUP agent takes over', async () => {
    await newAgent('host-c');
    const profile = (
      await api.call('POST', '/v2/lbaas/flavorprofiles', {
        flavorprofile: {
          name: 'ha',
          provider_name: 'native',
          flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
        },
      })
    ).body.flavorprofile as { id: string };
    const flavor = (
      await api.call('POST', '/v2/lbaas/flavors', { flavor: { name: 'ha', flavor_profile_id: profile.id } })
    ).body.flavor as { id: string };
    const url = await httpLoadBalancer(api, backend, 18303, { flavor_id: flavor.id });
    await until('first answer', 10_000, () => answers(url));
    // The admin amphora API shows each placement with its agent as compute_id.
    const hosts = async () => {
      const { amphorae } = (
        await api.call('GET', `/v2/octavia/amphorae?loadbalancer_id=${api.loadBalancerId}`)
      ).body as { amphorae: { role: string; compute_id: string }[] };
      return new Map(amphorae.map((a) => [a.role, a.compute_id]));
    };
    const before = await hosts();
    assert.ok(before.get('MASTER') && before.get('BACKUP'), 'MASTER and BACKUP are both placed');
    assert.notEqual(before.get('MASTER'), before.get('BACKUP'));
    const master = (await agents(api)).find((a) => a.id === before.get('MASTER'));
    process.kill(master?.pid as number, 'SIGKILL');
    await stopDataPlane(hostRoots.get(master?.id as string) as string);
    await until('the standby promoted', 15_000, async () =>
      (await hosts()).get('MASTER') === before.get('BACKUP') ? true : undefined,
    );
    await until('an answer from the promoted standby', 10_000, () => answers(url));
    await until('ONLINE after the takeover', 10_000, async () =>
      (await lbField(api, 'operating_status')) === 'ONLINE' ? true : undefined,
    );
  });
});

describe('native data plane in worker processes (serve --native-workers 2)', () => {
  let server: ServeProcess;
  let backend: Backend;
  before(async () => {
    backend = await httpBackend('web', '127.0.51.3');
    server = await startServe({
      env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_NATIVE_WORKERS: '2', ...HEARTBEAT },
    });
  });
  after(async () => {
    await server.stop();
    await backend.close();
  });

  it('serves load balancers from two worker processes, and one killed comes back serving while the load balancer stays ACTIVE', async () => {
    const first = await apiClient(server.url, PASSWORD);
    const second = await apiClient(server.url, PASSWORD);
    const urls = [
      await httpLoadBalancer(first, backend, 18303),
      await httpLoadBalancer(second, backend, 18304),
    ];
    for (const url of urls) await until(`an answer from ${url}`, 10_000, () => answers(url));
    for (const api of [first, second]) {
      await until('ONLINE', 10_000, async () =>
        (await lbField(api, 'operating_status')) === 'ONLINE' ? true : undefined,
      );
    }
    const [agent] = await agents(first);
    const workers = dataPlanePids(server.dataDir).native;
    assert.equal(workers.length, 2, 'the agent runs two native workers');
    assert.ok(!workers.includes(agent.pid as number), 'the data plane is not in the agent');

    process.kill(workers[0], 'SIGKILL');
    for (const url of urls) await until(`an answer from ${url} after the kill`, 15_000, () => answers(url));
    await until('a new worker', 10_000, async () => {
      const now = dataPlanePids(server.dataDir).native;
      return now.length === 2 && !now.includes(workers[0]) ? true : undefined;
    });
    for (const api of [first, second]) {
      assert.equal(await lbField(api, 'provisioning_status'), 'ACTIVE');
      await until('ONLINE after the restart', 10_000, async () =>
        (await lbField(api, 'operating_status')) === 'ONLINE' ? true : undefined,
      );
    }
    const [same] = await agents(first);
    assert.equal(same.pid, agent.pid, 'the agent itself did not restart');
  });
});
