// One point of the traffic chart from two successive scrapes of a load balancer's metrics a known time apart:
// requests per second (member sessions: an HTTP request is one, a TCP connection is one) and open
// connections, for the load balancer (members and listeners summed over amphorae) and per member, as `sluice
// top` computes them (src/cli/top-view.ts), and HTTP responses by class. Listener sessions count connections,
// which keep-alive reuses.
import type { Sample } from './metrics-text.ts';

export type Traffic = { requestsPerSecond: number; connections: number; requestsTotal: number };
/** HTTP responses since the data plane started, by class (`2xx`, `4xx`, `5xx`, …), all members summed. */
export type Responses = Record<string, number>;
export type TrafficPoint = {
  at: number;
  total: Traffic;
  members: Record<string, Traffic>;
  responses: Responses;
};

function sum(samples: readonly Sample[], name: string, key: (labels: Sample['labels']) => string) {
  const totals = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name) continue;
    totals.set(key(s.labels), (totals.get(key(s.labels)) ?? 0) + s.value);
  }
  return totals;
}

/** Counters only grow; a data plane restarted between scrapes starts again at 0, which counts as 0/s. */
const rate = (now: number, before: number | undefined, seconds: number) =>
  Math.max(0, (now - (before ?? now)) / seconds);

export function trafficPoint(before: readonly Sample[], now: readonly Sample[], seconds: number, at: number) {
  const all = () => 'all';
  const member = (l: Sample['labels']) => l.member;
  const traffic = (key: (l: Sample['labels']) => string, prefix: string): Map<string, Traffic> => {
    const [was, is] = [before, now].map((s) => sum(s, `${prefix}_sessions_total`, key));
    const open = sum(now, `${prefix}_current_sessions`, key);
    return new Map(
      [...is].map(([k, total]) => [
        k,
        {
          requestsPerSecond: rate(total, was.get(k), seconds),
          connections: open.get(k) ?? 0,
          requestsTotal: total,
        },
      ]),
    );
  };
  const requests = traffic(all, 'octavia_member').get('all');
  const total = {
    requestsPerSecond: requests?.requestsPerSecond ?? 0,
    requestsTotal: requests?.requestsTotal ?? 0,
    connections: sum(now, 'octavia_listener_current_sessions', all).get('all') ?? 0,
  };
  const responses = Object.fromEntries(sum(now, 'octavia_member_http_responses_total', (l) => l.code));
  const members = Object.fromEntries(traffic(member, 'octavia_member'));
  return { at, total, members, responses } satisfies TrafficPoint;
}
