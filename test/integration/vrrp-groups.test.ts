// VRRP groups end to end on the server side (docs/ha.md, "VRRP layout"): the API on a real loopback port, the
// controller's provisioner, and two real agents (runner, reconciler, native provider) registered with keepalived
// addresses, talking HTTP to it. An ACTIVE_STANDBY load balancer on them is grouped: both agents get it with
// mirrored views of one group, a change is ACTIVE only once the hot BACKUP applied it too, a BACKUP whose
// keepalived reports MASTER takes the MASTER role (the amphora API and both long-polls follow), and the group
// and its anchor port go with the last load balancer. The failover API switches MASTER and BACKUP in two phases
// (src/controller/vrrp-switch.ts): only the BACKUP's view moves to the pair's other group, the MASTER's follows
// once that agent reported MASTER, and the load balancer is ACTIVE only then; another load balancer's group stays.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { AgentClient } from '../../src/agent/agent-client.ts';
import { AgentRunner } from '../../src/agent/agent-runner.ts';
import { Reconciler } from '../../src/agent/reconciler.ts';
import { VipPlumbing } from '../../src/agent/vip-plumbing.ts';
import type { Assignment, AssignmentVrrp } from '../../src/model/agent-protocol.ts';
import { NativeProvider, nativeProviderInfo } from '../../src/providers/native/native-provider.ts';
import { until as waitFor } from '../helpers/netns/until.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';

const logger = pino({ level: 'silent' });
/** Each agent's own address on the network of `public` (no physical network: the `default` mapping). */
const ADDRESSES = ['127.0.0.21', '127.0.0.22'];
type Host = { id: string; token: string; address: string; client: AgentClient; runner?: AgentRunner };

let api: TestApi;
let base: string;
let flavorId: string;
const hosts: Host[] = [];

function startRunner(host: Host): AgentRunner {
  const reconciler = new Reconciler(
    new Map([['native', new NativeProvider()]]),
    new VipPlumbing(new Map()),
    logger,
  );
  host.runner = new AgentRunner({
    client: new AgentClient(base, host.token),
    reconciler,
    logger,
    registration: {
      host: `host-${host.address}`,
      pid: process.pid,
      epoch: randomUUID(),
      availabilityZone: null,
      providers: ['native'],
      vrrp: { addresses: { default: host.address } },
    },
  });
  return host.runner;
}

const lbRow = async (id: string) =>
  (await api.call('GET', `/v2/lbaas/loadbalancers/${id}`, api.adminToken)).json().loadbalancer;
const until = <T>(what: string, probe: () => Promise<T | undefined>) => waitFor(what, 10_000, probe);
const status = (id: string, wanted: string) => async () =>
  (await lbRow(id)).provisioning_status === wanted ? true : undefined;
const amphorae = async (lbId: string) =>
  (await api.call('GET', `/v2/octavia/amphorae?loadbalancer_id=${lbId}`, api.adminToken)).json()
    .amphorae as Record<string, unknown>[];
const assignmentOf = async (host: Host, lbId: string): Promise<Assignment | undefined> =>
  (await host.client.desired('', 0)).assignments.find((a) => a.desired.id === lbId);
/** Each host's view of the load balancer's group. */
const views = async (lbId: string) =>
  new Map(await Promise.all(hosts.map(async (h) => [h, (await assignmentOf(h, lbId))?.vrrp] as const)));
/** An ACTIVE_STANDBY load balancer on `public`, just created (not yet ACTIVE). */
async function createLb(): Promise<string> {
  const created = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
    loadbalancer: { vip_subnet_id: api.publicSubnetId, flavor_id: flavorId },
  });
  assert.equal(created.statusCode, 201, created.body);
  return created.json().loadbalancer.id as string;
}
/** Deletes the load balancer and waits until the API no longer shows it (both agents removed it). */
async function deleteLb(lbId: string): Promise<void> {
  assert.equal((await api.call('DELETE', `/v2/lbaas/loadbalancers/${lbId}`, api.adminToken)).statusCode, 204);
  await until('gone', async () =>
    (await api.call('GET', `/v2/lbaas/loadbalancers/${lbId}`, api.adminToken)).statusCode === 404
      ? true
      : undefined,
  );
}
/**
 * Phase 2 of a switch: the new MASTER's host reports MASTER, the load balancer goes ACTIVE, the old MASTER has
 * followed into `group` (at priority 100) and the amphora API shows the swap. Returns the amphorae shown.
 */
async function finishSwitch(lbId: string, newMaster: Host, oldMaster: Host, group: string) {
  await reportMaster(newMaster, [lbId]);
  await until('ACTIVE after the MASTER report', status(lbId, 'ACTIVE'));
  const after = await views(lbId);
  assert.equal(after.get(newMaster)?.role, 'MASTER');
  assert.equal(after.get(oldMaster)?.role, 'BACKUP');
  assert.equal(after.get(oldMaster)?.group.name, group, 'the old MASTER followed into the group');
  assert.equal(after.get(oldMaster)?.group.priority, 100);
  const shown = await amphorae(lbId);
  assert.equal(shown.find((x) => x.compute_id === newMaster.id)?.role, 'MASTER');
  assert.equal(shown.find((x) => x.compute_id === oldMaster.id)?.role, 'BACKUP');
  return shown;
}
/** Probe: both agents applied the load balancer's current revision. */
const applied = (lbId: string) => async () => {
  const rows = await api.store.db
    .selectFrom('amphorae as a')
    .innerJoin('load_balancers as lb', 'lb.id', 'a.load_balancer_id')
    .select(['a.reported_revision', 'lb.revision'])
    .where('a.load_balancer_id', '=', lbId)
    .execute();
  return rows.every((r) => Number(r.reported_revision) === Number(r.revision)) ? true : undefined;
};
/** What the host's keepalived would report after it took the load balancers' groups (or a switch's new one). */
const reportMaster = (host: Host, lbIds: readonly string[]) =>
  host.client.report(
    { epoch: 'x', results: [], observed: {}, vrrp: Object.fromEntries(lbIds.map((id) => [id, 'MASTER'])) },
    5000,
  );

describe('VRRP groups with two agents', () => {
  let lbId: string;
  let anchorPortId: string;

  before(async () => {
    api = await startTestApi({ agentProviders: [nativeProviderInfo] });
    await api.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as net.AddressInfo).port}`;
    const profile = await api.call('POST', '/v2/lbaas/flavorprofiles', api.adminToken, {
      flavorprofile: {
        name: 'ha',
        provider_name: 'native',
        flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
      },
    });
    assert.equal(profile.statusCode, 201, profile.body);
    const flavor = await api.call('POST', '/v2/lbaas/flavors', api.adminToken, {
      flavor: { name: 'ha', flavor_profile_id: profile.json().flavorprofile.id },
    });
    flavorId = flavor.json().flavor.id;
    for (const address of ADDRESSES) {
      const created = await api.call('POST', '/agent/v1/agents', api.adminToken, {
        agent: { name: address },
      });
      const { id, token } = created.json().agent;
      const host: Host = { id, token, address, client: new AgentClient(base, token) };
      hosts.push(host);
      await startRunner(host).start();
    }
  });
  after(async () => {
    for (const host of hosts) await host.runner?.stop();
    await api.close();
  });

  it('gives both agents the load balancer with mirrored views of one group, and the amphora API shows it', async () => {
    const created = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, flavor_id: flavorId },
    });
    assert.equal(created.statusCode, 201, created.body);
    lbId = created.json().loadbalancer.id;
    await until('ACTIVE', status(lbId, 'ACTIVE'));
    const views = new Map<string, AssignmentVrrp>();
    for (const host of hosts) {
      const vrrp = (await assignmentOf(host, lbId))?.vrrp;
      assert.ok(vrrp, `agent ${host.address} gets the load balancer with its group`);
      views.set(host.address, vrrp);
    }
    const [a, b] = ADDRESSES.map((address) => views.get(address) as AssignmentVrrp);
    const [master, backup] = a.role === 'MASTER' ? [a, b] : [b, a];
    assert.deepEqual([master.role, backup.role], ['MASTER', 'BACKUP']);
    assert.equal(master.group.name, backup.group.name);
    assert.match(master.group.name, /^vrrp_1_[0-9a-f]{8}$/);
    assert.deepEqual([master.group.vrid, backup.group.vrid], [1, 1]);
    assert.equal(master.group.anchor, backup.group.anchor);
    assert.deepEqual([master.group.priority, backup.group.priority], [150, 100]);
    assert.deepEqual([master.group.physnet, backup.group.physnet], ['default', 'default']);
    assert.deepEqual(master.group.peers, [backup.group.sourceAddress]);
    assert.deepEqual(backup.group.peers, [master.group.sourceAddress]);
    assert.deepEqual(new Set([master.group.sourceAddress, backup.group.sourceAddress]), new Set(ADDRESSES));

    const ports = (await api.call('GET', '/v2.0/ports?device_owner=Octavia', api.adminToken)).json().ports;
    const anchor = ports.find((p: { fixed_ips: { ip_address: string }[] }) =>
      p.fixed_ips.some((ip) => ip.ip_address === master.group.anchor),
    );
    assert.ok(anchor, 'the anchor is a port of the network');
    assert.deepEqual(anchor.fixed_ips, [{ subnet_id: api.publicSubnetId, ip_address: master.group.anchor }]);
    anchorPortId = anchor.id;

    const vip = (await lbRow(lbId)).vip_address;
    const shown = (await amphorae(lbId)).map((x) => [x.role, x.vrrp_ip, x.ha_ip, x.vrrp_id, x.vrrp_priority]);
    assert.deepEqual(
      shown.sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      [
        ['BACKUP', backup.group.sourceAddress, vip, 1, 100],
        ['MASTER', master.group.sourceAddress, vip, 1, 150],
      ],
    );
  });

  it('keeps a change PENDING_UPDATE until the hot BACKUP applied it too', async () => {
    const backupHost = await until('the BACKUP host', async () => {
      for (const host of hosts) if ((await assignmentOf(host, lbId))?.vrrp?.role === 'BACKUP') return host;
      return undefined;
    });
    const masterHost = hosts.find((h) => h !== backupHost) as Host;
    await backupHost.runner?.stop();
    assert.equal(
      (
        await api.call('PUT', `/v2/lbaas/loadbalancers/${lbId}`, api.adminToken, {
          loadbalancer: { name: 'x' },
        })
      ).statusCode,
      200,
    );
    const revision = async () =>
      Number(
        (
          await api.store.db
            .selectFrom('load_balancers')
            .select('revision')
            .where('id', '=', lbId)
            .executeTakeFirstOrThrow()
        ).revision,
      );
    await until('the MASTER applied the change', async () => {
      const row = await api.store.db
        .selectFrom('amphorae')
        .select('reported_revision')
        .where('load_balancer_id', '=', lbId)
        .where('agent_id', '=', masterHost.id)
        .executeTakeFirstOrThrow();
      return Number(row.reported_revision) === (await revision()) ? true : undefined;
    });
    await api.provisioner.idle();
    assert.equal((await lbRow(lbId)).provisioning_status, 'PENDING_UPDATE');
    await startRunner(backupHost).start();
    await until('ACTIVE once the BACKUP applied it', status(lbId, 'ACTIVE'));
  });

  it("swaps the roles when the BACKUP's keepalived reports MASTER: both long-polls wake and the amphora API follows", async () => {
    const roles = new Map<Host, string | undefined>();
    const etags = new Map<Host, string>();
    for (const host of hosts) {
      const set = await host.client.desired('', 0);
      etags.set(host, set.etag);
      roles.set(host, set.assignments.find((a) => a.desired.id === lbId)?.vrrp?.role);
    }
    const backupHost = hosts.find((h) => roles.get(h) === 'BACKUP') as Host;
    const masterHost = hosts.find((h) => roles.get(h) === 'MASTER') as Host;
    const waiting = hosts.map((h) => h.client.desired(etags.get(h) as string, 20_000));
    await backupHost.client.report(
      { epoch: 'x', results: [], observed: {}, vrrp: { [lbId]: 'MASTER' } },
      5000,
    );
    const [first, second] = await Promise.all(waiting);
    for (const [host, set] of [
      [hosts[0], first],
      [hosts[1], second],
    ] as const) {
      assert.notEqual(set.etag, etags.get(host));
      const vrrp = set.assignments.find((a) => a.desired.id === lbId)?.vrrp;
      assert.equal(vrrp?.role, host === backupHost ? 'MASTER' : 'BACKUP');
      assert.equal(vrrp?.group.priority, host === masterHost ? 150 : 100, 'priority stays with the host');
    }
    const shown = await amphorae(lbId);
    assert.equal(shown.find((x) => x.compute_id === backupHost.id)?.role, 'MASTER');
    assert.equal(shown.find((x) => x.compute_id === masterHost.id)?.role, 'BACKUP');
    assert.equal(shown.find((x) => x.compute_id === backupHost.id)?.vrrp_priority, 100);
  });

  it('refuses a registration whose VRRP address is not IPv4 with 400, changing nothing', async () => {
    const response = await fetch(`${base}/agent/v1/register`, {
      method: 'POST',
      headers: { authorization: `Bearer ${hosts[0].token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        host: 'h',
        pid: 1,
        epoch: 'e',
        availabilityZone: null,
        providers: ['native'],
        vrrp: { addresses: { default: '2001:db8::1' } },
      }),
    });
    assert.equal(response.status, 400);
    assert.equal(
      (await response.json()).faultstring,
      'Invalid agent message: vrrp.addresses.default must be an IPv4 address in dotted-quad form',
    );
    assert.ok((await assignmentOf(hosts[0], lbId))?.vrrp, 'still grouped');
  });

  it('deletes the group and its anchor port with its last load balancer, once both agents removed it', async () => {
    await deleteLb(lbId);
    assert.deepEqual(await api.store.db.selectFrom('vrrp_groups').select('id').execute(), []);
    assert.equal((await api.call('GET', `/v2.0/ports/${anchorPortId}`, api.adminToken)).statusCode, 404);
    for (const host of hosts) assert.equal(await assignmentOf(host, lbId), undefined);
  });

  it('failover: only the BACKUP moves to the other group, the MASTER follows after its report, ACTIVE only then', async () => {
    const [switched, other] = [await createLb(), await createLb()];
    for (const id of [switched, other]) await until('ACTIVE', status(id, 'ACTIVE'));
    const before = await views(switched);
    const otherBefore = await views(other);
    const masterHost = hosts.find((h) => before.get(h)?.role === 'MASTER') as Host;
    const backupHost = hosts.find((h) => before.get(h)?.role === 'BACKUP') as Host;
    assert.ok(masterHost && backupHost, 'grouped on both hosts');
    const oldGroup = before.get(masterHost)?.group.name;

    const failover = await api.call('PUT', `/v2/lbaas/loadbalancers/${switched}/failover`, api.adminToken);
    assert.equal(failover.statusCode, 202, failover.body);
    const phase1 = await until("the BACKUP's view moves to another group", async () => {
      const now = await views(switched);
      return now.get(backupHost)?.group.name !== oldGroup ? now : undefined;
    });
    const newGroup = phase1.get(backupHost)?.group;
    assert.ok(newGroup, 'the BACKUP host still holds it');
    assert.equal(newGroup.priority, 150, 'the BACKUP host is preferred in the other group');
    assert.notEqual(newGroup.vrid, before.get(backupHost)?.group.vrid, 'another router id');
    assert.deepEqual(phase1.get(masterHost), before.get(masterHost), "the MASTER's view is unchanged");
    await until('both agents applied the failover revision', applied(switched));
    await api.provisioner.idle();
    assert.equal(
      (await lbRow(switched)).provisioning_status,
      'PENDING_UPDATE',
      'not ACTIVE before the report',
    );
    assert.deepEqual((await views(switched)).get(masterHost), before.get(masterHost));

    const shown = await finishSwitch(switched, backupHost, masterHost, newGroup.name);
    assert.deepEqual(await views(other), otherBefore, "the other load balancer's group is untouched");

    // The amphora failover API switches the same way: back to the first host.
    const amphora = shown.find((x) => x.compute_id === backupHost.id)?.id as string;
    const again = await api.call('PUT', `/v2/octavia/amphorae/${amphora}/failover`, api.adminToken);
    assert.equal(again.statusCode, 202, again.body);
    await until('the new BACKUP moves to the other group', async () =>
      (await views(switched)).get(masterHost)?.group.name !== newGroup.name ? true : undefined,
    );
    await masterHost.client.report(
      { epoch: 'x', results: [], observed: {}, vrrp: { [switched]: 'MASTER' } },
      5000,
    );
    await until('ACTIVE after the MASTER report', status(switched, 'ACTIVE'));
    const back = await amphorae(switched);
    assert.equal(back.find((x) => x.compute_id === masterHost.id)?.role, 'MASTER');
    assert.equal(back.find((x) => x.compute_id === backupHost.id)?.role, 'BACKUP');
  });

  it('failover after a takeover left both groups of the pair on one host: the BACKUP moves to a new group in slot 1, then the MASTER follows', async () => {
    // A clean start: the earlier cases' load balancers go, and their groups with them.
    const listed = (await api.call('GET', '/v2/lbaas/loadbalancers', api.adminToken)).json().loadbalancers;
    for (const { id } of listed as { id: string }[]) await deleteLb(id);
    assert.deepEqual(await api.store.db.selectFrom('vrrp_groups').select('id').execute(), []);
    const [switched, other] = [await createLb(), await createLb()];
    for (const id of [switched, other]) await until('ACTIVE', status(id, 'ACTIVE'));
    const start = await views(switched);
    const hostX = hosts.find((h) => start.get(h)?.role === 'MASTER') as Host;
    const hostY = hosts.find((h) => start.get(h)?.role === 'BACKUP') as Host;
    assert.ok(hostX && hostY, 'grouped on both hosts');
    if ((await views(other)).get(hostX)?.role === 'MASTER') {
      // Both in X's group: a switch puts `other` in the group preferring Y, so the pair has both groups.
      const called = await api.call('PUT', `/v2/lbaas/loadbalancers/${other}/failover`, api.adminToken);
      assert.equal(called.statusCode, 202, called.body);
      await until("Y's view of the other moves", async () =>
        (await views(other)).get(hostY)?.group.priority === 150 ? true : undefined,
      );
      await reportMaster(hostY, [other]);
      await until('ACTIVE after the MASTER report', status(other, 'ACTIVE'));
    }
    const otherBefore = await views(other);
    const groupX = start.get(hostX)?.group as AssignmentVrrp['group'];
    const groupY = otherBefore.get(hostY)?.group as AssignmentVrrp['group'];
    assert.deepEqual([groupX.priority, groupY.priority], [150, 150], 'one group preferring each host');
    assert.equal(otherBefore.get(hostY)?.role, 'MASTER');

    // X's host dies: keepalived on Y takes X's group, and X back (nopreempt) leaves both groups on Y.
    await reportMaster(hostY, [switched, other]);
    await until('Y holds both groups', async () =>
      (await views(switched)).get(hostY)?.role === 'MASTER' ? true : undefined,
    );
    const masters = await api.store.db
      .selectFrom('amphorae')
      .select(['vrrp_group_id', 'agent_id'])
      .where('role', '=', 'MASTER')
      .execute();
    assert.equal(new Set(masters.map((m) => m.vrrp_group_id)).size, 2, 'both groups');
    assert.deepEqual([...new Set(masters.map((m) => m.agent_id))], [hostY.id], 'held by Y');
    const before = await views(switched);

    const failover = await api.call('PUT', `/v2/lbaas/loadbalancers/${switched}/failover`, api.adminToken);
    assert.equal(failover.statusCode, 202, failover.body);
    const phase1 = await until("X's view moves to a new group", async () => {
      const now = await views(switched);
      return now.get(hostX)?.group.name !== groupX.name ? now : undefined;
    });
    const newGroup = phase1.get(hostX)?.group as AssignmentVrrp['group'];
    assert.ok(newGroup, 'X still holds it');
    assert.notEqual(newGroup.name, groupY.name, "not Y's group, which Y holds");
    assert.equal(newGroup.priority, 150, 'X is preferred in the new group');
    assert.equal(phase1.get(hostX)?.role, 'BACKUP');
    assert.ok(![groupX.vrid, groupY.vrid].includes(newGroup.vrid), 'a router id of its own');
    const row = await api.store.db
      .selectFrom('amphorae as a')
      .innerJoin('vrrp_groups as g', 'g.id', 'a.vrrp_group_id')
      .select(['g.slot', 'g.preferred_agent_id', 'g.peer_agent_id'])
      .where('a.load_balancer_id', '=', switched)
      .where('a.agent_id', '=', hostX.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([Number(row.slot), row.preferred_agent_id, row.peer_agent_id], [1, hostX.id, hostY.id]);
    assert.deepEqual(phase1.get(hostY), before.get(hostY), "the MASTER's view is unchanged");
    await until('both agents applied the failover revision', applied(switched));
    await api.provisioner.idle();
    assert.equal((await lbRow(switched)).provisioning_status, 'PENDING_UPDATE', 'not ERROR, not ACTIVE yet');

    await finishSwitch(switched, hostX, hostY, newGroup.name);
    assert.deepEqual(await views(other), otherBefore, "the other load balancer's group is untouched");
    const left = await api.store.db
      .selectFrom('vrrp_groups')
      .select(['slot', 'preferred_agent_id'])
      .execute();
    assert.deepEqual(
      left.map((g) => [g.preferred_agent_id, Number(g.slot)]).sort(),
      [
        [hostX.id, 1],
        [hostY.id, 0],
      ].sort(),
      "X's emptied slot-0 group is gone",
    );
  });
});
