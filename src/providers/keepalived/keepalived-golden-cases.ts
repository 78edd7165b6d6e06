// The representative layouts behind test/golden/keepalived/*.conf: a host pair's two IPv4 groups with a mixed
// family VIP list, an IPv6 group, and a group with no VIP yet and no check. Test data only.
import type { VrrpFiles, VrrpGroup, VrrpHostLayout } from '../../model/vrrp.ts';
import { VRRP_DEFAULTS } from '../../model/vrrp.ts';

export const GOLDEN_FILES: VrrpFiles = {
  notifyFifo: '/var/lib/sluice/keepalived/notify.fifo',
  notifyScript: '/var/lib/sluice/keepalived/record-state.sh',
  recordArgs: ['/var/lib/sluice/keepalived/states'],
};

const CHECK = {
  command: ['/usr/bin/sluice', 'vrrp-check', '--data-dir', '/var/lib/sluice'],
  ...VRRP_DEFAULTS.check,
};

const LB = (n: number) => `c4a0e1f6-1d7e-4a53-9c52-1b2f6a3d9e${String(n).padStart(2, '0')}`;

const group = (name: string, vrid: number, priority: number, extra: Partial<VrrpGroup> = {}): VrrpGroup => ({
  name,
  interface: 'eth1',
  vrid,
  priority,
  sourceAddress: '198.18.0.11',
  peers: ['198.18.0.12'],
  anchor: `198.18.0.${250 + vrid}`,
  vips: [],
  ...extra,
});

export const GOLDEN_LAYOUTS: Readonly<Record<string, VrrpHostLayout>> = {
  'host-pair-two-groups': {
    hostId: 'agent-a',
    advertIntervalSeconds: VRRP_DEFAULTS.advertIntervalSeconds,
    check: CHECK,
    groups: [
      group('eth1_1', 1, VRRP_DEFAULTS.preferredPriority, {
        vips: [
          { address: '198.18.0.10', loadBalancerId: LB(1) },
          { address: '198.18.0.20', prefixLength: 24, loadBalancerId: LB(2) },
          { address: '2001:db8::10', loadBalancerId: LB(2) },
        ],
      }),
      group('eth1_2', 2, VRRP_DEFAULTS.peerPriority, {
        vips: [{ address: '198.18.0.30', loadBalancerId: LB(3) }],
      }),
    ],
  },
  'ipv6-group': {
    hostId: 'agent-b',
    advertIntervalSeconds: 0.05,
    check: CHECK,
    groups: [
      group('eth2_6_1', 1, VRRP_DEFAULTS.peerPriority, {
        interface: 'eth2',
        sourceAddress: '2001:db8:1::12',
        peers: ['2001:db8:1::11'],
        anchor: '2001:db8:1::fe',
        vips: [{ address: '2001:DB8:1::10', loadBalancerId: LB(4) }],
      }),
    ],
  },
  'empty-group-no-check': {
    hostId: 'agent-a',
    advertIntervalSeconds: 1,
    check: null,
    groups: [group('eth1_3', 3, VRRP_DEFAULTS.preferredPriority)],
  },
};
