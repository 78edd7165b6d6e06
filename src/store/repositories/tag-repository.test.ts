// Neutron tags and descriptions against a real store, on every dialect: tags read back sorted per resource,
// replace and add are idempotent, removal reports a missing tag, and descriptions round-trip (migration 008).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import { createNetwork, getNetwork, updateNetwork } from './network-repository.ts';
import { addTag, deleteTagsOf, hasTag, removeTag, replaceTags, tagsOf } from './tag-repository.ts';

for (const dialect of storeDialects()) {
  describe(`Neutron tags and descriptions (${dialect.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(() => store.close());

    it('keeps a set of tags per resource, sorted, and forgets them with the resource', async () => {
      await replaceTags(store.db, 'a', ['red', 'blue']);
      await addTag(store.db, 'a', 'blue');
      await addTag(store.db, 'b', 'green');
      assert.deepEqual(
        [...(await tagsOf(store.db, ['a', 'b', 'c'])).entries()],
        [
          ['a', ['blue', 'red']],
          ['b', ['green']],
          ['c', []],
        ],
      );
      assert.equal(await hasTag(store.db, 'a', 'red'), true);
      assert.equal(await removeTag(store.db, 'a', 'red'), true);
      assert.equal(await removeTag(store.db, 'a', 'red'), false);
      await replaceTags(store.db, 'a', []);
      await deleteTagsOf(store.db, ['b']);
      assert.deepEqual([...(await tagsOf(store.db, ['a', 'b'])).values()], [[], []]);
    });

    it('stores a network description, "" unless given', async () => {
      const plain = await createNetwork(store.db, { projectId: 'p' });
      assert.equal(plain.description, '');
      const described = await createNetwork(store.db, { projectId: 'p', description: 'd' });
      assert.equal((await getNetwork(store.db, described.id))?.description, 'd');
      assert.equal((await updateNetwork(store.db, plain.id, { description: 'e' })).description, 'e');
    });
  });
}
