// The providers the conformance suite runs against: SLUICE_CONFORMANCE_PROVIDER names one; by default every
// provider with a data plane that this host can run (native always, haproxy when its binary is installed).
import { haproxyAvailable } from '../../src/providers/haproxy/haproxy-available.ts';

export function conformanceProviders(): string[] {
  const chosen = process.env.SLUICE_CONFORMANCE_PROVIDER;
  if (chosen) return [chosen];
  if (!haproxyAvailable())
    console.log('# conformance: haproxy is not installed; the haproxy provider is skipped');
  return ['native', ...(haproxyAvailable() ? ['haproxy'] : [])];
}
