// Builds one agent host's VRRP layout (src/model/vrrp.ts) from the assignments the server sent it: every
// assignment with `vrrp` puts its VIPs into its group, the groups keyed by name (docs/ha.md, "VRRP layout").
// A group whose physical network has no mapped interface, or an assignment that describes its group
// differently from another one, is left out and named with the reason instead.
import type { Assignment, AssignmentVrrp } from '../../model/agent-protocol.ts';
import type { VrrpCheck, VrrpGroup, VrrpHostLayout, VrrpVip } from '../../model/vrrp.ts';
import { VRRP_DEFAULTS } from '../../model/vrrp.ts';

export type HostLayoutInput = Readonly<{
  hostId: string;
  /** physical network → interface (`--interface-mapping`) */
  mappings: ReadonlyMap<string, string>;
  check: VrrpCheck | null;
}>;

export type HostLayout = Readonly<{
  layout: VrrpHostLayout;
  /** per grouped load balancer in the layout: its group's name */
  groupOf: ReadonlyMap<string, string>;
  /** per grouped load balancer left out: why */
  refused: ReadonlyMap<string, string>;
}>;

type Building = { group: AssignmentVrrp['group']; iface: string; vips: VrrpVip[] };

export function vrrpHostLayout(assignments: readonly Assignment[], input: HostLayoutInput): HostLayout {
  const groups = new Map<string, Building>();
  const groupOf = new Map<string, string>();
  const refused = new Map<string, string>();
  for (const { desired, vrrp } of assignments) {
    if (!vrrp) continue;
    const { group } = vrrp;
    const iface = input.mappings.get(group.physnet);
    if (iface === undefined) {
      refused.set(
        desired.id,
        `VRRP group ${group.name}: no --interface-mapping for physical network '${group.physnet}'`,
      );
      continue;
    }
    let building = groups.get(group.name);
    if (!building) {
      building = { group, iface, vips: [] };
      groups.set(group.name, building);
    } else if (!sameGroup(building.group, group)) {
      refused.set(desired.id, `VRRP group ${group.name} is described differently by another load balancer`);
      continue;
    }
    const addresses = [desired.vip.address, ...desired.vip.additional.map((a) => a.address)];
    for (const address of addresses.filter((a) => a !== '')) {
      building.vips.push({ address, loadBalancerId: desired.id });
    }
    groupOf.set(desired.id, group.name);
  }
  const layout: VrrpHostLayout = {
    hostId: input.hostId,
    advertIntervalSeconds: VRRP_DEFAULTS.advertIntervalSeconds,
    check: input.check,
    groups: [...groups.values()].map(
      ({ group, iface, vips }): VrrpGroup => ({
        name: group.name,
        interface: iface,
        vrid: group.vrid,
        priority: group.priority,
        sourceAddress: group.sourceAddress,
        peers: group.peers,
        anchor: group.anchor,
        vips,
      }),
    ),
  };
  return { layout, groupOf, refused };
}

function sameGroup(a: AssignmentVrrp['group'], b: AssignmentVrrp['group']): boolean {
  return (
    a.physnet === b.physnet &&
    a.vrid === b.vrid &&
    a.priority === b.priority &&
    a.sourceAddress === b.sourceAddress &&
    a.anchor === b.anchor &&
    a.peers.length === b.peers.length &&
    a.peers.every((peer, i) => peer === b.peers[i])
  );
}
