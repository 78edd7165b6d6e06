import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { NewMember } from '../../model/member.ts';
import type { Store } from '../database.ts';
import { insertLoadBalancer } from './load-balancer-repository.ts';
import { insertMembers, listMembers, setMembersStatus, updateMembers } from './member-repository.ts';
import { insertPool } from './pool-repository.ts';

/** More rows than one statement may bind: 2,000 members × 18 columns is over SQLite's 32,766 variables. */
const MANY = 2000;

const member = (poolId: string, i: number): NewMember => ({
  id: `${poolId}-m${i}`,
  projectId: 'project-a',
  loadBalancerId: 'lb-members',
  poolId,
  name: null,
  adminStateUp: true,
  provisioningStatus: 'PENDING_CREATE',
  operatingStatus: 'NO_MONITOR',
  address: `127.65.${Math.floor(i / 250)}.${(i % 250) + 1}`,
  protocolPort: 10_000 + i,
  subnetId: null,
  weight: 1,
  backup: false,
  monitorAddress: null,
  monitorPort: null,
  tags: [`t${i}`],
});

async function addPool(store: Store, id: string): Promise<void> {
  await insertPool(store.db, {
    id,
    projectId: 'project-a',
    loadBalancerId: 'lb-members',
    name: null,
    description: null,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE',
    operatingStatus: 'ONLINE',
    protocol: 'HTTP',
    lbAlgorithm: 'ROUND_ROBIN',
    sessionPersistence: null,
    tlsEnabled: false,
    tlsContainerRef: null,
    caTlsContainerRef: null,
    crlContainerRef: null,
    tlsCiphers: null,
    tlsVersions: null,
    alpnProtocols: null,
    tags: [],
  });
}

for (const dialect of storeDialects()) {
  describe(`member repository on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await insertLoadBalancer(store.db, {
        id: 'lb-members',
        projectId: 'project-a',
        name: null,
        description: null,
        adminStateUp: true,
        provisioningStatus: 'ACTIVE',
        operatingStatus: 'ONLINE',
        provider: 'noop',
        flavorId: null,
        availabilityZone: null,
        topology: 'SINGLE',
        vip: {
          address: '127.65.255.1',
          portId: 'port',
          subnetId: 'subnet',
          networkId: 'net',
          qosPolicyId: null,
          additional: [],
        },
        tags: [],
      });
    });
    after(async () => store.close());

    it('inserts more members in one call than one statement can bind, each with its own fields', async () => {
      await addPool(store, 'pool-insert');
      await insertMembers(
        store.db,
        Array.from({ length: MANY }, (_, i) => member('pool-insert', i)),
      );
      const stored = await listMembers(store.db, 'pool-insert');
      assert.equal(stored.length, MANY);
      const byId = new Map(stored.map((m) => [m.id, m]));
      for (const i of [0, 1, 999, MANY - 1]) {
        const m = byId.get(`pool-insert-m${i}`);
        assert.deepEqual(
          [m?.protocolPort, m?.tags, m?.provisioningStatus],
          [10_000 + i, [`t${i}`], 'PENDING_CREATE'],
        );
      }
    });

    it('gives the named members the same changes and status, and leaves the others alone', async () => {
      await addPool(store, 'pool-update');
      await insertMembers(
        store.db,
        Array.from({ length: MANY }, (_, i) => member('pool-update', i)),
      );
      const even = Array.from({ length: MANY / 2 }, (_, i) => `pool-update-m${i * 2}`);
      await updateMembers(store.db, even, { weight: 7, name: 'even', backup: true }, 'PENDING_UPDATE');
      await setMembersStatus(store.db, ['pool-update-m1'], 'PENDING_DELETE');
      const stored = await listMembers(store.db, 'pool-update');
      const changed = stored.filter((m) => m.weight === 7 && m.name === 'even' && m.backup);
      assert.equal(changed.length, MANY / 2);
      assert.ok(changed.every((m) => m.provisioningStatus === 'PENDING_UPDATE' && m.updatedAt !== null));
      const odd = stored.filter((m) => m.weight === 1);
      assert.equal(odd.length, MANY / 2);
      assert.deepEqual(
        odd.filter((m) => m.provisioningStatus !== 'PENDING_CREATE').map((m) => [m.id, m.provisioningStatus]),
        [['pool-update-m1', 'PENDING_DELETE']],
      );
    });
  });
}
