import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertBareLoadBalancer, insertPoolWithMembers } from '../../../test/helpers/member-rows.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import { transitionLoadBalancer } from './load-balancer-repository.ts';
import { setProvisioningStatus } from './octavia-lock.ts';
import { listStatusEvents, recordConditionalChange } from './status-event-repository.ts';

for (const dialect of storeDialects()) {
  describe(`status event records on ${dialect.name}`, () => {
    let store: Store;
    const summaries = async (lb: string, query: { resourceType?: string; marker?: number } = {}) =>
      (await listStatusEvents(store.db, lb, { limit: 100, ...query })).map(
        (e) => `${e.resourceType} ${e.resourceId} ${e.from}→${e.to}: ${e.reason}`,
      );
    before(async () => {
      store = await dialect.open();
      await insertBareLoadBalancer(store.db, 'lb-a');
      await insertPoolWithMembers(store.db, 'lb-a', 'pool-a', 3);
    });
    after(async () => store.close());

    it('records only the rows whose status really changes', async () => {
      await setProvisioningStatus(store.db, 'members', ['pool-a-m0', 'pool-a-m1'], 'PENDING_UPDATE');
      await setProvisioningStatus(store.db, 'members', ['pool-a-m1', 'pool-a-m2'], 'PENDING_UPDATE');
      const updates = (await summaries('lb-a', { resourceType: 'member' })).filter((s) =>
        s.includes('→PENDING_UPDATE'),
      );
      assert.deepEqual(updates, [
        'member pool-a-m2 PENDING_CREATE→PENDING_UPDATE: update through the API',
        'member pool-a-m1 PENDING_CREATE→PENDING_UPDATE: update through the API',
        'member pool-a-m0 PENDING_CREATE→PENDING_UPDATE: update through the API',
      ]);
    });

    it('takes back the event of a conditional write that matched nothing', async () => {
      const change = { id: 'lb-a', to: 'PENDING_UPDATE', from: ['ACTIVE'], reason: 'raced' };
      const before = (await summaries('lb-a')).length;
      assert.equal(
        await recordConditionalChange(store.db, 'load_balancers', change, async () => false),
        false,
      );
      assert.equal((await summaries('lb-a')).length, before);
      assert.equal(await transitionLoadBalancer(store.db, 'lb-a', ['ERROR'], 'PENDING_DELETE'), false);
      assert.equal((await summaries('lb-a')).length, before, 'a refused transition leaves no event');
      assert.equal(await transitionLoadBalancer(store.db, 'lb-a', ['ACTIVE'], 'PENDING_DELETE'), true);
      assert.deepEqual(
        (await summaries('lb-a'))[0],
        'loadbalancer lb-a ACTIVE→PENDING_DELETE: delete through the API',
      );
    });

    it('lists newest first, older than the marker, filtered by resource', async () => {
      const all = await listStatusEvents(store.db, 'lb-a', { limit: 100 });
      assert.ok(all.every((e, i) => i === 0 || e.id < all[i - 1].id));
      const older = await listStatusEvents(store.db, 'lb-a', { limit: 2, marker: all[0].id });
      assert.deepEqual(
        older.map((e) => e.id),
        all.slice(1, 3).map((e) => e.id),
      );
      const pool = await listStatusEvents(store.db, 'lb-a', { limit: 100, resourceId: 'pool-a' });
      assert.ok(pool.length > 0 && pool.every((e) => e.resourceType === 'pool'));
      assert.deepEqual(await listStatusEvents(store.db, 'lb-other', { limit: 100 }), []);
    });
  });
}
