import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTrafficMetrics } from '../model/traffic-metrics.ts';
import { parseMetricsText } from './metrics-text.ts';
import { renderTop } from './top-view.ts';

const scrape = (sessions: number, requests: number, amphorae = ['a1']) =>
  parseMetricsText(
    renderTrafficMetrics(
      amphorae.map((amphora) => ({
        labels: { amphora },
        report: {
          listeners: {
            l1: {
              status: 'OPEN' as const,
              counters: {
                bytesIn: 0,
                bytesOut: 0,
                activeConnections: 2,
                totalConnections: sessions,
                requestErrors: 0,
              },
            },
          },
          pools: {
            p1: {
              status: 'UP' as const,
              members: { m1: 'UP' as const },
              counters: {
                m1: {
                  sessionsTotal: requests,
                  currentSessions: 1,
                  bytesIn: 0,
                  bytesOut: 0,
                  responses: { '1xx': 0, '2xx': requests - 1, '3xx': 0, '4xx': 1, '5xx': 0, other: 0 },
                },
              },
            },
          },
        },
      })),
    ),
  );

describe('top view', () => {
  it('shows rates between two scrapes and the counts since start, by the names of the objects', () => {
    const text = renderTop(
      scrape(10, 20),
      scrape(30, 60),
      2,
      new Map([
        ['l1', 'web'],
        ['m1', 'backend-1'],
      ]),
    );
    assert.deepEqual(
      text.split('\n').filter((l) => l !== '' && !l.startsWith('-')),
      [
        'LISTENER  SESSIONS/S  OPEN',
        'web       10.0        2',
        'MEMBER     POOL  STATUS  REQ/S  OPEN  2XX  4XX  5XX',
        'backend-1  p1    UP      20.0   1     59   1    0',
      ],
    );
  });

  it('sums the amphorae of one load balancer', () => {
    const text = renderTop(scrape(0, 0, ['a1', 'a2']), scrape(5, 5, ['a1', 'a2']), 1, new Map());
    assert.match(text, /^l1 +10\.0 +4$/m);
  });
});
