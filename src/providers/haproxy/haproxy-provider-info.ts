// The haproxy provider's identity for the API (name, description, flavor capabilities, the 501 check) and the
// host limit that bounds the global maxconn it renders. Importable where no HAProxy runs (the API server).
import fs from 'node:fs';
import { TOPOLOGY_CAPABILITY } from '../../model/provider-capabilities.ts';
import type { ProviderInfo } from '../../model/provider-driver.ts';
import { unsupportedOptions } from './unsupported-options.ts';

/** What the API lists and checks for `haproxy` (also usable where no HAProxy runs, e.g. the API server). */
export const haproxyProviderInfo: ProviderInfo = {
  name: 'haproxy',
  description: 'One HAProxy process per load balancer.',
  unsupportedOptions,
  // Like native: topology is accepted for flavor compatibility with the amphora driver (reference §10.2);
  // ACTIVE_STANDBY runs like SINGLE here (no keepalived/VRRP peer, no stick-table peers).
  flavorCapabilities: [TOPOLOGY_CAPABILITY],
};

/**
 * HAProxy reserves about 2.5 descriptors per connection (both sides, plus splice pipes: maxpipes = maxconn/4)
 * and refuses to start when it cannot raise its limit that far, so the global maxconn stays under what this
 * host's hard RLIMIT_NOFILE allows (HAProxy inherits ours).
 */
export function maxConnectionsForFileLimit(): number | undefined {
  try {
    const line = fs
      .readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const hard = line?.split(/\s{2,}/)[2];
    if (!hard || hard === 'unlimited') return undefined;
    return Math.max(256, Math.floor((Number(hard) - 1000) / 3));
  } catch {
    return undefined;
  }
}
