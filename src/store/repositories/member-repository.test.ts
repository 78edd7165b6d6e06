import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  insertBareLoadBalancer,
  insertPoolWithMembers,
  memberRow,
} from '../../../test/helpers/member-rows.ts';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import { insertMembers, listMembers, setMembersStatus, updateMembers } from './member-repository.ts';

/** More rows than one statement may bind: 2,000 members × 18 columns is over SQLite's 32,766 variables. */
const MANY = 2000;
const LB = 'lb-members';

for (const dialect of storeDialects()) {
  describe(`member repository on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
      await insertBareLoadBalancer(store.db, LB);
    });
    after(async () => store.close());

    it('inserts more members in one call than one statement can bind, each with its own fields', async () => {
      await insertPoolWithMembers(store.db, LB, 'pool-insert', MANY);
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

    it('stores every text as given, nulls as null, whatever quotes, braces, commas or backslashes it holds', async () => {
      await insertPoolWithMembers(store.db, LB, 'pool-text', 0);
      const names = ['NULL', 'a "quoted", {braced} name', 'back\\slash\\', "it's", '', 'ünï €', null];
      await insertMembers(
        store.db,
        names.map((name, i) => ({
          ...memberRow(LB, 'pool-text', i),
          name,
          monitorAddress: i % 2 === 0 ? null : '127.0.0.9',
          tags: [`{x}`, `"y"`],
        })),
      );
      const stored = await listMembers(store.db, 'pool-text');
      assert.deepEqual(
        stored.map((m) => [m.name, m.monitorAddress, m.tags]),
        names.map((name, i) => [name, i % 2 === 0 ? null : '127.0.0.9', ['{x}', '"y"']]),
      );
    });

    it('gives the named members the same changes and status, and leaves the others alone', async () => {
      await insertPoolWithMembers(store.db, LB, 'pool-update', MANY);
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
