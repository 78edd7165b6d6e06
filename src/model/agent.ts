// An agent as the controller and the admin API see it: one host that runs data planes for the providers
// it lists, alive while its heartbeats keep coming (architecture §1).

export const AGENT_STATUSES = { NEW: 'NEW', UP: 'UP', DOWN: 'DOWN' } as const;
export type AgentStatus = (typeof AGENT_STATUSES)[keyof typeof AGENT_STATUSES];

export type Agent = Readonly<{
  id: string;
  name: string;
  host: string | null;
  pid: number | null;
  availabilityZone: string | null;
  providers: readonly string[];
  /** its address per physical network when it runs keepalived (agent-protocol.ts, AgentRegistration.vrrp) */
  vrrpAddresses: Readonly<Record<string, string>> | null;
  status: AgentStatus;
  epoch: string | null;
  heartbeatAt: string | null;
  createdAt: string;
}>;

/** The placement roles that serve traffic; a BACKUP stands by until its MASTER's agent dies. */
export const SERVING_ROLES = ['STANDALONE', 'MASTER'] as const;

export const isServing = (role: string): boolean => (SERVING_ROLES as readonly string[]).includes(role);
