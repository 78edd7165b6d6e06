import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import { loadDesiredState } from '../../store/repositories/desired-state-repository.ts';

let api: TestApi;
let member: { token: string; projectId: string };
let subnetId: string;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
async function json(method: Method, url: string, body?: unknown, token = member.token) {
  const response = await api.call(method, url, token, body);
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}
const lb = (path: string) => `/v2.0/lb/${path}`;

async function pool(name: string) {
  const created = await json('POST', lb('pools'), {
    pool: { name, lb_method: 'ROUND_ROBIN', protocol: 'HTTP', subnet_id: subnetId },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.pool as { id: string };
}

describe('LBaaS v1 as a view over the v2 model', () => {
  before(async () => {
    api = await startTestApi();
    // A plain `member` is enough: LBaaS v1 follows Neutron's policy (owner or admin).
    member = await api.userWithRoles(['member']);
    const network = (await json('POST', '/v2.0/networks', { network: { name: 'tenant' } })).body.network;
    subnetId = (
      await json('POST', '/v2.0/subnets', {
        subnet: { network_id: network.id, ip_version: 4, cidr: '127.88.1.0/24', name: 'tenant-subnet' },
      })
    ).body.subnet.id;
  });
  after(async () => {
    await api.close();
  });

  it('keeps a pool without a VIP as a record that says nothing serves it yet', async () => {
    const p = await pool('lonely');
    const member1 = await json('POST', lb('members'), {
      member: { pool_id: p.id, address: '127.88.1.17', protocol_port: '80', weight: 1 },
    });
    assert.equal(member1.status, 201, JSON.stringify(member1.body));
    const shown = (await json('GET', lb(`pools/${p.id}`))).body.pool;
    assert.equal(shown.status, 'PENDING_CREATE');
    assert.match(shown.status_description, /No VIP/);
    assert.deepEqual(shown.members, [member1.body.member.id]);
    assert.equal(shown.vip_id, null);
    assert.equal(shown.provider, 'noop');
    const duplicate = await json('POST', lb('members'), {
      member: { pool_id: p.id, address: '127.88.1.17', protocol_port: 80 },
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.NeutronError.type, 'MemberExists');
    const stats = await json('GET', lb(`pools/${p.id}/stats`));
    assert.deepEqual(stats.body.stats, {
      bytes_in: 0,
      bytes_out: 0,
      active_connections: 0,
      total_connections: 0,
    });
  });

  it("runs the seed's sequence: pool, two members, VIP, monitor, associate — backed by real v2 objects", async () => {
    const p = await pool('my-lb-pool');
    for (const address of ['127.88.1.17', '127.88.1.18']) {
      const created = await json('POST', lb('members'), {
        member: { pool_id: p.id, address, protocol_port: 80, weight: 1 },
      });
      assert.equal(created.status, 201);
    }
    const vip = await json('POST', lb('vips'), {
      vip: {
        name: 'LB-Virtual-IP',
        address: '127.88.1.250',
        protocol: 'HTTP',
        protocol_port: '80',
        subnet_id: subnetId,
        pool_id: p.id,
        admin_state_up: true,
      },
    });
    assert.equal(vip.status, 201, JSON.stringify(vip.body));
    assert.equal(vip.body.vip.address, '127.88.1.250');
    assert.equal(vip.body.vip.status, 'PENDING_CREATE');
    const port = (await json('GET', `/v2.0/ports/${vip.body.vip.port_id}`)).body.port;
    assert.deepEqual(port.fixed_ips, [{ subnet_id: subnetId, ip_address: '127.88.1.250' }]);

    // Created right after the VIP: the write waits for the load balancer instead of answering 409.
    const monitor = await json('POST', lb('health_monitors'), {
      health_monitor: { type: 'HTTP', delay: 5, timeout: 2, max_retries: 3, admin_state_up: true },
    });
    assert.equal(monitor.status, 201);
    assert.equal(monitor.body.health_monitor.url_path, '/');
    const associated = await json('POST', lb(`pools/${p.id}/health_monitors`), {
      health_monitor: { id: monitor.body.health_monitor.id },
    });
    assert.equal(associated.status, 201, JSON.stringify(associated.body));
    await api.provisioner.idle();

    const shown = (await json('GET', lb(`vips/${vip.body.vip.id}`))).body.vip;
    assert.equal(shown.status, 'ACTIVE');
    const poolShown = (await json('GET', lb(`pools/${p.id}`))).body.pool;
    assert.equal(poolShown.status, 'ACTIVE');
    assert.equal(poolShown.vip_id, vip.body.vip.id);
    assert.deepEqual(poolShown.health_monitors_status, [
      { monitor_id: monitor.body.health_monitor.id, status: 'ACTIVE', status_description: null },
    ]);
    const members = (await json('GET', lb(`members?pool_id=${p.id}`))).body.members;
    assert.deepEqual(
      members.map((m: { status: string }) => m.status),
      ['ACTIVE', 'ACTIVE'],
    );

    // The v2 side: one load balancer on the VIP port, listener :80, the pool, both members, the monitor.
    const row = await api.store.db
      .selectFrom('load_balancers')
      .selectAll()
      .where('vip_port_id', '=', vip.body.vip.port_id)
      .executeTakeFirstOrThrow();
    const desired = (await loadDesiredState(api.store.db, row.id))!;
    assert.equal(desired.vip.address, '127.88.1.250');
    assert.equal(desired.listeners[0].protocolPort, 80);
    assert.equal(desired.pools[0].lbAlgorithm, 'ROUND_ROBIN');
    assert.deepEqual(desired.pools[0].members.map((m) => m.address).sort(), ['127.88.1.17', '127.88.1.18']);
    assert.equal(desired.pools[0].healthMonitor?.type, 'HTTP');
    assert.equal(desired.pools[0].healthMonitor?.delay, 5);

    // A member failing its health checks carries no traffic, and v1 says so.
    const v2Member = desired.pools[0].members[0];
    await api.store.db
      .updateTable('members')
      .set({ operating_status: 'ERROR' })
      .where('id', '=', v2Member.id)
      .execute();
    const failing = (await json('GET', lb('members'))).body.members.find(
      (m: { address: string; status: string }) => m.address === v2Member.address && m.status === 'ERROR',
    );
    assert.ok(failing, 'the failing member shows ERROR');
    assert.match(failing.status_description, /health checks/);

    // Updates reach the v2 objects.
    const updated = await json('PUT', lb(`pools/${p.id}`), { pool: { lb_method: 'LEAST_CONNECTIONS' } });
    assert.equal(updated.status, 200);
    await api.provisioner.idle();
    assert.equal((await loadDesiredState(api.store.db, row.id))!.pools[0].lbAlgorithm, 'LEAST_CONNECTIONS');

    // Reverse order: disassociate, VIP, members, pool, monitor.
    const disassociated = await json(
      'DELETE',
      lb(`pools/${p.id}/health_monitors/${monitor.body.health_monitor.id}`),
    );
    assert.equal(disassociated.status, 204);
    const inUse = await json('DELETE', lb(`pools/${p.id}`));
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.NeutronError.type, 'PoolInUse');
    assert.equal((await json('DELETE', lb(`vips/${vip.body.vip.id}`))).status, 204);
    await api.provisioner.idle();
    assert.equal((await json('GET', `/v2.0/ports/${vip.body.vip.port_id}`)).status, 404);
    const back = (await json('GET', lb(`pools/${p.id}`))).body.pool;
    assert.equal(back.status, 'PENDING_CREATE');
    for (const m of members) assert.equal((await json('DELETE', lb(`members/${m.id}`))).status, 204);
    assert.equal((await json('DELETE', lb(`pools/${p.id}`))).status, 204);
    assert.equal((await json('DELETE', lb(`health_monitors/${monitor.body.health_monitor.id}`))).status, 204);
    const lbRow = await api.store.db
      .selectFrom('load_balancers')
      .select('provisioning_status')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    assert.equal(lbRow.provisioning_status, 'DELETED');
  });

  it('realizes members added after the VIP as v2 members of the same pool', async () => {
    const p = await pool('late-members');
    const vip = await json('POST', lb('vips'), {
      vip: { name: 'v', protocol: 'HTTP', protocol_port: 8080, subnet_id: subnetId, pool_id: p.id },
    });
    assert.equal(vip.status, 201);
    const added = await json('POST', lb('members'), {
      member: { pool_id: p.id, address: '127.88.1.30', protocol_port: 80, weight: 3 },
    });
    assert.equal(added.status, 201);
    const updated = await json('PUT', lb(`members/${added.body.member.id}`), { member: { weight: 7 } });
    assert.equal(updated.body.member.weight, 7);
    await api.provisioner.idle();
    const row = await api.store.db
      .selectFrom('load_balancers')
      .select('id')
      .where('vip_port_id', '=', vip.body.vip.port_id)
      .executeTakeFirstOrThrow();
    const desired = (await loadDesiredState(api.store.db, row.id))!;
    assert.deepEqual(
      desired.pools[0].members.map((m) => [m.address, m.weight]),
      [['127.88.1.30', 7]],
    );
    assert.equal(desired.listeners[0].protocolPort, 8080);
    const stats = await json('GET', lb(`pools/${p.id}/stats`));
    assert.equal(stats.status, 200);
    assert.equal(stats.body.stats.total_connections, 0);
  });

  it('refuses a VIP whose protocol differs from the pool, a second VIP, and hides objects from other projects', async () => {
    const p = await pool('strict');
    const mismatch = await json('POST', lb('vips'), {
      vip: { name: 'v', protocol: 'TCP', protocol_port: 80, subnet_id: subnetId, pool_id: p.id },
    });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.NeutronError.type, 'ProtocolMismatch');
    const first = await json('POST', lb('vips'), {
      vip: { name: 'v', protocol: 'HTTP', protocol_port: 81, subnet_id: subnetId, pool_id: p.id },
    });
    assert.equal(first.status, 201);
    const second = await json('POST', lb('vips'), {
      vip: { name: 'v2', protocol: 'HTTP', protocol_port: 82, subnet_id: subnetId, pool_id: p.id },
    });
    assert.equal(second.status, 409);
    assert.equal(second.body.NeutronError.type, 'VipExists');
    const other = await api.userWithRoles(['member']);
    const hidden = await json('GET', lb(`pools/${p.id}`), undefined, other.token);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.NeutronError.type, 'PoolNotFound');
    assert.equal((await json('GET', lb('vips'), undefined, other.token)).body.vips.length, 0);
    assert.ok((await json('GET', lb('vips'), undefined, api.adminToken)).body.vips.length > 0);
    const badMethod = await json('POST', lb('pools'), {
      pool: { name: 'x', lb_method: 'RANDOM', protocol: 'HTTP', subnet_id: subnetId },
    });
    assert.equal(badMethod.status, 400);
    assert.match(badMethod.body.NeutronError.message, /Invalid input for lb_method/);
  });
});
