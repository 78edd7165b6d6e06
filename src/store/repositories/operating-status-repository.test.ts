import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { insertBareLoadBalancer, insertPoolWithMembers } from '../../../test/helpers/member-rows.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { OperatingStatus } from '../../model/statuses.ts';
import type { Db, Store } from '../database.ts';
import { listMembers } from './member-repository.ts';
import { writeOperatingStatuses } from './operating-status-repository.ts';
import { EVENTS_KEPT } from './status-event-repository.ts';

const LB = 'lb-statuses';
const COUNT = 10_000;

/** `db` with every statement it runs counted in `counter.statements`. */
function counted(db: Db): { db: Db; counter: { statements: number } } {
  const counter = { statements: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.statements += 1;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), counter };
}

for (const dialect of storeDialects()) {
  describe(`operating status writes on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await insertBareLoadBalancer(store.db, LB);
      await insertPoolWithMembers(store.db, LB, 'pool-a', COUNT);
    });
    after(async () => store.close());

    it('writes the statuses of a pool of 10,000 members in a few statements, each member its own, and the last events of each step', async () => {
      const status = (i: number): OperatingStatus => (['ONLINE', 'ERROR', 'NO_MONITOR'] as const)[i % 3];
      const members = new Map<string, OperatingStatus>(
        Array.from({ length: COUNT }, (_, i) => [`pool-a-m${i}`, status(i)] as const),
      );
      const { db, counter } = counted(store.db);
      await writeOperatingStatuses(
        db,
        LB,
        {
          loadBalancer: 'DEGRADED',
          listeners: new Map(),
          pools: new Map([['pool-a', 'DEGRADED']]),
          members,
        },
        'agent a',
      );
      // Each UPDATE is preceded by the one INSERT … SELECT recording its changes.
      assert.ok(counter.statements <= 16, `${counter.statements} statements`);
      const events = await store.db
        .selectFrom('status_events')
        .select(['resource_id', 'from_status', 'to_status', 'reason'])
        .where('resource_type', '=', 'member')
        .where('field', '=', 'operating_status')
        .execute();
      // Members start NO_MONITOR: only those reported ONLINE or ERROR changed, one statement per status, each
      // recording the last EVENTS_KEPT of its members (the rest would be pruned unread).
      assert.equal(events.length, 2 * EVENTS_KEPT);
      for (const to of ['ONLINE', 'ERROR'] as const) {
        const changed = [...members].filter(([, s]) => s === to).map(([id]) => id);
        const newest = changed.sort().slice(-EVENTS_KEPT);
        const recorded = events.filter((e) => e.to_status === to).map((e) => e.resource_id);
        assert.deepEqual(recorded.sort(), newest);
      }
      for (const e of events) {
        assert.equal(e.from_status, 'NO_MONITOR');
        assert.equal(e.to_status, members.get(e.resource_id));
        // In the health check's words: ERROR is a member found DOWN, ONLINE one found UP.
        assert.equal(e.reason, `agent a reported member ${e.to_status === 'ERROR' ? 'DOWN' : 'UP'}`);
      }
      const stored = await listMembers(store.db, 'pool-a');
      assert.equal(stored.length, COUNT);
      for (const m of stored) assert.equal(m.operatingStatus, members.get(m.id), m.id);
      const pool = await store.db
        .selectFrom('pools')
        .select('operating_status')
        .where('id', '=', 'pool-a')
        .executeTakeFirst();
      assert.equal(pool?.operating_status, 'DEGRADED');
    });
  });
}
