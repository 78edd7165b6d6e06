import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { AgentRegistration } from '../model/agent-protocol.ts';
import { ChangeFeed } from '../store/change-feed.ts';
import { openStore, type Store } from '../store/database.ts';
import { createAgent, listAgents, registerAgent } from '../store/repositories/agent-repository.ts';
import { completeChange } from '../store/repositories/completion-repository.ts';
import {
  getLoadBalancerRow,
  insertLoadBalancer,
  transitionLoadBalancer,
} from '../store/repositories/load-balancer-repository.ts';
import {
  allocatePort,
  createNetwork,
  createSubnet,
  getPort,
} from '../store/repositories/network-repository.ts';
import {
  assignmentsOf,
  bindPlacement,
  ensurePlacements,
  listPlacements,
  takeOverMasterRole,
} from '../store/repositories/placement-repository.ts';
import { HealthManager } from './health-manager.ts';
import { groupForVrrp } from './vrrp-grouping.ts';

const logger = pino({ level: 'silent' });
let store: Store;
let networkId: string;
let subnetId: string;
let lbCount = 0;

const registration = (addresses: Record<string, string> | null): AgentRegistration => ({
  host: 'h',
  pid: 1,
  epoch: 'e',
  availabilityZone: null,
  providers: ['native'],
  vrrp: addresses && { addresses },
});

async function agent(name: string, address: string | null): Promise<string> {
  const { agent } = await createAgent(store.db, name);
  await registerAgent(store.db, agent.id, registration(address === null ? null : { physnet1: address }));
  return agent.id;
}

/** An ACTIVE_STANDBY load balancer on the VIP subnet, MASTER bound to `master`, BACKUP to `backup`. */
async function loadBalancer(master: string, backup: string, onNetwork = networkId, onSubnet = subnetId) {
  lbCount += 1;
  const id = `lb-${lbCount}`;
  const vip = await allocatePort(store.db, {
    networkId: onNetwork,
    projectId: 'p',
    fixedIps: [{ subnetId: onSubnet }],
  });
  await insertLoadBalancer(store.db, {
    id,
    projectId: 'p',
    name: null,
    description: null,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    provider: 'native',
    flavorId: null,
    availabilityZone: null,
    topology: 'ACTIVE_STANDBY',
    vip: {
      address: vip.fixedIps[0].ipAddress,
      portId: vip.id,
      subnetId: onSubnet,
      networkId: onNetwork,
      qosPolicyId: null,
      additional: [],
    },
    tags: [],
  });
  await ensurePlacements(store.db, id, 'ACTIVE_STANDBY');
  const [m, b] = await listPlacements(store.db, id);
  await bindPlacement(store.db, m.id, master, 1);
  await bindPlacement(store.db, b.id, backup, 1);
  return id;
}

async function group(lbId: string): Promise<boolean> {
  const lb = await getLoadBalancerRow(store.db, lbId);
  return groupForVrrp(
    store.db,
    lb!,
    await listPlacements(store.db, lbId),
    await listAgents(store.db),
    logger,
  );
}

const rows = (lbId: string) =>
  store.db
    .selectFrom('amphorae')
    .select(['role', 'agent_id', 'vrrp_group_id', 'vrrp_ip', 'ha_ip', 'vrrp_id', 'vrrp_priority'])
    .where('load_balancer_id', '=', lbId)
    .orderBy('role', 'desc')
    .execute();
const groupOf = async (lbId: string) => (await rows(lbId))[0].vrrp_group_id;
const groupRow = (id: string) =>
  store.db.selectFrom('vrrp_groups').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('groupForVrrp', () => {
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    const network = await createNetwork(store.db, {
      projectId: 'p',
      networkType: 'flat',
      physicalNetwork: 'physnet1',
    });
    networkId = network.id;
    subnetId = (
      await createSubnet(store.db, { networkId, projectId: 'p', ipVersion: 4, cidr: '10.9.0.0/24' })
    ).id;
  });
  afterEach(() => store.close());

  it('puts two load balancers of the same pair and network in one group, and fills the amphora columns', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const first = await loadBalancer(a, b);
    const second = await loadBalancer(a, b);
    assert.equal(await group(first), true);
    assert.equal(await group(second), true);
    assert.equal(await group(second), false, 'a kept group is no change');
    const [master, backup] = await rows(first);
    assert.ok(master.vrrp_group_id);
    assert.equal(await groupOf(second), master.vrrp_group_id);
    const vip = (await getLoadBalancerRow(store.db, first))!.vip.address;
    assert.deepEqual(
      { ...master, vrrp_group_id: undefined },
      {
        role: 'MASTER',
        agent_id: a,
        vrrp_group_id: undefined,
        vrrp_ip: '192.0.2.1',
        ha_ip: vip,
        vrrp_id: 1,
        vrrp_priority: 150,
      },
    );
    assert.deepEqual(
      { ...backup, vrrp_group_id: undefined },
      {
        role: 'BACKUP',
        agent_id: b,
        vrrp_group_id: undefined,
        vrrp_ip: '192.0.2.2',
        ha_ip: vip,
        vrrp_id: 1,
        vrrp_priority: 100,
      },
    );
    const g = await groupRow(master.vrrp_group_id);
    assert.deepEqual([g.preferred_agent_id, g.peer_agent_id, g.network_id], [a, b, networkId]);
  });

  it('gives load balancers whose MASTERs are on opposite agents two groups with different router ids', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const ab = await loadBalancer(a, b);
    const ba = await loadBalancer(b, a);
    await group(ab);
    await group(ba);
    const [g1, g2] = [await groupRow((await groupOf(ab))!), await groupRow((await groupOf(ba))!)];
    assert.notEqual(g1.id, g2.id);
    assert.deepEqual([g1.vrid, g2.vrid], [1, 2]);
    assert.deepEqual([g2.preferred_agent_id, g2.peer_agent_id], [b, a]);
  });

  it('never gives two groups on one network that involve the same agent the same router id', async () => {
    const [a, b, c, d] = [
      await agent('a', '192.0.2.1'),
      await agent('b', '192.0.2.2'),
      await agent('c', '192.0.2.3'),
      await agent('d', '192.0.2.4'),
    ];
    const vrid = async (master: string, backup: string, net = networkId, sub = subnetId) => {
      const lb = await loadBalancer(master, backup, net, sub);
      await group(lb);
      return (await groupRow((await groupOf(lb))!)).vrid;
    };
    assert.equal(await vrid(a, b), 1);
    assert.equal(await vrid(a, c), 2); // a has 1
    assert.equal(await vrid(c, d), 1); // c has 2, d none: 1 is free for both
    assert.equal(await vrid(b, c), 3); // b has 1, c has 1 and 2
    const other = await createNetwork(store.db, {
      projectId: 'p',
      networkType: 'flat',
      physicalNetwork: 'physnet1',
    });
    const otherSubnet = await createSubnet(store.db, {
      networkId: other.id,
      projectId: 'p',
      ipVersion: 4,
      cidr: '10.10.0.0/24',
    });
    assert.equal(await vrid(a, b, other.id, otherSubnet.id), 1, 'router ids are per network');
  });

  it('leaves a pair in no group when all 255 router ids of an agent on the network are taken', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    for (let vrid = 1; vrid <= 255; vrid += 1) {
      await store.db
        .insertInto('vrrp_groups')
        .values({
          id: `g-${vrid}`,
          network_id: networkId,
          subnet_id: subnetId,
          preferred_agent_id: a,
          peer_agent_id: `elsewhere-${vrid}`,
          vrid,
          anchor_port_id: `port-${vrid}`,
          anchor_address: '10.9.0.250',
          created_at: new Date().toISOString(),
        })
        .execute();
    }
    const lb = await loadBalancer(a, b);
    assert.equal(await group(lb), false);
    assert.equal(await groupOf(lb), null);
  });

  it('allocates the anchor as a real port on the VIP subnet that IPAM never gives to another port', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const lb = await loadBalancer(a, b);
    await group(lb);
    const g = await groupRow((await groupOf(lb))!);
    const port = await getPort(store.db, g.anchor_port_id);
    assert.deepEqual(port?.fixedIps, [{ subnetId, ipAddress: g.anchor_address }]);
    assert.equal(port?.deviceOwner, 'Octavia');
    assert.equal(port?.deviceId, g.id);
    for (let i = 0; i < 5; i += 1) {
      const other = await allocatePort(store.db, { networkId, projectId: 'p' });
      assert.notEqual(other.fixedIps[0].ipAddress, g.anchor_address);
    }
  });

  it('groups nothing when an agent registered no VRRP address: the BACKUP gets nothing, as before', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', null);
    const lb = await loadBalancer(a, b);
    assert.equal(await group(lb), false);
    assert.equal(await groupOf(lb), null);
    assert.deepEqual((await assignmentsOf(store.db, b)).ids, []);
    const [assignment] = (await assignmentsOf(store.db, a)).ids;
    assert.equal(assignment.id, lb);
    assert.equal(assignment.vrrp, undefined);
  });

  it('keeps the group when the roles swap, and the priority with the host', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const lb = await loadBalancer(a, b);
    await group(lb);
    const before = await groupOf(lb);
    assert.equal(await takeOverMasterRole(store.db, b, lb), true);
    assert.equal(await takeOverMasterRole(store.db, b, lb), false, 'already MASTER there');
    assert.equal(await group(lb), false);
    const [master, backup] = await rows(lb);
    assert.deepEqual(
      [master.role, master.agent_id, master.vrrp_priority, master.vrrp_group_id],
      ['MASTER', b, 100, before],
    );
    assert.deepEqual([backup.role, backup.agent_id, backup.vrrp_priority], ['BACKUP', a, 150]);
  });

  it('takes the load balancer out of its group when a placement moves to a third agent, then groups the new pair', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const c = await agent('c', '192.0.2.3');
    const lb = await loadBalancer(a, b);
    await group(lb);
    const old = await groupRow((await groupOf(lb))!);
    const [, backup] = await listPlacements(store.db, lb);
    await bindPlacement(store.db, backup.id, c, 2);
    const moved = await rows(lb);
    assert.deepEqual(
      moved.map((r) => [r.vrrp_group_id, r.vrrp_ip, r.vrrp_id, r.vrrp_priority]),
      [
        [null, null, 1, 100],
        [null, null, 1, 90],
      ],
    );
    assert.equal(await store.db.selectFrom('vrrp_groups').selectAll().executeTakeFirst(), undefined);
    assert.equal(await getPort(store.db, old.anchor_port_id), undefined, 'the anchor port is freed');
    assert.equal(await group(lb), true);
    const fresh = await groupRow((await groupOf(lb))!);
    assert.deepEqual([fresh.preferred_agent_id, fresh.peer_agent_id], [a, c]);
  });

  it('ungroups the load balancers of an agent that registers again without keepalived', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const lb = await loadBalancer(a, b);
    await group(lb);
    assert.deepEqual(await registerAgent(store.db, b, registration({ physnet1: '192.0.2.2' })), []);
    assert.ok(await groupOf(lb));
    assert.deepEqual(await registerAgent(store.db, b, registration(null)), [lb]);
    assert.equal(await groupOf(lb), null);
    assert.equal(await group(lb), false);
  });

  it('deletes the group and frees its anchor port when its last load balancer is deleted', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', '192.0.2.2');
    const first = await loadBalancer(a, b);
    const second = await loadBalancer(a, b);
    await group(first);
    await group(second);
    const g = await groupRow((await groupOf(first))!);
    const remove = async (id: string) => {
      assert.ok(await transitionLoadBalancer(store.db, id, ['ACTIVE'], 'PENDING_DELETE'));
      const { revision } = (await getLoadBalancerRow(store.db, id))!;
      assert.ok(await completeChange(store.db, id, revision, { ok: true }));
    };
    await remove(first);
    assert.ok(await groupRow(g.id), 'still used by the second');
    await remove(second);
    assert.equal(await store.db.selectFrom('vrrp_groups').selectAll().executeTakeFirst(), undefined);
    assert.equal(await getPort(store.db, g.anchor_port_id), undefined);
  });

  it('groups a pair in the health manager pass once its second agent registers with keepalived', async () => {
    const a = await agent('a', '192.0.2.1');
    const b = await agent('b', null);
    const lb = await loadBalancer(a, b);
    const woken: string[] = [];
    const changes = new ChangeFeed();
    changes.subscribe((id) => woken.push(id));
    const manager = new HealthManager({
      store,
      changes,
      logger,
      heartbeatTimeoutMs: 60_000,
      intervalMs: 1000,
      localProviders: ['noop'],
    });
    await manager.sweep();
    assert.equal(await groupOf(lb), null);
    await registerAgent(store.db, b, registration({ physnet1: '192.0.2.2' }));
    await manager.sweep();
    assert.ok(await groupOf(lb));
    assert.deepEqual(woken, [lb]);
  });
});
