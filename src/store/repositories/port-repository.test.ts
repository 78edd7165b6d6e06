// Ports and IPAM against a real store, on every dialect: allocation order, exhaustion, explicit-address
// rules, races between concurrent allocations, freeing, device binding and the caller's transaction.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import { NeutronErrorTypes, SluiceError } from '../../errors.ts';
import type { Store } from '../database.ts';
import {
  allocatePort,
  createNetwork,
  createSubnet,
  deletePort,
  getPort,
  updatePort,
  updatePortDevice,
} from './network-repository.ts';

const P = 'project-a';

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
  describe(`ports and IPAM (${dialect.name})`, () => {
    let store: Store;
    let networkId: string;
    let subnetId: string;

    beforeEach(async () => {
      store = await dialect.open();
      networkId = (await createNetwork(store.db, { projectId: P, name: 'n' })).id;
      // 10.9.0.0/29: gateway .1, pool .2–.6 (five addresses)
      subnetId = (
        await createSubnet(store.db, { networkId, projectId: P, ipVersion: 4, cidr: '10.9.0.0/29' })
      ).id;
    });
    afterEach(() => store.close());

    it('hands out pool addresses lowest first, skipping the gateway', async () => {
      const first = await allocatePort(store.db, { networkId, projectId: P });
      const second = await allocatePort(store.db, { networkId, projectId: P });
      assert.deepEqual(first.fixedIps, [{ subnetId, ipAddress: '10.9.0.2' }]);
      assert.equal(second.fixedIps[0].ipAddress, '10.9.0.3');
      assert.match(first.macAddress, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
      assert.equal(first.status, 'DOWN');
    });

    it('prefers the first IPv4 subnet with a free address over IPv6 and full subnets', async () => {
      await createSubnet(store.db, { networkId, projectId: P, ipVersion: 6, cidr: '2001:db8::/64' });
      const tiny = await createSubnet(store.db, {
        networkId,
        projectId: P,
        ipVersion: 4,
        cidr: '10.8.0.0/30',
      });
      for (let i = 0; i < 5; i++) await allocatePort(store.db, { networkId, projectId: P });
      const port = await allocatePort(store.db, { networkId, projectId: P });
      assert.deepEqual(port.fixedIps, [{ subnetId: tiny.id, ipAddress: '10.8.0.2' }]);
    });

    it('answers 409 IpAddressGenerationFailure when the pools are exhausted', async () => {
      for (let i = 0; i < 5; i++) await allocatePort(store.db, { networkId, projectId: P });
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P }),
        409,
        'IpAddressGenerationFailure',
        `No more IP addresses available on network ${networkId}.`,
      );
      assert.equal(
        (await store.db.selectFrom('ports').select('id').execute()).length,
        5,
        'no port row leaks',
      );
    });

    it('gives an explicit address, even outside the pools, and reuses a freed one', async () => {
      const port = await allocatePort(store.db, {
        networkId,
        projectId: P,
        fixedIps: [{ ipAddress: '10.9.0.5' }],
      });
      assert.deepEqual(port.fixedIps, [{ subnetId, ipAddress: '10.9.0.5' }]);
      assert.equal(await deletePort(store.db, port.id), true);
      const again = await allocatePort(store.db, {
        networkId,
        projectId: P,
        fixedIps: [{ subnetId, ipAddress: '10.9.0.5' }],
      });
      assert.equal(again.fixedIps[0].ipAddress, '10.9.0.5');
    });

    it('refuses an address already allocated on the subnet with 409', async () => {
      await allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ ipAddress: '10.9.0.4' }] });
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ subnetId, ipAddress: '10.9.0.4' }] }),
        409,
        'IpAddressAlreadyAllocated',
        `IP address 10.9.0.4 already allocated in subnet ${subnetId}`,
      );
    });

    it('refuses the gateway address with 409 and an address outside the subnet with 400', async () => {
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ subnetId, ipAddress: '10.9.0.1' }] }),
        409,
        'IpAddressAlreadyAllocated',
      );
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ subnetId, ipAddress: '10.9.1.4' }] }),
        400,
        'InvalidIpForSubnet',
      );
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ subnetId, ipAddress: '10.9.0.7' }] }),
        400,
        'InvalidIpForSubnet',
        'IP address 10.9.0.7 is not a valid IP for the specified subnet.',
      );
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ ipAddress: '192.0.2.1' }] }),
        400,
        'InvalidIpForNetwork',
      );
    });

    it('lets exactly one of two concurrent allocations of the same address succeed', async () => {
      const request = () =>
        allocatePort(store.db, { networkId, projectId: P, fixedIps: [{ subnetId, ipAddress: '10.9.0.6' }] });
      const results = await Promise.allSettled([request(), request()]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.ok(failure?.reason instanceof SluiceError);
      assert.equal(failure.reason.code, 'network.ip-allocated');
      assert.equal((await store.db.selectFrom('ports').select('id').execute()).length, 1);
    });

    it('gives concurrent automatic allocations distinct addresses', async () => {
      const ports = await Promise.all(
        Array.from({ length: 5 }, () => allocatePort(store.db, { networkId, projectId: P })),
      );
      const addresses = ports.map((p) => p.fixedIps[0].ipAddress).sort();
      assert.deepEqual(addresses, ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
    });

    it("runs inside the caller's transaction, so the caller's rollback frees the address", async () => {
      await assert.rejects(
        store.db.transaction().execute(async (trx) => {
          await allocatePort(trx, { networkId, projectId: P, fixedIps: [{ ipAddress: '10.9.0.2' }] });
          throw new Error('load balancer create failed');
        }),
        /load balancer create failed/,
      );
      const port = await allocatePort(store.db, {
        networkId,
        projectId: P,
        fixedIps: [{ ipAddress: '10.9.0.2' }],
      });
      assert.equal(port.fixedIps[0].ipAddress, '10.9.0.2');
    });

    it('binds a port to a device and marks it ACTIVE', async () => {
      const port = await allocatePort(store.db, { networkId, projectId: P });
      const bound = await updatePortDevice(store.db, port.id, 'lb-1', 'Octavia');
      assert.equal(bound.deviceId, 'lb-1');
      assert.equal(bound.deviceOwner, 'Octavia');
      assert.equal(bound.status, 'ACTIVE');
      assert.equal((await getPort(store.db, port.id))?.deviceOwner, 'Octavia');
    });

    it('re-addresses a port, keeping the addresses it already holds', async () => {
      const port = await allocatePort(store.db, { networkId, projectId: P });
      const updated = await updatePort(store.db, port.id, {
        fixedIps: [{ ipAddress: '10.9.0.2' }, { subnetId, ipAddress: '10.9.0.6' }],
      });
      assert.deepEqual(
        updated.fixedIps.map((ip) => ip.ipAddress),
        ['10.9.0.2', '10.9.0.6'],
      );
      const moved = await updatePort(store.db, port.id, { fixedIps: [{ ipAddress: '10.9.0.5' }] });
      assert.deepEqual(moved.fixedIps, [{ subnetId, ipAddress: '10.9.0.5' }]);
      const other = await allocatePort(store.db, { networkId, projectId: P });
      assert.equal(other.fixedIps[0].ipAddress, '10.9.0.2', 'the dropped addresses are free again');
    });

    it('deletes a port and reports whether it existed', async () => {
      const port = await allocatePort(store.db, { networkId, projectId: P });
      assert.equal(await deletePort(store.db, port.id), true);
      assert.equal(await deletePort(store.db, port.id), false);
      assert.equal(await getPort(store.db, port.id), undefined);
      assert.equal((await store.db.selectFrom('ip_allocations').selectAll().execute()).length, 0);
    });

    it('refuses a MAC address already used on the network with 409', async () => {
      await allocatePort(store.db, { networkId, projectId: P, macAddress: 'FA:16:3E:00:00:01' });
      await rejectsWith(
        allocatePort(store.db, { networkId, projectId: P, macAddress: 'fa:16:3e:00:00:01' }),
        409,
        'MacAddressInUse',
      );
    });

    it('answers 404 NetworkNotFound for a port on an unknown network', async () => {
      await rejectsWith(allocatePort(store.db, { networkId: 'nope', projectId: P }), 404, 'NetworkNotFound');
    });
  });
}
