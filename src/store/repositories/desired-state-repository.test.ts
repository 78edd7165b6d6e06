import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertBareLoadBalancer, insertPoolWithMembers } from '../../../test/helpers/member-rows.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import { loadDesiredState } from './desired-state-repository.ts';

const LB = 'lb-desired';

for (const dialect of storeDialects()) {
  describe(`loadDesiredState on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await insertBareLoadBalancer(store.db, LB);
      await insertPoolWithMembers(store.db, LB, 'pool-desired', 3);
    });
    after(async () => store.close());

    it("carries every pool's members in the document an agent applies", async () => {
      const desired = await loadDesiredState(store.db, LB);
      assert.deepEqual(
        desired?.pools.map((p) => [p.id, p.members.map((m) => m.id)]),
        [['pool-desired', ['pool-desired-m0', 'pool-desired-m1', 'pool-desired-m2']]],
      );
    });

    it('leaves members out when asked, for the options check, keeping the pools', async () => {
      const desired = await loadDesiredState(store.db, LB, { members: false });
      assert.deepEqual(
        desired?.pools.map((p) => [p.id, p.members]),
        [['pool-desired', []]],
      );
    });
  });
}
