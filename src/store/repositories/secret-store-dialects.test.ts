// The secret store's repositories on every store dialect: sealed payloads read back, listing with filters,
// ACL user matching and paging counts, ACL replace/merge, containers with ordered refs and consumers.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import { createSecretCipher } from '../secret-cipher.ts';
import { getAcls, saveAcls } from './secret-acl-repository.ts';
import {
  addConsumer,
  createContainer,
  deleteContainer,
  getContainer,
  listContainers,
  removeConsumer,
} from './secret-container-repository.ts';
import { createSecret, deleteSecret, getSecret, listSecrets, readPayload } from './secret-repository.ts';

const cipher = createSecretCipher(randomBytes(32));
const metadata = (projectId: string, name: string, bitLength: number | null = null) => ({
  projectId,
  creatorId: 'creator',
  name,
  secretType: 'opaque',
  algorithm: bitLength ? 'aes' : null,
  bitLength,
  mode: null,
  expiration: null,
});

for (const dialect of storeDialects()) {
  describe(`secret store repositories on ${dialect.name}`, () => {
    let store: Store;
    before(async () => {
      store = await dialect.open();
    });
    after(() => store.close());

    it('reads back sealed payloads and lists a project’s secrets with filters and counts', async () => {
      const bytes = Buffer.from([0, 0xff, 1, 2]);
      const a = await createSecret(store.db, cipher, metadata('p1', 'alpha', 256), {
        bytes,
        contentType: 'application/octet-stream',
      });
      await createSecret(store.db, cipher, metadata('p1', 'beta', 128), undefined);
      await createSecret(store.db, cipher, metadata('p2', 'gamma'), undefined);
      assert.deepEqual(await readPayload(store.db, cipher, a.id), bytes);
      assert.equal((await getSecret(store.db, a.id))?.contentType, 'application/octet-stream');
      const all = await listSecrets(store.db, 'p1', {}, { offset: 0, limit: 10 });
      assert.equal(all.total, 2);
      const page = await listSecrets(store.db, 'p1', { sort: [['name', 'desc']] }, { offset: 0, limit: 1 });
      assert.deepEqual([page.total, page.secrets.map((s) => s.name)], [2, ['beta']]);
      const filtered = await listSecrets(
        store.db,
        'p1',
        { name: 'al%', bitLength: 256 },
        { offset: 0, limit: 10 },
      );
      assert.deepEqual(
        filtered.secrets.map((s) => s.name),
        ['alpha'],
      );
      await saveAcls(store.db, 'secret', a.id, new Map([['read', { users: ['reader-1'] }]]), true);
      const shared = await listSecrets(store.db, 'p9', { aclUser: 'reader-1' }, { offset: 0, limit: 10 });
      assert.deepEqual(
        shared.secrets.map((s) => s.name),
        ['alpha'],
      );
      await deleteSecret(store.db, a.id);
      assert.equal(await getSecret(store.db, a.id), undefined);
      assert.deepEqual(await getAcls(store.db, 'secret', a.id), []);
    });

    it('replaces ACLs on PUT and merges them on PATCH', async () => {
      await saveAcls(
        store.db,
        'container',
        'c1',
        new Map([['read', { users: ['u1'], projectAccess: false }]]),
        true,
      );
      await saveAcls(store.db, 'container', 'c1', new Map([['read', { projectAccess: true }]]), false);
      let [acl] = await getAcls(store.db, 'container', 'c1');
      assert.deepEqual([acl.users, acl.projectAccess], [['u1'], true]);
      await saveAcls(store.db, 'container', 'c1', new Map([['read', {}]]), true);
      [acl] = await getAcls(store.db, 'container', 'c1');
      assert.deepEqual([acl.users, acl.projectAccess], [[], true]);
    });

    it('keeps a container’s refs in order with its consumers, and deletes them with it', async () => {
      const container = await createContainer(store.db, {
        projectId: 'p1',
        creatorId: 'creator',
        name: 'tls',
        type: 'certificate',
        secretRefs: [
          { name: 'certificate', secretId: 's-cert' },
          { name: 'private_key', secretId: 's-key' },
        ],
      });
      assert.deepEqual(
        container.secretRefs.map((r) => r.name),
        ['certificate', 'private_key'],
      );
      await addConsumer(store.db, container.id, { name: 'lb', url: 'http://x/1', projectId: 'p1' });
      await addConsumer(store.db, container.id, { name: 'lb', url: 'http://x/1', projectId: 'p1' });
      assert.equal((await getContainer(store.db, container.id))?.consumers.length, 1);
      assert.equal(await removeConsumer(store.db, container.id, 'lb', 'http://x/1'), true);
      assert.equal(await removeConsumer(store.db, container.id, 'lb', 'http://x/1'), false);
      const listed = await listContainers(store.db, 'p1', { type: 'certificate' }, { offset: 0, limit: 10 });
      assert.equal(listed.total, 1);
      await deleteContainer(store.db, container.id);
      assert.equal(await getContainer(store.db, container.id), undefined);
    });
  });
}
