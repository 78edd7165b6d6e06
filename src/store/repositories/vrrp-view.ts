// One agent's view of a VRRP group (docs/ha.md, "VRRP layout"): which of its registered addresses carries the
// group (the physical network of the VIP network, resolved as the agent's VIP plumbing resolves interfaces),
// and the `vrrp` of its assignments — same name, router id and anchor on both hosts, its own priority, source
// address and peer.
import type { AssignmentVrrp } from '../../model/agent-protocol.ts';
import { VRRP_DEFAULTS } from '../../model/vrrp.ts';
import { type VrrpGroupRow, vrrpGroupName } from './vrrp-group-repository.ts';

type Addresses = Readonly<Record<string, string>> | null;

/**
 * The key of `addresses` whose interface carries a VIP of a network on `physicalNetwork`: that physnet, else
 * `default`, else the only one, in the order src/agent/vip-plumbing.ts picks the interface for a VIP.
 * Undefined when the agent has none there (it does not run keepalived, or not on that network).
 */
export function vrrpPhysnet(addresses: Addresses, physicalNetwork: string | null): string | undefined {
  if (!addresses) return undefined;
  const keys = Object.keys(addresses);
  if (physicalNetwork !== null && keys.includes(physicalNetwork)) return physicalNetwork;
  if (keys.includes('default')) return 'default';
  return keys.length === 1 ? keys[0] : undefined;
}

/** The address an agent sends and receives the group's adverts on, with its physnet key. */
export function vrrpEndpoint(
  addresses: Addresses,
  physicalNetwork: string | null,
): { physnet: string; address: string } | undefined {
  const physnet = vrrpPhysnet(addresses, physicalNetwork);
  return physnet === undefined
    ? undefined
    : { physnet, address: (addresses as Record<string, string>)[physnet] };
}

/**
 * `agentId`'s view of `group` for a placement in `role`; undefined when either agent no longer has an address
 * for the group's network (then the placement is served as if ungrouped).
 */
export function vrrpViewOf(
  group: VrrpGroupRow,
  agentId: string,
  role: 'MASTER' | 'BACKUP',
  addressesOf: (agentId: string) => Addresses,
  physicalNetwork: string | null,
): AssignmentVrrp | undefined {
  const preferred = group.preferred_agent_id === agentId;
  const peerId = preferred ? group.peer_agent_id : group.preferred_agent_id;
  if (!preferred && group.peer_agent_id !== agentId) return undefined;
  const own = vrrpEndpoint(addressesOf(agentId), physicalNetwork);
  const peer = vrrpEndpoint(addressesOf(peerId), physicalNetwork);
  if (!own || !peer) return undefined;
  return {
    role,
    group: {
      name: vrrpGroupName(group),
      physnet: own.physnet,
      vrid: Number(group.vrid),
      priority: preferred ? VRRP_DEFAULTS.preferredPriority : VRRP_DEFAULTS.peerPriority,
      sourceAddress: own.address,
      peers: [peer.address],
      anchor: group.anchor_address,
    },
  };
}
