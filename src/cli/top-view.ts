// What `sluice top` draws from two scrapes of a load balancer's metrics a known time apart: per listener the
// sessions per second and those open; per member its state as the data plane sees it, requests (sessions) per second, open sessions
// and its responses by class since the data plane started. Amphorae of one load balancer are summed.
import type { Sample } from './metrics-text.ts';
import { renderTable } from './render-table.ts';

type Totals = Map<string, number>;

/** The value of every series of `name`, summed by `key` over the other labels (amphorae). */
function sumBy(samples: readonly Sample[], name: string, key: (labels: Sample['labels']) => string): Totals {
  const totals: Totals = new Map();
  for (const s of samples) {
    if (s.name !== name) continue;
    const k = key(s.labels);
    totals.set(k, (totals.get(k) ?? 0) + s.value);
  }
  return totals;
}

const rate = (now: Totals, before: Totals, key: string, seconds: number) =>
  Math.max(0, ((now.get(key) ?? 0) - (before.get(key) ?? now.get(key) ?? 0)) / seconds);

export function renderTop(
  before: readonly Sample[],
  now: readonly Sample[],
  seconds: number,
  names: ReadonlyMap<string, string>,
): string {
  const byListener = (l: Sample['labels']) => l.listener;
  const byMember = (l: Sample['labels']) => `${l.pool}/${l.member}`;
  const sessions = [
    sumBy(now, 'octavia_listener_sessions_total', byListener),
    sumBy(before, 'octavia_listener_sessions_total', byListener),
  ];
  const open = sumBy(now, 'octavia_listener_current_sessions', byListener);
  const listenerRows = [...sessions[0].keys()]
    .sort()
    .map((id) => [
      names.get(id) ?? id,
      rate(sessions[0], sessions[1], id, seconds).toFixed(1),
      String(open.get(id) ?? 0),
    ]);
  const requests = [
    sumBy(now, 'octavia_member_sessions_total', byMember),
    sumBy(before, 'octavia_member_sessions_total', byMember),
  ];
  const memberOpen = sumBy(now, 'octavia_member_current_sessions', byMember);
  const state = new Map<string, string>();
  for (const s of now)
    if (s.name === 'octavia_member_status' && s.value === 1) state.set(byMember(s.labels), s.labels.state);
  const responses = (code: string) =>
    sumBy(
      now.filter((s) => s.labels.code === code),
      'octavia_member_http_responses_total',
      byMember,
    );
  const classes = ['2xx', '4xx', '5xx'].map(responses);
  const memberRows = [...requests[0].keys()].sort().map((key) => {
    const [pool, member] = key.split('/');
    return [
      names.get(member) ?? member,
      names.get(pool) ?? pool,
      state.get(key) ?? '-',
      rate(requests[0], requests[1], key, seconds).toFixed(1),
      String(memberOpen.get(key) ?? 0),
      ...classes.map((c) => String(c.get(key) ?? 0)),
    ];
  });
  return [
    renderTable(['LISTENER', 'SESSIONS/S', 'OPEN'], listenerRows),
    renderTable(['MEMBER', 'POOL', 'STATUS', 'REQ/S', 'OPEN', '2XX', '4XX', '5XX'], memberRows),
  ].join('\n');
}
