// Seed 001's agent commands with the real `neutron` CLI against `sluice serve`: `agent-list` shows the serve's
// own agent as a live LBaaS agent, and `lb-pool-list-on-agent` / `lb-agent-hosting-pool` (LBaaS v1) and
// `lbaas-loadbalancer-list-on-agent` / `lbaas-agent-hosting-loadbalancer` (v2) show what it hosts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, type NeutronCli, neutronCli, neutronMissing } from '../helpers/seed-002.ts';
import { freePort, type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'neutron-agents-password';
const WINDOW_MS = 30_000;

type Row = Record<string, unknown>;

let server: ServeProcess;
let neutron: NeutronCli;
let agentId: string;

describe('neutron agent commands against sluice serve', { skip: neutronMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD } });
    neutron = neutronCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
  });

  it('lists the local agent as a live Loadbalancer agent with neutron agent-list', async () => {
    const agents: Row[] = await eventually(
      WINDOW_MS,
      () => neutron.json('agent-list'),
      (rows: Row[]) => rows.length === 1 && rows[0].alive === ':-)',
    );
    assert.equal(agents[0].agent_type, 'Loadbalancer agent');
    assert.equal(agents[0].binary, 'sluice-agent');
    assert.equal(agents[0].admin_state_up, true);
    agentId = agents[0].id as string;
    const shown = await neutron.json('agent-show', agentId);
    assert.equal(shown.id, agentId);
    assert.match(shown.heartbeat_timestamp as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('shows a v1 pool with a VIP on its agent, both ways (lb-pool-list-on-agent, lb-agent-hosting-pool)', async () => {
    assert.ok(agentId, 'needs the agent of the previous test');
    await neutron('net-create', 'agents-network');
    await neutron('subnet-create', '--name', 'agents-subnet', 'agents-network', '127.88.7.0/24');
    const pool = await neutron.json(
      'lb-pool-create',
      '--lb-method',
      'ROUND_ROBIN',
      '--protocol',
      'HTTP',
      '--subnet-id',
      'agents-subnet',
      '--name',
      'agents-pool',
    );
    const subnetId = (await neutron.json('subnet-show', 'agents-subnet')).id;
    const vipPort = await freePort();
    await neutron(
      'lb-vip-create',
      '--name',
      'agents-vip',
      '--address',
      '127.88.7.250',
      '--protocol-port',
      String(vipPort),
      '--protocol',
      'HTTP',
      '--subnet-id',
      subnetId,
      'agents-pool',
    );
    const onAgent: Row[] = await eventually(
      WINDOW_MS,
      () => neutron.json('lb-pool-list-on-agent', agentId),
      (rows: Row[]) => rows.some((r) => r.id === pool.id && r.status !== 'PENDING_CREATE'),
    );
    // Without members the pool's own status is not ACTIVE (v1-view.ts); what matters here is where it runs.
    assert.deepEqual(
      onAgent.map((r) => r.name),
      ['agents-pool'],
    );
    const hosting: Row[] = await neutron.json('lb-agent-hosting-pool', 'agents-pool');
    assert.deepEqual(
      hosting.map((r) => [r.id, r.alive]),
      [[agentId, ':-)']],
    );
  });

  it('shows a v2 load balancer on its agent, both ways (lbaas-loadbalancer-list-on-agent, lbaas-agent-hosting-loadbalancer)', async () => {
    assert.ok(agentId, 'needs the agent of the first test');
    const lb = await neutron.json('lbaas-loadbalancer-create', '--name', 'agents-lb', 'agents-subnet');
    const onAgent: Row[] = await eventually(
      WINDOW_MS,
      () => neutron.json('lbaas-loadbalancer-list-on-agent', agentId),
      (rows: Row[]) => rows.some((r) => r.id === lb.id && r.provisioning_status === 'ACTIVE'),
    );
    assert.ok(onAgent.some((r) => r.name === 'agents-lb'));
    const hosting: Row[] = await neutron.json('lbaas-agent-hosting-loadbalancer', 'agents-lb');
    assert.deepEqual(
      hosting.map((r) => [r.id, r.alive]),
      [[agentId, ':-)']],
    );
  });
});
