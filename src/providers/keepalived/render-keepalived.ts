// Renders one agent host's keepalived.conf from its VRRP layout (src/model/vrrp.ts): global settings, the host's
// data-plane check, one vrrp_instance per group. Pure; a value that cannot be written safely, or a layout
// keepalived would misread (duplicate VRIDs, mixed families, a VIP in two groups), is a RenderRefusal.
import net from 'node:net';
import type { VrrpCheck, VrrpFiles, VrrpGroup, VrrpHostLayout } from '../../model/vrrp.ts';
import { VRRP_DEFAULTS } from '../../model/vrrp.ts';
import {
  absolutePath,
  addressWithPrefix,
  centiseconds,
  commandString,
  instanceName,
  integerIn,
  interfaceName,
  ipAddress,
  plainId,
  RenderRefusal,
} from './keepalived-words.ts';

export const CHECK_SCRIPT_NAME = 'sluice_dataplane';

export function renderKeepalivedConfig(layout: VrrpHostLayout, files: VrrpFiles): string {
  // RFC 5798 §5.2.7: a 12-bit count of centiseconds, so at most 40.95 s.
  const advert = centiseconds(layout.advertIntervalSeconds, 0.01, 40.95, 'advert interval');
  checkLayout(layout.groups);
  const blocks = [
    header(layout),
    globalDefs(layout, files),
    ...(layout.check ? [checkScript(layout.check)] : []),
    ...layout.groups.map((group) => instance(group, advert, layout.check !== null)),
  ];
  return `${blocks.join('\n\n')}\n`;
}

function header(layout: VrrpHostLayout): string {
  return [
    `# keepalived.conf of Sluice agent host ${plainId(layout.hostId, 'host id')}: written by the agent, do not edit.`,
    '# Layout and reasons: docs/ha.md, "VRRP layout".',
  ].join('\n');
}

function globalDefs(layout: VrrpHostLayout, files: VrrpFiles): string {
  const garp = VRRP_DEFAULTS.garp;
  const record = [files.notifyScript, ...files.recordArgs];
  return block('global_defs', [
    `router_id ${plainId(layout.hostId, 'host id')}`,
    // VRRPv3 (RFC 5798) for centisecond adverts; version 2 counts whole seconds.
    'vrrp_version 3',
    // Interfaces may appear after keepalived starts (a VIP network plugged later): keep the instance, in FAULT.
    'dynamic_interfaces',
    // Scripts run as root, and keepalived refuses any whose path a non-root user could change.
    'script_user root',
    'enable_script_security',
    // State changes go, in order, through one FIFO to one reader (keepalived.conf(5), vrrp_notify_fifo).
    `vrrp_notify_fifo ${absolutePath(files.notifyFifo, 'notify FIFO')}`,
    `vrrp_notify_fifo_script ${commandString(record, 'notify script')}`,
    // One burst of gratuitous ARP / unsolicited NA on takeover, a second one after a second, then a refresh a
    // minute for switches that forget. No vrrp_garp_interval (default 0, no spacing between messages), so the
    // last of hundreds of VIPs is not announced seconds after the first.
    `vrrp_garp_master_delay ${garp.masterDelaySeconds}`,
    `vrrp_garp_master_repeat ${garp.masterRepeat}`,
    `vrrp_garp_master_refresh ${garp.masterRefreshSeconds}`,
    `vrrp_garp_master_refresh_repeat ${garp.masterRefreshRepeat}`,
    // A MASTER that hears a higher priority advert answers once, so a split brain ends with fresh GARPs.
    'vrrp_higher_prio_send_advert true',
  ]);
}

function checkScript(check: VrrpCheck): string {
  return block(`vrrp_script ${CHECK_SCRIPT_NAME}`, [
    `script ${commandString(check.command, 'check command')}`,
    `interval ${integerIn(check.intervalSeconds, 1, 3600, 'check interval')}`,
    `timeout ${integerIn(check.timeoutSeconds, 1, 3600, 'check timeout')}`,
    `fall ${integerIn(check.fall, 1, 100, 'check fall')}`,
    `rise ${integerIn(check.rise, 1, 100, 'check rise')}`,
    // No weight: a failing check puts every instance in FAULT, the only move nopreempt lets a BACKUP make.
    'weight 0',
  ]);
}

function instance(group: VrrpGroup, advert: string, tracked: boolean): string {
  const name = instanceName(group.name, 'group name');
  const dev = interfaceName(group.interface);
  const family = familyOf(group.anchor, `group ${name} anchor`);
  const vips = group.vips.map(
    (vip) =>
      `${addressWithPrefix(vip.address, vip.prefixLength, `group ${name} VIP`)} dev ${dev} # lb ${plainId(vip.loadBalancerId, 'load balancer id')}`,
  );
  return block(`vrrp_instance ${name}`, [
    // BACKUP on both hosts: nopreempt only works from state BACKUP; the higher priority wins the first election.
    'state BACKUP',
    `interface ${dev}`,
    `virtual_router_id ${integerIn(group.vrid, 1, 255, `group ${name} VRID`)}`,
    `priority ${integerIn(group.priority, 1, 254, `group ${name} priority`)}`,
    'nopreempt',
    `advert_int ${advert}`,
    `unicast_src_ip ${ipAddress(group.sourceAddress, `group ${name} source address`, family)}`,
    block(
      'unicast_peer',
      group.peers.map((peer) => ipAddress(peer, `group ${name} peer`, family)),
    ),
    block('virtual_ipaddress', [
      `${addressWithPrefix(group.anchor, undefined, `group ${name} anchor`)} dev ${dev}`,
    ]),
    ...(vips.length > 0 ? [block('virtual_ipaddress_excluded', vips)] : []),
    ...(tracked ? [block('track_script', [CHECK_SCRIPT_NAME])] : []),
  ]);
}

/** The rules across groups that keepalived would not catch, or would catch only on the host that starts. */
function checkLayout(groups: readonly VrrpGroup[]): void {
  const names = new Set<string>();
  const vrids = new Set<string>();
  const addresses = new Map<string, string>();
  const claim = (address: string, owner: string) => {
    const key = net.isIP(address) === 0 ? address : address.toLowerCase();
    const earlier = addresses.get(key);
    if (earlier !== undefined) throw new RenderRefusal(`address ${key} is in ${earlier} and in ${owner}`);
    addresses.set(key, owner);
  };
  for (const group of groups) {
    instanceName(group.name, 'group name');
    interfaceName(group.interface);
    if (names.has(group.name)) throw new RenderRefusal(`group name ${group.name} is used twice`);
    names.add(group.name);
    const vrid = `${group.interface} ${group.vrid}`;
    if (vrids.has(vrid)) throw new RenderRefusal(`VRID ${group.vrid} is used twice on ${group.interface}`);
    vrids.add(vrid);
    if (group.peers.length === 0) throw new RenderRefusal(`group ${group.name} has no peer`);
    if (group.peers.includes(group.sourceAddress)) {
      throw new RenderRefusal(`group ${group.name} lists its own source address as a peer`);
    }
    claim(group.anchor, `group ${group.name} (anchor)`);
    for (const vip of group.vips) claim(vip.address, `group ${group.name}`);
  }
}

function familyOf(address: string, what: string): 4 | 6 {
  const family = net.isIP(ipAddress(address, what));
  return family === 6 ? 6 : 4;
}

/** A `name { … }` block with its lines indented by four spaces. */
function block(name: string, lines: readonly string[]): string {
  const body = lines.flatMap((line) => line.split('\n')).map((line) => `    ${line}`);
  return [`${name} {`, ...body, '}'].join('\n');
}
