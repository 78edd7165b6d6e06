// Test support for the keepalived provider: the skip reason when keepalived is missing and `keepalived -t` on a
// file, reduced to the lines it complains with.
import { spawnSync } from 'node:child_process';
import { DEFAULT_KEEPALIVED_BINARY, keepalivedAvailable } from './keepalived-available.ts';

export const KEEPALIVED = process.env.SLUICE_KEEPALIVED ?? DEFAULT_KEEPALIVED_BINARY;

/** `false` when keepalived runs here, else the reason node:test prints for the skipped test. */
export const skipWithoutKeepalived: false | string = keepalivedAvailable(KEEPALIVED)
  ? false
  : `keepalived not found or not runnable at ${KEEPALIVED} (install Debian's keepalived package)`;

/** `keepalived -t -f file`: its exit status and every line it printed. */
export function keepalivedCheck(file: string): { ok: boolean; complaints: string[] } {
  const result = spawnSync(KEEPALIVED, ['-t', '-f', file], { encoding: 'utf8', timeout: 10_000 });
  const complaints = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  return { ok: result.status === 0, complaints };
}
