// `show proc` and `show info;show stat` parsing, and the stats → ProviderReport mapping (reference §11).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haproxyAlerts, parseInfoAndStat, parseShowProc } from './haproxy-socket.ts';
import { listener, loadBalancer, member, pool } from './haproxy-test-fixtures.ts';
import { buildReport, CounterBook } from './stats-report.ts';

const HEADER = '# pxname,svname,qcur,scur,slim,stot,bin,bout,ereq,status,weight';
const stat = (pid: number, rows: string[]) =>
  `Name: HAProxy\nPid: ${pid}\nUptime_sec: 1\n\n${HEADER}\n${rows.join('\n')}\n\n`;
const desired = loadBalancer(
  'lb',
  '127.0.0.1',
  [listener('l1', 80, { defaultPoolId: 'p1' })],
  [
    pool('p1', [
      member('up', '10.0.0.1', 80),
      member('down', '10.0.0.2', 80),
      member('drain', '10.0.0.3', 80, { weight: 0 }),
      member('maint', '10.0.0.4', 80, { adminStateUp: false }),
      member('free', '10.0.0.5', 80),
    ]),
  ],
);

describe('haproxy stats', () => {
  it('reads the master, its reload counters and its current and old workers from show proc', () => {
    const text = [
      '#<PID>          <type>          <reloads>       <uptime>        <version>',
      '17395           master          3 [failed: 1]   0d00h20m16s     2.6.12',
      '# workers',
      '23890           worker          1               0d00h10m05s     2.6.12',
      '# old workers',
      '23000           worker          2               0d00h11m05s     2.6.12',
      '# programs',
      '',
    ].join('\n');
    assert.deepEqual(parseShowProc(text), {
      masterPid: 17395,
      reloads: 3,
      failed: 1,
      workers: [23890],
      oldWorkers: [23000],
    });
  });

  it("keeps HAProxy's alerts without their prefixes as the reason", () => {
    const output =
      "[NOTICE]   (1) : haproxy version\n[ALERT]    (1) : config : parsing [x.cfg:3] : unknown keyword 'x'\n";
    assert.equal(haproxyAlerts(output), "config : parsing [x.cfg:3] : unknown keyword 'x'");
  });

  it('maps frontends to OPEN/FULL listeners and servers to member statuses, worst backend first', () => {
    const parsed = parseInfoAndStat(
      stat(10, [
        'l1,FRONTEND,,2,2,7,100,200,1,FULL,',
        'p1:l1,up,0,0,,0,0,0,,UP 1/3,1',
        'p1:l1,down,0,0,,0,0,0,,DOWN,1',
        'p1:l1,drain,0,0,,0,0,0,,UP,0',
        'p1:l1,maint,0,0,,0,0,0,,MAINT,1',
        'p1:l1,free,0,0,,0,0,0,,no check,1',
        'p1:l1,BACKEND,0,0,,0,0,0,,UP,2',
        'p1:l2,free,0,0,,0,0,0,,DOWN 1/2,1',
        'p1:l2,BACKEND,0,0,,0,0,0,,DOWN,0',
      ]),
    )!;
    const book = new CounterBook();
    book.observe(parsed.pid, parsed.rows);
    assert.deepEqual(buildReport(desired, parsed.rows, book), {
      listeners: {
        l1: {
          status: 'FULL',
          counters: {
            bytesIn: 100,
            bytesOut: 200,
            totalConnections: 7,
            requestErrors: 1,
            activeConnections: 2,
          },
        },
      },
      pools: {
        p1: {
          status: 'UP',
          members: { up: 'UP', down: 'DOWN', drain: 'DRAIN', maint: 'MAINT', free: 'DOWN' },
          counters: {},
        },
      },
    });
  });

  it('carries the counters of a replaced worker into the totals of the next', () => {
    const book = new CounterBook();
    const rows = (pid: number, stot: number) =>
      parseInfoAndStat(stat(pid, [`l1,FRONTEND,,0,10,${stot},${stot},${stot},0,OPEN,`]))!;
    for (const [pid, stot] of [
      [1, 5],
      [1, 8],
      [2, 3],
      [2, 4],
      [3, 1],
    ] as const)
      book.observe(pid, rows(pid, stot).rows);
    assert.deepEqual(book.listener('l1'), {
      bytesIn: 13,
      bytesOut: 13,
      totalConnections: 13,
      requestErrors: 0,
    });
  });

  it("sums a member's sessions, bytes and response classes over its backends and over reloads", () => {
    const header =
      '# pxname,svname,scur,stot,bin,bout,status,weight,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other';
    const at = (pid: number, rows: string[]) =>
      parseInfoAndStat(`Name: HAProxy\nPid: ${pid}\n\n${header}\n${rows.join('\n')}\n\n`)!;
    const book = new CounterBook();
    // Worker 1 serves 5 requests through listener l1 and 2 through l2, then a reload starts worker 2.
    book.observe(
      1,
      at(1, ['p1:l1,up,0,5,50,500,UP,1,0,4,0,1,0,0', 'p1:l2,up,0,2,20,200,UP,1,0,2,0,0,0,0']).rows,
    );
    const now = at(2, ['p1:l1,up,1,3,30,300,UP,1,0,2,0,0,0,0', 'p1:l2,up,0,0,0,0,UP,1,0,0,0,0,0,0']);
    book.observe(2, now.rows);
    assert.deepEqual(buildReport(desired, now.rows, book).pools.p1.counters, {
      up: {
        sessionsTotal: 10,
        currentSessions: 1,
        bytesIn: 100,
        bytesOut: 1000,
        responses: { '1xx': 0, '2xx': 8, '3xx': 0, '4xx': 1, '5xx': 0, other: 0 },
      },
    });
  });
});
