// The admin-openrc file: the OS_* variables a client needs to act as the bootstrap admin, written
// atomically with mode 0600 into the data directory (identity-networking-v1.md §1.4).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SluiceConfig } from '../config/config.ts';

export const ADMIN_OPENRC = 'admin-openrc';

export function adminOpenrcPath(config: Pick<SluiceConfig, 'dataDir'>): string {
  return path.join(config.dataDir, ADMIN_OPENRC);
}

/** Single-quotes a value for sh when it needs it, so any password survives `. admin-openrc`. */
function shellQuote(value: string): string {
  return /^[\w.:/@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

export function renderAdminOpenrc(publicUrl: string, password: string): string {
  return [
    '# Sluice admin credentials: `. ./admin-openrc` then use the openstack client.',
    `export OS_AUTH_URL=${shellQuote(`${publicUrl}/v3`)}`,
    'export OS_USERNAME=admin',
    `export OS_PASSWORD=${shellQuote(password)}`,
    'export OS_PROJECT_NAME=admin',
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    'export OS_IDENTITY_API_VERSION=3',
    '',
  ].join('\n');
}

/** Writes the file through a 0600 temporary file and a rename, so it is never readable by others. */
export async function writeAdminOpenrc(
  config: Pick<SluiceConfig, 'dataDir' | 'publicUrl'>,
  password: string,
): Promise<string> {
  const target = adminOpenrcPath(config);
  await fs.mkdir(config.dataDir, { recursive: true });
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, renderAdminOpenrc(config.publicUrl, password), { mode: 0o600, flag: 'wx' });
    await fs.chmod(temporary, 0o600);
    await fs.rename(temporary, target);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return target;
}

/** The password recorded in an existing admin-openrc, or null when there is none. */
export async function readAdminOpenrcPassword(config: Pick<SluiceConfig, 'dataDir'>): Promise<string | null> {
  let text: string;
  try {
    text = await fs.readFile(adminOpenrcPath(config), 'utf8');
  } catch {
    return null;
  }
  const match = /^export OS_PASSWORD=(?:'((?:[^']|'\\'')*)'|([\w.:/@%+=,-]+))$/m.exec(text);
  if (!match) return null;
  return match[2] ?? match[1].replaceAll(`'\\''`, "'");
}
