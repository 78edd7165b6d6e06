import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertBareLoadBalancer, placeOnAgent } from '../../../test/helpers/member-rows.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import {
  ACCESS_LOG_RETAINED,
  droppedAccessLogs,
  listAccessLogs,
  recordAccessLogs,
} from './access-log-repository.ts';

const AT = '2026-12-06T00:00:00.000Z';

const line = (listener: string, i: number) =>
  `${listener} 127.0.0.1 4000${i % 10} 06/Dec/2026:00:00:00.000 "GET /${i} HTTP/1.1" 200 10 20 - "" p m 1 ----`;

for (const dialect of storeDialects()) {
  describe(`access log store on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await store.db
        .insertInto('agents')
        .values({ id: 'agent-1', name: 'a', token_hash: 'h1', created_at: AT })
        .execute();
      for (const lb of ['lb-a', 'lb-b', 'lb-full']) await insertBareLoadBalancer(store.db, lb);
      await placeOnAgent(store.db, 'lb-a', 'agent-1');
      await placeOnAgent(store.db, 'lb-b', 'agent-1', 'BACKUP');
      await placeOnAgent(store.db, 'lb-full', 'agent-1');
    });
    after(async () => store.close());

    it('stores lines with project and load balancer ids in front, readable oldest first after a marker', async () => {
      await recordAccessLogs(store.db, 'agent-1', {
        'lb-a': { lines: [line('l1', 1), line('l2', 2), line('l1', 3)], dropped: 4 },
      });
      const all = await listAccessLogs(store.db, 'lb-a', { marker: 0, limit: 10 });
      assert.deepEqual(
        all.map((r) => [r.listenerId, r.line]),
        [
          ['l1', `project-a lb-a ${line('l1', 1)}`],
          ['l2', `project-a lb-a ${line('l2', 2)}`],
          ['l1', `project-a lb-a ${line('l1', 3)}`],
        ],
      );
      const [first, second] = all;
      assert.ok(first && second && first.id < second.id);
      const after = await listAccessLogs(store.db, 'lb-a', { marker: first?.id ?? 0, limit: 1 });
      assert.deepEqual(
        after.map((r) => r.line),
        [`project-a lb-a ${line('l2', 2)}`],
      );
      const l1 = await listAccessLogs(store.db, 'lb-a', { marker: 0, limit: 10, listenerId: 'l1' });
      assert.equal(l1.length, 2);
      await recordAccessLogs(store.db, 'agent-1', { 'lb-a': { lines: [], dropped: 3 } });
      assert.equal(await droppedAccessLogs(store.db, 'lb-a'), 7);
    });

    it('ignores lines for a load balancer the agent does not serve (a BACKUP placement, or none)', async () => {
      await recordAccessLogs(store.db, 'agent-1', {
        'lb-b': { lines: [line('l1', 1)], dropped: 1 },
        'lb-none': { lines: [line('l1', 1)], dropped: 0 },
      });
      assert.deepEqual(await listAccessLogs(store.db, 'lb-b', { marker: 0, limit: 10 }), []);
      assert.equal(await droppedAccessLogs(store.db, 'lb-b'), 0);
      assert.deepEqual(await listAccessLogs(store.db, 'lb-none', { marker: 0, limit: 10 }), []);
    });

    it(`keeps only the newest ${ACCESS_LOG_RETAINED} lines of a load balancer`, async () => {
      const batch = (from: number) => Array.from({ length: 4000 }, (_, i) => line('l1', from + i));
      for (const from of [0, 4000, 8000]) {
        await recordAccessLogs(store.db, 'agent-1', { 'lb-full': { lines: batch(from), dropped: 0 } });
      }
      const kept = await listAccessLogs(store.db, 'lb-full', { marker: 0, limit: 20_000 });
      assert.equal(kept.length, ACCESS_LOG_RETAINED);
      assert.equal(kept[0]?.line, `project-a lb-full ${line('l1', 2000)}`);
      assert.equal(kept.at(-1)?.line, `project-a lb-full ${line('l1', 11_999)}`);
    });
  });
}
