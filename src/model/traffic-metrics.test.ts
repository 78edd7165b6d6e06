import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTrafficMetrics } from './traffic-metrics.ts';

const report = {
  listeners: {
    l1: {
      status: 'OPEN' as const,
      counters: { bytesIn: 10, bytesOut: 20, activeConnections: 1, totalConnections: 3, requestErrors: 0 },
    },
  },
  pools: {
    p1: {
      status: 'UP' as const,
      members: { m1: 'UP' as const, m2: 'DOWN' as const },
      counters: {
        m1: {
          sessionsTotal: 7,
          currentSessions: 1,
          bytesIn: 700,
          bytesOut: 1400,
          responses: { '1xx': 0, '2xx': 6, '3xx': 0, '4xx': 1, '5xx': 0, other: 0 },
        },
      },
    },
  },
};

describe('traffic metrics', () => {
  it("renders a report under Octavia's names, each family once with its HELP and TYPE", () => {
    const text = renderTrafficMetrics([
      { labels: { loadbalancer: 'lb1' }, report },
      { labels: { loadbalancer: 'lb2' }, report },
    ]);
    assert.equal(text.match(/^# TYPE octavia_member_sessions_total counter$/gm)?.length, 1);
    const lines = text.split('\n');
    for (const line of [
      'octavia_listener_sessions_total{loadbalancer="lb1",listener="l1"} 3',
      'octavia_listener_bytes_out_total{loadbalancer="lb2",listener="l1"} 20',
      'octavia_pool_status{loadbalancer="lb1",pool="p1"} 1',
      'octavia_member_status{loadbalancer="lb1",pool="p1",member="m2",state="DOWN"} 1',
      'octavia_member_status{loadbalancer="lb1",pool="p1",member="m2",state="UP"} 0',
      'octavia_member_sessions_total{loadbalancer="lb1",pool="p1",member="m1"} 7',
      'octavia_member_bytes_in_total{loadbalancer="lb1",pool="p1",member="m1"} 700',
      'octavia_member_bytes_out_total{loadbalancer="lb1",pool="p1",member="m1"} 1400',
      'octavia_member_http_responses_total{loadbalancer="lb1",pool="p1",member="m1",code="2xx"} 6',
      'octavia_member_http_responses_total{loadbalancer="lb1",pool="p1",member="m1",code="4xx"} 1',
      // A member without traffic yet shows zeros, so a rate over it starts from its first scrape.
      'octavia_member_sessions_total{loadbalancer="lb1",pool="p1",member="m2"} 0',
    ])
      assert.ok(lines.includes(line), `missing: ${line}\n${text}`);
  });

  it('escapes label values as the text format requires', () => {
    const text = renderTrafficMetrics([{ labels: { loadbalancer: 'a"b\\c\nd' }, report }]);
    assert.ok(text.includes('loadbalancer="a\\"b\\\\c\\nd"'));
  });

  it('renders request times as a cumulative histogram with +Inf, sum and count', () => {
    const timed = {
      listeners: {
        l1: {
          status: 'OPEN' as const,
          counters: {
            ...report.listeners.l1.counters,
            // 2 requests within 5 ms, 1 within 50 ms, 1 over 10 s
            requestTimes: { counts: [2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], sum: 12.06, count: 4 },
          },
        },
      },
      pools: {},
    };
    const lines = renderTrafficMetrics([{ labels: {}, report: timed }]).split('\n');
    for (const line of [
      '# TYPE sluice_listener_request_duration_seconds histogram',
      'sluice_listener_request_duration_seconds_bucket{listener="l1",le="0.005"} 2',
      'sluice_listener_request_duration_seconds_bucket{listener="l1",le="0.025"} 2',
      'sluice_listener_request_duration_seconds_bucket{listener="l1",le="0.05"} 3',
      'sluice_listener_request_duration_seconds_bucket{listener="l1",le="10"} 3',
      'sluice_listener_request_duration_seconds_bucket{listener="l1",le="+Inf"} 4',
      'sluice_listener_request_duration_seconds_sum{listener="l1"} 12.06',
      'sluice_listener_request_duration_seconds_count{listener="l1"} 4',
    ])
      assert.ok(lines.includes(line), `missing: ${line}`);
  });

  it('renders nothing for no observations', () => {
    assert.equal(renderTrafficMetrics([]), '');
  });
});
