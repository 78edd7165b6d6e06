// The agent protocol (architecture §1–§2): what an agent and the API say to each other over HTTP. An agent
// registers, long-polls the set of load balancers it must serve (level-triggered: the whole set, or what changed
// in it since the set the agent names, which it merges into the whole), and reports what it applied or removed, what it observes, and that it is alive.
import type { DesiredLoadBalancer } from './desired-state.ts';
import type { AccessLogBatch, ProviderReport } from './provider-driver.ts';
import type { VrrpState } from './vrrp.ts';

export const AGENT_API_PREFIX = '/agent/v1';
/** How long the server holds a long-poll open when nothing changes (ms). */
export const LONG_POLL_MS = 25_000;

export type AgentRegistration = Readonly<{
  host: string;
  pid: number;
  /** a new id per agent process: a restarted data plane counts from zero again */
  epoch: string;
  availabilityZone: string | null;
  providers: readonly string[];
  /**
   * Present when the host runs keepalived for ACTIVE_STANDBY (docs/ha.md, "VRRP layout"): its own IPv4 address
   * on the interface mapped to each physical network, the unicast source and peer of VRRP adverts.
   */
  vrrp?: Readonly<{ addresses: Readonly<Record<string, string>> }> | null;
}>;

export type AgentSession = Readonly<{
  agentId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
}>;

/**
 * The VRRP group (one keepalived vrrp_instance, docs/ha.md "VRRP layout") that holds an ACTIVE_STANDBY load
 * balancer's VIPs on this host and its peer. The same group on both hosts has the same name, VRID and anchor;
 * priority, source and peer are this host's view.
 */
export type AssignmentVrrp = Readonly<{
  /** this placement's role as the controller last recorded it (keepalived decides who holds the VIPs) */
  role: 'MASTER' | 'BACKUP';
  group: Readonly<{
    /** keepalived instance name, [A-Za-z0-9_-], the same on both hosts */
    name: string;
    /** the physical network whose mapped interface carries the group */
    physnet: string;
    vrid: number;
    priority: number;
    sourceAddress: string;
    peers: readonly string[];
    /** the one advertised address, a port the controller allocated on the VIP network */
    anchor: string;
  }>;
}>;

/**
 * One load balancer the agent must serve, with the provider that serves it. With `vrrp`, keepalived holds its
 * VIPs and the agent serves it hot whatever its role (listeners bound to the VIPs before they are local).
 */
export type Assignment = Readonly<{ provider: string; desired: DesiredLoadBalancer; vrrp?: AssignmentVrrp }>;

export type DesiredSet = Readonly<{
  /** changes whenever any assignment (or its revision) changes; the agent sends it back to wait */
  etag: string;
  /**
   * Present when the answer is a change to the set the agent named by its etag (`base`), asked for with
   * `delta=1`: `assignments` then holds only the load balancers new or changed since, and `gone` the ids no
   * longer assigned. Absent: `assignments` is the whole set.
   */
  delta?: Readonly<{ base: string; gone: readonly string[] }>;
  assignments: readonly Assignment[];
  /** load balancers being deleted that the agent must remove (idempotent) and report removed */
  removals: readonly string[];
}>;

/** The outcome of applying one revision (`error` null = applied), or of removing a load balancer. */
export type ApplyResult = Readonly<{
  loadBalancerId: string;
  /** the revision applied; absent for a removal */
  revision?: number;
  removed?: boolean;
  error: string | null;
}>;

/**
 * Access log lines in one report: at most this many per load balancer and in all (a report's rows are one
 * insert; the data planes keep the rest, bounded, for the next report).
 */
export const REPORT_LOG_LINES_PER_LB = 1000;
export const REPORT_LOG_LINES = 2000;

export type AgentReport = Readonly<{
  epoch: string;
  results: readonly ApplyResult[];
  /** what each served load balancer's data plane sees now */
  observed: Readonly<Record<string, ProviderReport>>;
  /** per load balancer with `vrrp`: the state keepalived last recorded for its group on this host */
  vrrp?: Readonly<Record<string, VrrpState>>;
  /** per load balancer: access log lines its data plane wrote since the last acknowledged report */
  logs?: Readonly<Record<string, AccessLogBatch>>;
}>;
