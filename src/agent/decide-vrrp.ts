// Whether an agent runs keepalived for ACTIVE_STANDBY (`--vrrp auto|on|off`, docs/ha.md "VRRP layout"): `auto`
// turns it on where it can work, `on` insists and names what is missing, `off` never runs it.
import type { VrrpMode } from '../config/config.ts';

export type VrrpFacts = Readonly<{
  /** a keepalived binary runs here (keepalived-available.ts) */
  keepalived: boolean;
  /** the agent runs as root (keepalived, addresses and the nonlocal-bind sysctls need it) */
  root: boolean;
  /** how many --interface-mapping the agent has (keepalived's instances live on mapped interfaces) */
  mappings: number;
}>;

/** true to run keepalived; throws for `on` when a condition is missing, with every missing one named. */
export function decideVrrp(mode: VrrpMode, facts: VrrpFacts): boolean {
  if (mode === 'off') return false;
  const missing = [
    ...(facts.keepalived ? [] : ['no runnable keepalived binary']),
    ...(facts.root ? [] : ['the agent is not root']),
    ...(facts.mappings > 0 ? [] : ['no --interface-mapping']),
  ];
  if (mode === 'on' && missing.length > 0)
    throw new Error(`--vrrp on cannot run keepalived: ${missing.join(', ')}`);
  return missing.length === 0;
}
