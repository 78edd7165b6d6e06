// The VRRP layout of one agent host as plain data (docs/ha.md, "VRRP layout"): the groups (one keepalived
// vrrp_instance each) that hold the VIPs of its ACTIVE_STANDBY load balancers, the host check they track, and
// the state an instance reports. Input of the keepalived renderer; filled by the controller and agent.

/** The states keepalived reports for an instance (keepalived.conf(5), vrrp_notify_fifo). */
export const VrrpState = { MASTER: 'MASTER', BACKUP: 'BACKUP', FAULT: 'FAULT', STOP: 'STOP' } as const;
export type VrrpState = (typeof VrrpState)[keyof typeof VrrpState];

/**
 * Defaults of the layout. The advertisement interval is 0.1 s (VRRPv3 counts it in centiseconds, RFC 5798 §5.2.7),
 * so a BACKUP declares a silent MASTER down after 3 × 0.1 s + skew (RFC 5798 §6.1), about 0.36 s at priority 100.
 */
export const VRRP_DEFAULTS = {
  advertIntervalSeconds: 0.1,
  /** priority of the host a group prefers as its first MASTER, and of its peer (both run state BACKUP) */
  preferredPriority: 150,
  peerPriority: 100,
  check: { intervalSeconds: 1, timeoutSeconds: 1, fall: 2, rise: 2 },
  garp: { masterDelaySeconds: 1, masterRepeat: 2, masterRefreshSeconds: 60, masterRefreshRepeat: 1 },
} as const;

/** One tenant address a group carries, and whose load balancer it belongs to. */
export type VrrpVip = Readonly<{
  address: string;
  /** 32 or 128 unless the address is plumbed with its subnet's prefix */
  prefixLength?: number;
  loadBalancerId: string;
}>;

/**
 * One vrrp_instance: a set of VIPs on one interface that move together between this host and its peer.
 * `anchor` is the only advertised address: it must be the same on both hosts and stay the same for the group's
 * life, since keepalived ignores adverts whose address list differs from its own (both sides then become
 * MASTER). Tenant VIPs go to virtual_ipaddress_excluded, which adverts do not carry, so adding or removing a
 * load balancer never makes the two sides disagree.
 */
export type VrrpGroup = Readonly<{
  /** instance name: also the name under which its state is recorded */
  name: string;
  interface: string;
  /** 1–255, unique per interface on both hosts of the pair (RFC 5798 §5.2.3) */
  vrid: number;
  /** 1–254 (255 is reserved for the address owner, RFC 5798 §5.2.4) */
  priority: number;
  /** this host's address on `interface`: unicast source of adverts */
  sourceAddress: string;
  /** the other host(s) of the pair */
  peers: readonly string[];
  anchor: string;
  vips: readonly VrrpVip[];
}>;

/** The check every group of the host tracks: an argv run by keepalived, exit 0 while the data plane serves. */
export type VrrpCheck = Readonly<{
  command: readonly string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  fall: number;
  rise: number;
}>;

/** Everything one host's keepalived.conf says. */
export type VrrpHostLayout = Readonly<{
  /** names the host in keepalived's logs (router_id) */
  hostId: string;
  advertIntervalSeconds: number;
  check: VrrpCheck | null;
  groups: readonly VrrpGroup[];
}>;

/** Files that the rendered configuration names; they belong to the process manager, not to the layout. */
export type VrrpFiles = Readonly<{
  /** the FIFO keepalived writes state changes to */
  notifyFifo: string;
  /** the program keepalived starts to read that FIFO; it is passed `recordArgs`, then the FIFO's path */
  notifyScript: string;
  recordArgs: readonly string[];
}>;
