// Sluice's own /sluice/v1 extensions the dashboard reads: a load balancer's status events (newest first) and
// its traffic metrics as Prometheus text (src/api/sluice/routes.ts).
import { json, request } from './api-client.ts';

export type StatusEvent = {
  id: number;
  created_at: string;
  resource_type: string;
  resource_id: string;
  field: string;
  from: string | null;
  to: string;
  reason: string | null;
};

export async function statusEvents(token: string, lbId: string): Promise<StatusEvent[]> {
  return (
    await json<{ events: StatusEvent[] }>(`/sluice/v1/loadbalancers/${lbId}/events?limit=50`, { token })
  ).events;
}

export async function metricsText(token: string, lbId: string): Promise<string> {
  return (
    await request(`/sluice/v1/loadbalancers/${lbId}/metrics`, { token, headers: { accept: 'text/plain' } })
  ).text();
}

/** The reason of the newest event of each object, by its id. */
export function latestReasons(events: readonly StatusEvent[]): Record<string, string> {
  const reasons: Record<string, string> = {};
  for (const e of events) if (e.reason && !(e.resource_id in reasons)) reasons[e.resource_id] = e.reason;
  return reasons;
}
