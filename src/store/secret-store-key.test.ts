// The secret store key outside the database: made once as a 0600 file in the data directory and reused
// across restarts, or taken from SLUICE_SECRET_STORE_KEY; bad keys and loose file modes are start errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSecretStoreKey, SECRET_STORE_KEY_FILE } from './secret-store-key.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-key-'));
  dirs.push(dir);
  return dir;
};

describe('secret store key', () => {
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates secret-store.key with mode 0600 on first start and reads the same key afterwards', () => {
    const dir = tempDir();
    const first = loadSecretStoreKey(dir, undefined);
    const file = path.join(dir, SECRET_STORE_KEY_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(first.length, 32);
    assert.deepEqual(loadSecretStoreKey(dir, undefined), first);
  });

  it('takes the key from SLUICE_SECRET_STORE_KEY and writes no file', () => {
    const dir = tempDir();
    const key = Buffer.alloc(32, 9);
    assert.deepEqual(loadSecretStoreKey(dir, key.toString('base64')), key);
    assert.equal(fs.existsSync(path.join(dir, SECRET_STORE_KEY_FILE)), false);
  });

  it('refuses keys that are not the base64 of 32 bytes', () => {
    assert.throws(
      () => loadSecretStoreKey(tempDir(), Buffer.alloc(16).toString('base64')),
      /SLUICE_SECRET_STORE_KEY must hold the base64 of 32 bytes/,
    );
    assert.throws(() => loadSecretStoreKey(tempDir(), 'not base64!'), /must hold the base64 of 32 bytes/);
  });

  it('refuses a key file others can read', () => {
    const dir = tempDir();
    loadSecretStoreKey(dir, undefined);
    fs.chmodSync(path.join(dir, SECRET_STORE_KEY_FILE), 0o644);
    assert.throws(
      () => loadSecretStoreKey(dir, undefined),
      /is readable by others \(mode 644\); make it 0600/,
    );
  });
});
