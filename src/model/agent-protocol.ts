// The agent protocol (architecture §1–§2): what an agent and the API say to each other over HTTP. An agent
// registers, long-polls the full set of load balancers it must serve (level-triggered: the set, never a
// diff), and reports what it applied or removed, what it observes, and that it is alive.
import type { DesiredLoadBalancer } from './desired-state.ts';
import type { ProviderReport } from './provider-driver.ts';

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
}>;

export type AgentSession = Readonly<{
  agentId: string;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
}>;

/** One load balancer the agent must serve, with the provider that serves it. */
export type Assignment = Readonly<{ provider: string; desired: DesiredLoadBalancer }>;

export type DesiredSet = Readonly<{
  /** changes whenever any assignment (or its revision) changes; the agent sends it back to wait */
  etag: string;
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

export type AgentReport = Readonly<{
  epoch: string;
  results: readonly ApplyResult[];
  /** what each served load balancer's data plane sees now */
  observed: Readonly<Record<string, ProviderReport>>;
}>;
