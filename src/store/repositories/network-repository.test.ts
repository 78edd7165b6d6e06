// Networks and subnets against a real store, on every dialect: the public-network bootstrap, visibility,
// provider rules, subnet defaults and validation, and the in-use refusals on delete.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import { NeutronErrorTypes, SluiceError } from '../../errors.ts';
import type { Store } from '../database.ts';
import {
  allocatePort,
  createNetwork,
  createSubnet,
  deleteNetwork,
  deleteSubnet,
  ensurePublicNetwork,
  getNetwork,
  getPort,
  getSubnet,
  listNetworks,
  listSubnets,
  updateNetwork,
  updateSubnet,
} from './network-repository.ts';

async function rejectsWith(promise: Promise<unknown>, status: number, type: string, message?: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SluiceError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.neutronType ?? NeutronErrorTypes[error.code], type);
    if (message !== undefined) assert.equal(error.message, message);
    return true;
  });
}

for (const dialect of storeDialects()) {
  describe(`networks and subnets (${dialect.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(() => store.close());

    it('creates the shared external public network once, however often it is ensured', async () => {
      const [a, b] = await Promise.all([
        ensurePublicNetwork(store.db, 'admin'),
        ensurePublicNetwork(store.db, 'admin'),
      ]);
      const c = await ensurePublicNetwork(store.db, 'admin');
      assert.equal(a.id, b.id);
      assert.equal(a.id, c.id);
      assert.equal((await listNetworks(store.db, 'all')).length, 1);
      assert.equal(a.name, 'public');
      assert.equal(a.shared, true);
      assert.equal(a.routerExternal, true);
      assert.equal(a.networkType, 'local');
      assert.equal(a.subnets.length, 1);
      const subnet = await getSubnet(store.db, a.subnets[0]);
      assert.equal(subnet?.name, 'public-subnet');
      assert.equal(subnet?.cidr, '127.77.0.0/16');
      assert.equal(subnet?.gatewayIp, '127.77.0.1');
      assert.deepEqual(subnet?.allocationPools, [{ start: '127.77.0.2', end: '127.77.255.254' }]);
      const port = await allocatePort(store.db, { networkId: a.id, projectId: 'p1' });
      assert.equal(port.fixedIps[0].ipAddress, '127.77.0.2');
    });

    it('shows a project its own networks and shared ones, and an admin all of them', async () => {
      const mine = await createNetwork(store.db, { projectId: 'p1', name: 'mine' });
      await createNetwork(store.db, { projectId: 'p2', name: 'theirs' });
      const shared = await createNetwork(store.db, { projectId: 'p2', name: 'shared', shared: true });
      const visible = await listNetworks(store.db, { projectId: 'p1' });
      // Which networks, not their order: two created in the same millisecond sort by their random ids.
      assert.deepEqual(visible.map((n) => n.id).sort(), [mine.id, shared.id].sort());
      assert.equal((await listNetworks(store.db, 'all')).length, 3);
      await createSubnet(store.db, {
        networkId: shared.id,
        projectId: 'p2',
        ipVersion: 4,
        cidr: '10.0.0.0/24',
      });
      await createSubnet(store.db, {
        networkId: mine.id,
        projectId: 'p1',
        ipVersion: 4,
        cidr: '10.1.0.0/24',
      });
      assert.equal((await listSubnets(store.db, { projectId: 'p1' })).length, 2);
      assert.equal((await listSubnets(store.db, { projectId: 'p3' })).length, 1);
    });

    it('checks provider attributes and keeps one VLAN id per physical network', async () => {
      await rejectsWith(createNetwork(store.db, { projectId: 'p', networkType: 'gre' }), 400, 'InvalidInput');
      await rejectsWith(
        createNetwork(store.db, { projectId: 'p', networkType: 'flat' }),
        400,
        'InvalidInput',
      );
      const vlan = { projectId: 'p', networkType: 'vlan', physicalNetwork: 'physnet1', segmentationId: 42 };
      const created = await createNetwork(store.db, vlan);
      assert.equal(created.segmentationId, 42);
      await rejectsWith(createNetwork(store.db, vlan), 409, 'VlanIdInUse');
    });

    it('updates a network and answers 404 for an unknown one', async () => {
      const network = await createNetwork(store.db, { projectId: 'p', name: 'a' });
      const updated = await updateNetwork(store.db, network.id, { name: 'b', shared: true, mtu: 9000 });
      assert.equal(updated.name, 'b');
      assert.equal(updated.shared, true);
      assert.equal(updated.mtu, 9000);
      await rejectsWith(updateNetwork(store.db, 'nope', { name: 'x' }), 404, 'NetworkNotFound');
    });

    it('refuses an overlapping subnet on the same network with 400 but allows it on another', async () => {
      const a = await createNetwork(store.db, { projectId: 'p' });
      const b = await createNetwork(store.db, { projectId: 'p' });
      await createSubnet(store.db, { networkId: a.id, projectId: 'p', ipVersion: 4, cidr: '10.0.0.0/16' });
      await rejectsWith(
        createSubnet(store.db, { networkId: a.id, projectId: 'p', ipVersion: 4, cidr: '10.0.3.0/24' }),
        400,
        'InvalidInput',
        `Invalid input for operation: Requested subnet with cidr: 10.0.3.0/24 for network: ${a.id} overlaps with another subnet.`,
      );
      await createSubnet(store.db, { networkId: b.id, projectId: 'p', ipVersion: 4, cidr: '10.0.3.0/24' });
    });

    it('validates CIDR, ip_version, gateway and pools of a new subnet', async () => {
      const { id } = await createNetwork(store.db, { projectId: 'p' });
      const base = { networkId: id, projectId: 'p', ipVersion: 4, cidr: '10.0.0.0/24' };
      await rejectsWith(
        createSubnet(store.db, { ...base, cidr: 'x' }),
        400,
        'HTTPBadRequest',
        "Invalid input for cidr. Reason: 'x' is not a valid IP subnet.",
      );
      await rejectsWith(createSubnet(store.db, { ...base, ipVersion: 6 }), 400, 'InvalidInput');
      await rejectsWith(createSubnet(store.db, { ...base, gatewayIp: '10.0.0.255' }), 400, 'InvalidInput');
      const pool = (start: string, end: string) => ({ ...base, allocationPools: [{ start, end }] });
      await rejectsWith(
        createSubnet(store.db, pool('10.0.0.0', '10.0.0.9')),
        400,
        'OutOfBoundsAllocationPool',
      );
      await rejectsWith(
        createSubnet(store.db, pool('10.0.0.1', '10.0.0.9')),
        409,
        'GatewayConflictWithAllocationPools',
      );
      await rejectsWith(createSubnet(store.db, pool('10.0.0.9', '10.0.0.2')), 400, 'InvalidAllocationPool');
      const subnet = await createSubnet(store.db, { ...base, cidr: '10.0.0.77/24', gatewayIp: null });
      assert.equal(subnet.cidr, '10.0.0.0/24');
      assert.equal(subnet.gatewayIp, null);
      assert.deepEqual(subnet.allocationPools, [{ start: '10.0.0.1', end: '10.0.0.254' }]);
      assert.equal((await getNetwork(store.db, id))?.subnets[0], subnet.id);
    });

    it('refuses a new gateway that a port already holds', async () => {
      const { id } = await createNetwork(store.db, { projectId: 'p' });
      const subnet = await createSubnet(store.db, {
        networkId: id,
        projectId: 'p',
        ipVersion: 4,
        cidr: '10.0.0.0/24',
      });
      await allocatePort(store.db, { networkId: id, projectId: 'p', fixedIps: [{ ipAddress: '10.0.0.2' }] });
      await rejectsWith(
        updateSubnet(store.db, subnet.id, { gatewayIp: '10.0.0.2', allocationPools: [] }),
        409,
        'GatewayIpInUse',
      );
      await rejectsWith(
        updateSubnet(store.db, subnet.id, { gatewayIp: '10.0.0.3' }),
        409,
        'GatewayConflictWithAllocationPools',
      );
      const updated = await updateSubnet(store.db, subnet.id, {
        gatewayIp: '10.0.0.254',
        allocationPools: [{ start: '10.0.0.2', end: '10.0.0.200' }],
        dnsNameservers: ['8.8.8.8'],
      });
      assert.equal(updated.gatewayIp, '10.0.0.254');
      assert.deepEqual(updated.dnsNameservers, ['8.8.8.8']);
    });

    it('refuses to delete a subnet with allocations (409 SubnetInUse) and deletes it once free', async () => {
      const { id } = await createNetwork(store.db, { projectId: 'p' });
      const subnet = await createSubnet(store.db, {
        networkId: id,
        projectId: 'p',
        ipVersion: 4,
        cidr: '10.0.0.0/24',
      });
      const port = await allocatePort(store.db, { networkId: id, projectId: 'p' });
      await rejectsWith(deleteSubnet(store.db, subnet.id), 409, 'SubnetInUse');
      await store.db.deleteFrom('ip_allocations').where('port_id', '=', port.id).execute();
      await deleteSubnet(store.db, subnet.id);
      assert.equal(await getSubnet(store.db, subnet.id), undefined);
      await rejectsWith(deleteSubnet(store.db, subnet.id), 404, 'SubnetNotFound');
    });

    it('refuses to delete a network with a port in use by a device (409 NetworkInUse)', async () => {
      const { id } = await createNetwork(store.db, { projectId: 'p' });
      await createSubnet(store.db, { networkId: id, projectId: 'p', ipVersion: 4, cidr: '10.0.0.0/24' });
      await allocatePort(store.db, {
        networkId: id,
        projectId: 'p',
        deviceId: 'lb-1',
        deviceOwner: 'Octavia',
      });
      await rejectsWith(
        deleteNetwork(store.db, id),
        409,
        'NetworkInUse',
        `Unable to complete operation on network ${id}. There are one or more ports still in use on the network.`,
      );
    });

    it('deletes a network with its subnets and its unplugged ports', async () => {
      const { id } = await createNetwork(store.db, { projectId: 'p' });
      await createSubnet(store.db, { networkId: id, projectId: 'p', ipVersion: 4, cidr: '10.0.0.0/24' });
      const port = await allocatePort(store.db, { networkId: id, projectId: 'p' });
      await deleteNetwork(store.db, id);
      assert.equal(await getNetwork(store.db, id), undefined);
      assert.equal(await getPort(store.db, port.id), undefined);
      assert.equal((await listSubnets(store.db, 'all')).length, 0);
      await rejectsWith(deleteNetwork(store.db, id), 404, 'NetworkNotFound');
    });
  });
}
