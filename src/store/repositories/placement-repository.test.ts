import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertBareLoadBalancer, placeOnAgent } from '../../../test/helpers/member-rows.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { ProviderReport } from '../../model/provider-driver.ts';
import type { Store } from '../database.ts';
import { recordObservations } from './placement-repository.ts';

const AT = '2026-12-06T00:00:00.000Z';
const observation = (status: 'UP' | 'DOWN'): ProviderReport => ({
  listeners: {},
  pools: { pool: { status: 'UP', members: { member: status } } },
});

for (const dialect of storeDialects()) {
  describe(`agent observations on ${dialect.name}`, () => {
    let store: Store;
    /** each placement's report and reported_at, by load balancer and role */
    const rows = async () =>
      Object.fromEntries(
        (
          await store.db
            .selectFrom('amphorae')
            .select(['load_balancer_id', 'role', 'report', 'reported_at'])
            .orderBy('load_balancer_id')
            .execute()
        ).map((r) => [
          `${r.load_balancer_id}/${r.role}`,
          { report: r.report && JSON.parse(r.report), at: r.reported_at },
        ]),
      );

    before(async () => {
      store = await dialect.open();
      for (const id of ['agent-1', 'agent-2'])
        await store.db
          .insertInto('agents')
          .values({ id, name: id, token_hash: `h-${id}`, created_at: AT })
          .execute();
      for (const lb of ['lb-a', 'lb-b', 'lb-c', 'lb-d']) await insertBareLoadBalancer(store.db, lb);
      await placeOnAgent(store.db, 'lb-a', 'agent-1');
      await placeOnAgent(store.db, 'lb-b', 'agent-1');
      await placeOnAgent(store.db, 'lb-c', 'agent-2');
      // A BACKUP outside any VRRP group: not serving, its observation is not kept.
      await placeOnAgent(store.db, 'lb-d', 'agent-1', 'BACKUP');
    });
    after(async () => store.close());

    it("keeps every observation of one report on the agent's serving placements, and no one else's", async () => {
      await recordObservations(store.db, 'agent-1', {
        'lb-a': observation('UP'),
        'lb-b': observation('DOWN'),
        'lb-c': observation('UP'),
        'lb-d': observation('UP'),
      });
      const kept = await rows();
      assert.deepEqual(kept['lb-a/STANDALONE'].report, observation('UP'));
      assert.deepEqual(kept['lb-b/STANDALONE'].report, observation('DOWN'));
      assert.equal(kept['lb-c/STANDALONE'].report, null, "another agent's placement is not written");
      assert.equal(kept['lb-d/BACKUP'].report, null, 'an ungrouped BACKUP is not written');
      assert.ok(kept['lb-a/STANDALONE'].at);
    });

    it('writes an observation sent again unchanged nowhere, so reported_at says when it last changed', async () => {
      await store.db
        .updateTable('amphorae')
        .set({ reported_at: AT })
        .where('load_balancer_id', 'in', ['lb-a', 'lb-b'])
        .execute();
      await recordObservations(store.db, 'agent-1', {
        'lb-a': observation('UP'),
        'lb-b': observation('UP'),
      });
      const kept = await rows();
      assert.equal(kept['lb-a/STANDALONE'].at, AT);
      assert.deepEqual(kept['lb-b/STANDALONE'].report, observation('UP'));
      assert.notEqual(kept['lb-b/STANDALONE'].at, AT);
    });

    it('does nothing for a report without observations', async () => {
      const before = await rows();
      await recordObservations(store.db, 'agent-1', {});
      assert.deepEqual(await rows(), before);
    });
  });
}
