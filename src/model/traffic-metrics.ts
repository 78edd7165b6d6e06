// A data plane's observations (ProviderReport) as Prometheus text, under the names Octavia's PROMETHEUS
// listener gives HAProxy's counters (https://opendev.org/openstack/octavia/src/branch/master/octavia/cmd/prometheus_proxy.py:
// haproxy_frontend_* → octavia_listener_*, haproxy_backend_* → octavia_pool_*, haproxy_server_* →
// octavia_member_*). One renderer for the API's /metrics (every load balancer, labelled) and for a PROMETHEUS
// listener (its own load balancer). Text format: https://prometheus.io/docs/instrumenting/exposition_formats/
import { type ProviderReport, REQUEST_TIME_BOUNDS, type ResponseClasses } from './provider-driver.ts';

/** Prometheus text exposition format 0.0.4, as every metrics answer is typed. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One observation and the labels that say whose it is (`loadbalancer`, `amphora`; none on a listener). */
export type TrafficSource = Readonly<{ labels: Readonly<Record<string, string>>; report: ProviderReport }>;

type Kind = 'counter' | 'gauge' | 'histogram';

const REQUEST_SECONDS = 'sluice_listener_request_duration_seconds';
const REQUEST_SECONDS_HELP = 'Time from an HTTP request head to the end of its response.';
type Family = { name: string; kind: Kind; help: string; samples: string[] };

const MEMBER_STATES = ['UP', 'DOWN', 'DRAIN', 'MAINT', 'no check'] as const;
const CLASSES = [
  '1xx',
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'other',
] as const satisfies readonly (keyof ResponseClasses)[];

/** Renders every family once (HELP, TYPE, then its samples), families without samples left out. */
export function renderTrafficMetrics(sources: readonly TrafficSource[]): string {
  const families = new Map<string, Family>();
  const add = (
    name: string,
    kind: Kind,
    help: string,
    labels: Record<string, string>,
    value: number,
    suffix = '',
  ) => {
    let family = families.get(name);
    if (!family) {
      family = { name, kind, help, samples: [] };
      families.set(name, family);
    }
    family.samples.push(`${name}${suffix}${labelText(labels)} ${value}`);
  };
  for (const { labels, report } of sources) {
    for (const [listener, { status, counters }] of Object.entries(report.listeners)) {
      const at = { ...labels, listener };
      add(
        'octavia_listener_status',
        'gauge',
        'Current status of the listener (1: OPEN, 0: FULL).',
        at,
        status === 'OPEN' ? 1 : 0,
      );
      add(
        'octavia_listener_current_sessions',
        'gauge',
        'Current number of active sessions.',
        at,
        counters.activeConnections,
      );
      add(
        'octavia_listener_sessions_total',
        'counter',
        'Total number of sessions.',
        at,
        counters.totalConnections,
      );
      add(
        'octavia_listener_bytes_in_total',
        'counter',
        'Current total of incoming bytes.',
        at,
        counters.bytesIn,
      );
      add(
        'octavia_listener_bytes_out_total',
        'counter',
        'Current total of outgoing bytes.',
        at,
        counters.bytesOut,
      );
      add(
        'octavia_listener_request_errors_total',
        'counter',
        'Total number of request errors.',
        at,
        counters.requestErrors,
      );
      // Octavia's names stop at averages; the histogram is Sluice's own (histogram samples: `_bucket` per
      // upper bound `le`, cumulative, then `_sum` and `_count`).
      const times = counters.requestTimes;
      if (times) {
        let below = 0;
        REQUEST_TIME_BOUNDS.forEach((bound, i) => {
          below += times.counts[i] ?? 0;
          add(
            REQUEST_SECONDS,
            'histogram',
            REQUEST_SECONDS_HELP,
            { ...at, le: String(bound) },
            below,
            '_bucket',
          );
        });
        add(
          REQUEST_SECONDS,
          'histogram',
          REQUEST_SECONDS_HELP,
          { ...at, le: '+Inf' },
          times.count,
          '_bucket',
        );
        add(REQUEST_SECONDS, 'histogram', REQUEST_SECONDS_HELP, at, times.sum, '_sum');
        add(REQUEST_SECONDS, 'histogram', REQUEST_SECONDS_HELP, at, times.count, '_count');
      }
    }
    for (const [pool, observed] of Object.entries(report.pools)) {
      add(
        'octavia_pool_status',
        'gauge',
        'Current status of the pool (1: UP, 0: DOWN).',
        { ...labels, pool },
        observed.status === 'UP' ? 1 : 0,
      );
      for (const [member, state] of Object.entries(observed.members)) {
        const at = { ...labels, pool, member };
        for (const s of MEMBER_STATES)
          add(
            'octavia_member_status',
            'gauge',
            'Current status of the member (1 for its state).',
            { ...at, state: s },
            s === state ? 1 : 0,
          );
        const traffic = observed.counters?.[member];
        add(
          'octavia_member_current_sessions',
          'gauge',
          'Current number of active sessions.',
          at,
          traffic?.currentSessions ?? 0,
        );
        add(
          'octavia_member_bytes_in_total',
          'counter',
          'Total number of bytes sent to the member.',
          at,
          traffic?.bytesIn ?? 0,
        );
        add(
          'octavia_member_bytes_out_total',
          'counter',
          'Total number of bytes received from the member.',
          at,
          traffic?.bytesOut ?? 0,
        );
        add(
          'octavia_member_sessions_total',
          'counter',
          'Total number of sessions (an HTTP request is one).',
          at,
          traffic?.sessionsTotal ?? 0,
        );
        for (const code of CLASSES)
          add(
            'octavia_member_http_responses_total',
            'counter',
            'Total number of HTTP responses, by status class.',
            { ...at, code },
            traffic?.responses[code] ?? 0,
          );
      }
    }
  }
  let text = '';
  for (const family of families.values()) {
    text += `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.kind}\n${family.samples.join('\n')}\n`;
  }
  return text;
}

/** `{a="x",b="y"}` with the text format's escapes (backslash, double quote, line feed). */
function labelText(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(
    ([key, value]) =>
      `${key}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  );
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}
