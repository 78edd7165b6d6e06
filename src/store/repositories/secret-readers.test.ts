// The resolution cache of the store's secret readers, through the real store and the real cipher: a second
// resolution decrypts nothing, and a deleted secret, another project's or a changed container is never
// served from it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestPki, opensslMissing, type TestPki } from '../../../test/helpers/test-pki.ts';
import { openStore, type Store } from '../database.ts';
import { ResolutionCache } from '../resolution-cache.ts';
import { createSecretCipher, type SecretCipher } from '../secret-cipher.ts';
import { createContainer } from './secret-container-repository.ts';
import { storeSecretReaders } from './secret-readers.ts';
import { createSecret, deleteSecret, storePayload } from './secret-repository.ts';
import { opaqueSecret } from './secret-test-fixtures.ts';
import { resolveListenerTls } from './tls-resolution.ts';

const PROJECT = 'p1';
const METADATA = opaqueSecret(PROJECT);
const OCTETS = 'application/octet-stream';

/** The real cipher, counting how often a payload is decrypted. */
function countingCipher(): SecretCipher & { opens: number } {
  const real = createSecretCipher(randomBytes(32));
  const counting = {
    opens: 0,
    fingerprint: real.fingerprint,
    seal: real.seal,
    open(id: string, sealed: Parameters<SecretCipher['open']>[1]) {
      counting.opens += 1;
      return real.open(id, sealed);
    },
  };
  return counting;
}

describe('secret readers: the resolution cache', { skip: opensslMissing }, () => {
  let pki: TestPki;
  let store: Store;
  let bundle: Buffer;
  before(async () => {
    [pki, store] = await Promise.all([createTestPki(), openStore('sqlite::memory:')]);
    bundle = await pki.pkcs12(await pki.server(['www.example.test']));
  });
  after(() => Promise.all([pki.remove(), store.close()]));

  const listener = (defaultRef: string, projectId = PROJECT) => ({
    id: 'l1',
    projectId,
    protocol: 'TERMINATED_HTTPS',
    defaultRef,
    sniRefs: [],
    clientCaRef: null,
    clientCrlRef: null,
  });

  it('decrypts and parses a PKCS#12 secret once, then answers from the cache', async () => {
    const cipher = countingCipher();
    const readers = storeSecretReaders(store.db, cipher);
    const secret = await createSecret(store.db, cipher, METADATA, { bytes: bundle, contentType: OCTETS });
    const ref = `http://127.0.0.1:9311/v1/secrets/${secret.id}`;
    const first = await resolveListenerTls(readers, listener(ref));
    assert.equal(cipher.opens, 1);
    const second = await resolveListenerTls(readers, listener(secret.id));
    assert.equal(cipher.opens, 1, 'the second resolution, by the bare UUID, decrypted again');
    assert.equal(second?.defaultCertificate, first?.defaultCertificate);
  });

  it('no longer serves a deleted secret', async () => {
    const cipher = countingCipher();
    const readers = storeSecretReaders(store.db, cipher);
    const secret = await createSecret(store.db, cipher, METADATA, { bytes: bundle, contentType: OCTETS });
    assert.ok(await resolveListenerTls(readers, listener(secret.id)));
    await deleteSecret(store.db, secret.id);
    await assert.rejects(resolveListenerTls(readers, listener(secret.id)), {
      message: `listener l1: certificate ref ${secret.id} could not be resolved: no secret or certificate container ${secret.id}`,
    });
  });

  it('keeps projects apart: the same ref read for another project is not served from the cache', async () => {
    const cipher = countingCipher();
    const readers = storeSecretReaders(store.db, cipher);
    const secret = await createSecret(store.db, cipher, METADATA, { bytes: bundle, contentType: OCTETS });
    assert.ok(await resolveListenerTls(readers, listener(secret.id)));
    await assert.rejects(resolveListenerTls(readers, listener(secret.id, 'p2')), /could not be resolved/);
  });

  it('reads a metadata-only secret afresh once its payload is set', async () => {
    const cipher = countingCipher();
    const readers = storeSecretReaders(store.db, cipher);
    const secret = await createSecret(store.db, cipher, METADATA, undefined);
    await assert.rejects(resolveListenerTls(readers, listener(secret.id)), /could not be resolved/);
    assert.ok(await storePayload(store.db, cipher, secret.id, { bytes: bundle, contentType: OCTETS }));
    assert.ok(await resolveListenerTls(readers, listener(secret.id)));
    assert.ok(await resolveListenerTls(readers, listener(secret.id)));
    assert.equal(cipher.opens, 1);
  });

  it('caches a legacy container, and drops it when one of its secrets is deleted', async () => {
    const cipher = countingCipher();
    const readers = storeSecretReaders(store.db, cipher);
    const issued = await pki.server(['legacy.example.test']);
    const [certificate, privateKey] = await Promise.all(
      [issued.certificate, issued.privateKey].map((pem) =>
        createSecret(store.db, cipher, METADATA, { bytes: Buffer.from(pem), contentType: OCTETS }),
      ),
    );
    const container = await createContainer(store.db, {
      projectId: PROJECT,
      creatorId: 'u1',
      name: null,
      type: 'certificate',
      secretRefs: [
        { name: 'certificate', secretId: certificate.id },
        { name: 'private_key', secretId: privateKey.id },
      ],
    });
    const ref = `http://127.0.0.1:9311/v1/containers/${container.id}`;
    const first = await resolveListenerTls(readers, listener(ref));
    const opens = cipher.opens;
    assert.deepEqual(first?.defaultCertificate.names, ['legacy.example.test']);
    assert.ok(await resolveListenerTls(readers, listener(ref)));
    assert.equal(cipher.opens, opens);
    await deleteSecret(store.db, privateKey.id);
    await assert.rejects(resolveListenerTls(readers, listener(ref)), /could not be resolved/);
  });

  it('stays within its bound, dropping the least recently used entry', async () => {
    const cipher = countingCipher();
    const readers = storeSecretReaders(store.db, cipher, new ResolutionCache(2));
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createSecret(store.db, cipher, METADATA, { bytes: bundle, contentType: OCTETS })).id);
    const [a, b, c] = ids;
    for (const id of [a, b, a, c]) await resolveListenerTls(readers, listener(id));
    assert.equal(cipher.opens, 3);
    await resolveListenerTls(readers, listener(a));
    assert.equal(cipher.opens, 3, 'a, used again after b, was kept');
    await resolveListenerTls(readers, listener(b));
    assert.equal(cipher.opens, 4, 'b, the least recently used, was dropped');
  });
});
