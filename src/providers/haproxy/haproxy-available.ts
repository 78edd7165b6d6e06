// Whether this host can run the haproxy provider: the binary exists and executes (`haproxy -v`). The agent
// advertises the provider only where this holds (issue #5).
import { spawnSync } from 'node:child_process';

export const DEFAULT_HAPROXY_BINARY = '/usr/sbin/haproxy';

export function haproxyAvailable(binary: string = DEFAULT_HAPROXY_BINARY): boolean {
  const result = spawnSync(binary, ['-v'], { encoding: 'utf8', timeout: 5000 });
  return result.status === 0 && /HAProxy version/i.test(result.stdout);
}
