// Secrets at rest: the SQLite file never holds a payload's bytes (nor their base64), a restart with the
// same key file reads the payload back, and a restart with another key stops with a clear error.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openStore } from '../database.ts';
import { createSecretCipher } from '../secret-cipher.ts';
import { loadSecretStoreKey } from '../secret-store-key.ts';
import { checkStoreKey, createSecret, readPayload } from './secret-repository.ts';
import { opaqueSecret } from './secret-test-fixtures.ts';

const METADATA = opaqueSecret('p1', 'tls');

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-secrets-'));
  dirs.push(dir);
  return dir;
}

/** Every byte SQLite wrote for the database: the main file, its WAL and its journal. */
function databaseBytes(file: string): Buffer {
  const parts = [file, `${file}-wal`, `${file}-journal`].filter((f) => fs.existsSync(f));
  return Buffer.concat(parts.map((f) => fs.readFileSync(f)));
}

describe('secret repository at rest', () => {
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps no plaintext of a stored payload in the SQLite file, and reads it back after a restart', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'sluice.db');
    const marker = Buffer.from(`-----BEGIN PRIVATE KEY----- ${randomBytes(24).toString('hex')} END`);
    let store = await openStore(`sqlite:${file}`);
    const cipher = createSecretCipher(loadSecretStoreKey(dir, undefined));
    await checkStoreKey(store.db, cipher);
    const secret = await createSecret(store.db, cipher, METADATA, {
      bytes: marker,
      contentType: 'application/octet-stream',
    });
    const onDisk = databaseBytes(file);
    assert.ok(
      onDisk.includes(Buffer.from('tls')),
      'the metadata is in the file, so the scan reads real rows',
    );
    assert.equal(onDisk.includes(marker), false);
    assert.equal(onDisk.includes(Buffer.from(marker.toString('base64'))), false);
    assert.equal(onDisk.includes(Buffer.from(marker.toString('hex'))), false);
    await store.close();

    store = await openStore(`sqlite:${file}`);
    const again = createSecretCipher(loadSecretStoreKey(dir, undefined));
    await checkStoreKey(store.db, again);
    assert.deepEqual(await readPayload(store.db, again, secret.id), marker);
    await store.close();
  });

  it('refuses to start with a key other than the one the secrets were stored with', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'sluice.db');
    let store = await openStore(`sqlite:${file}`);
    await checkStoreKey(store.db, createSecretCipher(loadSecretStoreKey(dir, undefined)));
    await store.close();
    store = await openStore(`sqlite:${file}`);
    const wrong = createSecretCipher(randomBytes(32));
    await assert.rejects(
      checkStoreKey(store.db, wrong),
      /the secret store key does not open this database's secrets .*restore the original secret-store.key or SLUICE_SECRET_STORE_KEY/,
    );
    await store.close();
  });
});
