// Where the secret store's key lives, outside the database: env SLUICE_SECRET_STORE_KEY (base64 of 32
// bytes) when set, else the 0600 file `secret-store.key` in the data directory, created on first start.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './database.ts';
import { PRIVATE_FILE_MODE } from './private-files.ts';
import { checkStoreKey } from './repositories/secret-repository.ts';
import { createSecretCipher, SECRET_KEY_BYTES, type SecretCipher } from './secret-cipher.ts';

export const SECRET_STORE_KEY_FILE = 'secret-store.key';

/** The key from `envKey` (base64) or from the data directory's key file, which is made if missing. */
export function loadSecretStoreKey(dataDir: string, envKey: string | undefined): Buffer {
  if (envKey !== undefined) return decodeKey(envKey, 'SLUICE_SECRET_STORE_KEY');
  const file = path.join(dataDir, SECRET_STORE_KEY_FILE);
  try {
    // `wx`: only the first start writes a key; a second writer fails with EEXIST and reads the first's.
    fs.writeFileSync(file, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, {
      flag: 'wx',
      mode: PRIVATE_FILE_MODE,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new Error(`${file} is readable by others (mode ${mode.toString(8)}); make it 0600`);
  return decodeKey(fs.readFileSync(file, 'utf8'), file);
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== SECRET_KEY_BYTES)
    throw new Error(`${source} must hold the base64 of ${SECRET_KEY_BYTES} bytes`);
  return key;
}

/** The secret store's cipher for this deployment: its key loaded (or made), checked against the database. */
export async function openSecretCipher(
  db: Db,
  dataDir: string,
  envKey: string | undefined,
): Promise<SecretCipher> {
  const cipher = createSecretCipher(loadSecretStoreKey(dataDir, envKey));
  await checkStoreKey(db, cipher);
  return cipher;
}
