import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import { completeChange } from './completion-repository.ts';
import {
  findLoadBalancer,
  getLoadBalancerRow,
  insertLoadBalancer,
  listLoadBalancers,
  listUnconverged,
  transitionLoadBalancer,
} from './load-balancer-repository.ts';

function newLb(id: string, projectId = 'project-a') {
  return {
    id,
    projectId,
    name: `name-${id}`,
    description: null,
    adminStateUp: true,
    provisioningStatus: 'ACTIVE' as const,
    operatingStatus: 'ONLINE' as const,
    provider: 'noop',
    flavorId: null,
    availabilityZone: null,
    topology: 'SINGLE' as const,
    vip: {
      address: '127.77.0.2',
      portId: 'port',
      subnetId: 'subnet',
      networkId: 'net',
      qosPolicyId: null,
      additional: [],
    },
    tags: ['a', 'b'],
  };
}

for (const dialect of storeDialects()) {
  describe(`load balancer repository on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
    });
    after(async () => store.close());

    it('stores and reads back a load balancer with its booleans, tags and revision', async () => {
      await insertLoadBalancer(store.db, newLb('lb-read'));
      const lb = await findLoadBalancer(store.db, 'lb-read');
      assert.equal(lb?.adminStateUp, true);
      assert.deepEqual(lb?.tags, ['a', 'b']);
      assert.equal(lb?.revision, 1);
      assert.equal(lb?.vip.address, '127.77.0.2');
    });

    it('lets exactly one of many concurrent writers take the lock', async () => {
      await insertLoadBalancer(store.db, newLb('lb-race'));
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          transitionLoadBalancer(store.db, 'lb-race', ['ACTIVE'], 'PENDING_UPDATE', { name: `w${i}` }),
        ),
      );
      assert.equal(outcomes.filter(Boolean).length, 1);
      assert.equal((await findLoadBalancer(store.db, 'lb-race'))?.revision, 2);
    });

    it('ignores a provider report for a revision that is no longer the newest', async () => {
      await insertLoadBalancer(store.db, newLb('lb-stale'));
      await transitionLoadBalancer(store.db, 'lb-stale', ['ACTIVE'], 'PENDING_UPDATE');
      assert.equal(await completeChange(store.db, 'lb-stale', 1, { ok: true }), false);
      assert.equal(await completeChange(store.db, 'lb-stale', 2, { ok: true }), true);
      assert.equal((await findLoadBalancer(store.db, 'lb-stale'))?.appliedRevision, 2);
    });

    it('hides DELETED load balancers from the API but not from the controller', async () => {
      await insertLoadBalancer(store.db, newLb('lb-gone', 'project-gone'));
      await transitionLoadBalancer(store.db, 'lb-gone', ['ACTIVE'], 'PENDING_DELETE');
      assert.deepEqual(await listUnconverged(store.db).then((ids) => ids.includes('lb-gone')), true);
      await completeChange(store.db, 'lb-gone', 2, { ok: true });
      assert.equal(await findLoadBalancer(store.db, 'lb-gone'), undefined);
      assert.deepEqual(await listLoadBalancers(store.db, 'project-gone'), []);
      assert.equal((await getLoadBalancerRow(store.db, 'lb-gone'))?.provisioningStatus, 'DELETED');
    });
  });
}
