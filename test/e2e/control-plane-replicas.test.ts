// The control plane on PostgreSQL with no single point of failure (issue #15): two `sluice api`, two (then
// three) `sluice controller` and two agents on one database. Writes through either API go ACTIVE; kill -9 of
// the leading controller → a write issued right after goes ACTIVE within 5 s; kill -9 of the API an agent uses
// → the agent moves to the other and traffic never stops; under repeated kills one controller leads at a time.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type Api, apiClient, createService } from '../conformance/api-client.ts';
import { type Backend, get, httpBackend } from '../conformance/backends.ts';
import { stopDataPlane } from '../helpers/data-plane-processes.ts';
import { until } from '../helpers/netns/until.ts';
import { type ReadyProcess, spawnReady, stopChild } from '../helpers/ready-process.ts';
import { freePort, tempDataDir } from '../helpers/serve-process.ts';
import { freshPostgresSchema } from '../helpers/store-dialects.ts';
import { teardown } from '../helpers/teardown.ts';

const databaseUrl = process.env.SLUICE_TEST_DATABASE_URL;
const BIN = path.resolve(import.meta.dirname, '../../bin/sluice.js');
const PASSWORD = 'replicas-password';
const PORT = 18_451;

type Role = ReadyProcess & { name: string; dataDir: string };

describe('control plane replicas on PostgreSQL', {
  skip: databaseUrl ? false : 'SLUICE_TEST_DATABASE_URL is not set',
}, () => {
  let schema: { url: string; drop(): Promise<void> };
  let env: NodeJS.ProcessEnv;
  const processes: Role[] = [];
  const agents: { child: ChildProcess; exited: Promise<unknown>; dataDir: string }[] = [];
  let backend: Backend;
  let apiA: Role & { url: string };
  let apiB: Role & { url: string };
  let a: Api;
  let b: Api;
  /** the load balancer's VIP URL and pool, once the second test made them */
  let vipUrl = '';
  let poolId = '';
  let agentHealthPort = 0;
  const agentReady = async () => (await fetch(`http://127.0.0.1:${agentHealthPort}/readyz`)).status;

  const start = async (role: 'api' | 'controller', ready: string, extra: string[] = []) => {
    const dataDir = tempDataDir();
    const started = await spawnReady(process.execPath, [BIN, role, '--data-dir', dataDir, ...extra], {
      name: `sluice ${role}`,
      ready,
      timeoutMs: 30_000,
      env,
    });
    const process_ = { ...started, name: role, dataDir };
    processes.push(process_);
    return process_;
  };
  const startApi = async () => {
    const port = await freePort();
    const role = await start('api', 'Sluice listening on', ['--listen', `127.0.0.1:${port}`]);
    return { ...role, url: `http://127.0.0.1:${port}` };
  };
  const startController = () => start('controller', 'campaigning for the lead');
  const live = (role: Role) => role.child.exitCode === null && role.child.signalCode === null;
  const leaders = () =>
    processes.filter((p) => p.name === 'controller' && live(p) && p.output().includes('controller leading'));
  const kill9 = async (role: Role) => {
    role.child.kill('SIGKILL');
    await role.exited;
  };
  const lb = async (api: Api, field: string) =>
    (
      (await api.call('GET', `/v2/lbaas/loadbalancers/${api.loadBalancerId}`)).body.loadbalancer as Record<
        string,
        string
      >
    )[field];
  /** Adds a member and waits (at most 5 s, the bound) until the load balancer is ACTIVE again. */
  const addMember = async (api: Api, poolId: string, port: number) => {
    const created = await api.call('POST', `/v2/lbaas/pools/${poolId}/members`, {
      member: { address: backend.address, protocol_port: port, weight: 0 },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await until('the write ACTIVE', 5000, async () =>
      (await lb(api, 'provisioning_status')) === 'ACTIVE' ? true : undefined,
    );
  };

  before(async () => {
    schema = await freshPostgresSchema(databaseUrl as string);
    env = {
      ...process.env,
      SLUICE_DATABASE_URL: schema.url,
      SLUICE_ADMIN_PASSWORD: PASSWORD,
      SLUICE_SECRET_STORE_KEY: Buffer.alloc(32, 7).toString('base64'),
      SLUICE_HEARTBEAT_INTERVAL_MS: '250',
      SLUICE_HEARTBEAT_TIMEOUT_MS: '2000',
      SLUICE_LOG_LEVEL: 'info',
    };
    backend = await httpBackend('web', '127.0.52.1');
    // Started together: first-start state (admin, public network, secret store check) is made once.
    [apiA, apiB] = await Promise.all([startApi(), startApi()]);
    await Promise.all([startController(), startController()]);
    a = await apiClient(apiA.url, PASSWORD);
    b = await apiClient(apiB.url, PASSWORD);
  });

  after(() =>
    teardown(
      // Agents first, and waited for: each removes its pid file as it stops, then its data plane is stopped.
      () => Promise.all(agents.map((agent) => stopChild(agent.child, agent.exited))),
      async () => {
        for (const agent of agents) await stopDataPlane(path.dirname(agent.dataDir));
      },
      () => Promise.all(processes.map((role) => stopChild(role.child, role.exited))),
      () => backend?.close(),
      () => schema?.drop(),
      () => {
        for (const dir of [
          ...processes.map((p) => p.dataDir),
          ...agents.map((a) => path.dirname(a.dataDir)),
        ]) {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    ),
  );

  it('elects one leading controller of the two', async () => {
    await until('a leader', 10_000, async () => (leaders().length === 1 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(leaders().length, 1);
  });

  it('serves a load balancer written through one API and changed through the other', async () => {
    agentHealthPort = await freePort();
    for (const [name, servers] of [
      ['agent-1', `${apiA.url},${apiB.url}`],
      ['agent-2', `${apiB.url},${apiA.url}`],
    ] as const) {
      const created = await a.call('POST', '/agent/v1/agents', { agent: { name } });
      const { token } = created.body.agent as { token: string };
      const dataDir = path.join(tempDataDir(), 'agent');
      const child = spawn(process.execPath, [BIN, 'agent', '--server', servers, '--data-dir', dataDir], {
        // agent-1 also answers an orchestrator's probes (/healthz, /readyz).
        env: {
          ...env,
          SLUICE_AGENT_TOKEN: token,
          SLUICE_LOG_LEVEL: 'warn',
          ...(name === 'agent-1' && { SLUICE_AGENT_HEALTH_LISTEN: `127.0.0.1:${agentHealthPort}` }),
        },
        stdio: 'ignore',
      });
      agents.push({ child, exited: once(child, 'exit'), dataDir });
    }
    await until('two agents UP', 15_000, async () => {
      const rows = (await b.call('GET', '/agent/v1/agents')).body.agents as { status: string }[];
      return rows.filter((r) => r.status === 'UP').length === 2 ? true : undefined;
    });
    // Created through API A; everything under it through API B.
    const created = await a.createLoadBalancer();
    b.loadBalancerId = created.id;
    const service = await createService(b, { protocol: 'HTTP', protocol_port: PORT }, {}, [{ backend }]);
    vipUrl = `http://${created.vip_address}:${PORT}/`;
    poolId = service.pool;
    await until('traffic through the VIP', 10_000, async () =>
      (await get(vipUrl)).status === 200 ? true : undefined,
    );
  });

  it('applies a write issued right after the leading controller is killed with -9, within 5 s', async () => {
    const [leader] = leaders();
    assert.ok(leader, 'a leader');
    await kill9(leader);
    await addMember(b, poolId, 9001);
    await until('the standby leads', 5000, async () => (leaders().length === 1 ? true : undefined));
  });

  it('keeps traffic flowing and the agents UP when the API they use is killed with -9', async () => {
    let failures = 0;
    let answered = 0;
    const stop = Date.now() + 4000;
    const traffic = (async () => {
      while (Date.now() < stop) {
        const status = (await get(vipUrl).catch(() => ({ status: 0 }))).status;
        if (status === 200) answered += 1;
        else failures += 1;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    assert.equal(await agentReady(), 200);
    await kill9(apiA);
    await traffic;
    assert.equal(failures, 0, `${failures} failed requests of ${answered + failures}`);
    // agent-1's reports reach API B now: still ready by its own probe.
    assert.equal(await agentReady(), 200);
    // Past the heartbeat timeout (2 s): agent-1 moved to API B and keeps heartbeating.
    const rows = (await b.call('GET', '/agent/v1/agents')).body.agents as { name: string; status: string }[];
    assert.deepEqual(rows.map((r) => [r.name, r.status]).sort(), [
      ['agent-1', 'UP'],
      ['agent-2', 'UP'],
    ]);
    await addMember(b, poolId, 9002);
    assert.equal((await get(vipUrl)).status, 200);
  });

  it('never has two leading controllers under repeated kills', async () => {
    const watcher = new pg.Client({ connectionString: schema.url });
    await watcher.connect();
    let most = 0;
    let sampling = true;
    // Sessions of this test's controllers holding an advisory lock: the leader lock is the only one they hold.
    const sample = (async () => {
      while (sampling) {
        const pids = processes
          .filter((p) => p.name === 'controller')
          .map((p) => `sluice controller ${p.child.pid}`);
        const { rows } = await watcher.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity where application_name = any($1)
             and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`,
          [pids],
        );
        most = Math.max(most, Number(rows[0]?.n));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    try {
      await startController();
      for (let round = 0; round < 3; round += 1) {
        const [leader] = leaders();
        assert.ok(leader, `a leader in round ${round}`);
        await kill9(leader);
        await startController();
        await until(`a new leader in round ${round}`, 5000, async () =>
          leaders().length === 1 ? true : undefined,
        );
      }
    } finally {
      sampling = false;
      await sample;
      await watcher.end();
    }
    assert.equal(most, 1);
  });
});
