// A Sluice agent as a Neutron agent object (Neutron API reference, "Agents"; neutron-lbaas agent types):
// one host running data planes, shown as the LBaaS agent the `neutron agent-list` / `lb-*-on-agent` commands
// expect. Agent timestamps are Neutron's plain `YYYY-MM-DD HH:MM:SS` (UTC, no zone, no fraction).
import type { Agent } from '../../model/agent.ts';
import type { WireObject } from './neutron-wire.ts';

/** neutron-lbaas's agent types (constants AGENT_TYPE_LOADBALANCER / AGENT_TYPE_LOADBALANCERV2) and topics. */
export const LBAAS_AGENT_TYPES = {
  'Loadbalancer agent': 'n-lbaas_agent',
  'Loadbalancerv2 agent': 'n-lbaasv2_agent',
} as const;
export type LbaasAgentType = keyof typeof LBAAS_AGENT_TYPES;

/** Seed 001 is LBaaS v1 era: its `neutron agent-list` shows a "Loadbalancer agent". */
export const DEFAULT_AGENT_TYPE: LbaasAgentType = 'Loadbalancer agent';

export const isLbaasAgentType = (text: string): text is LbaasAgentType =>
  Object.hasOwn(LBAAS_AGENT_TYPES, text);

/** 2024-05-01T10:00:00.123Z → 2024-05-01 10:00:00 (how Neutron renders agent datetimes). */
export const agentTime = (iso: string | null): string | null =>
  iso === null ? null : iso.slice(0, 19).replace('T', ' ');

export function agentToWire(
  agent: Agent,
  instances: number,
  type: LbaasAgentType = DEFAULT_AGENT_TYPE,
): WireObject {
  return {
    id: agent.id,
    agent_type: type,
    binary: 'sluice-agent',
    topic: LBAAS_AGENT_TYPES[type],
    // A NEW agent has never registered, so it has no host yet; Neutron never shows a null host.
    host: agent.host ?? '',
    alive: agent.status === 'UP',
    admin_state_up: true,
    availability_zone: agent.availabilityZone,
    description: agent.name,
    configurations: {
      // neutron-lbaas agents report their device drivers and how many load balancers they run.
      device_drivers: [...agent.providers],
      instances,
      providers: [...agent.providers],
      name: agent.name,
      status: agent.status,
      pid: agent.pid,
    },
    load: instances,
    resources_synced: null,
    created_at: agentTime(agent.createdAt),
    // Sluice keeps no process start time: the record's creation is the closest it knows.
    started_at: agentTime(agent.createdAt),
    heartbeat_timestamp: agentTime(agent.heartbeatAt),
  };
}
