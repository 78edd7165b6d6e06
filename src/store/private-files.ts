// Modes of Sluice's state on disk: the data directory and the database hold every tenant's objects and the
// admin credentials, so nobody but the service's user reads them, whatever the umask.
import fs from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates the directory (and missing parents) and makes the directory itself 0700. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}
