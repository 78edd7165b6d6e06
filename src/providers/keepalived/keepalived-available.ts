// Whether this host can run keepalived for VRRP: the binary exists and executes (`keepalived --version`).
// The agent should offer keepalived-backed ACTIVE_STANDBY only where this holds.
import { spawnSync } from 'node:child_process';

export const DEFAULT_KEEPALIVED_BINARY = '/usr/sbin/keepalived';

export function keepalivedAvailable(binary: string = DEFAULT_KEEPALIVED_BINARY): boolean {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 && /Keepalived v\d/.test(`${result.stdout}${result.stderr}`);
}
