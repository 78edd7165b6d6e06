// `show proc` and `show info;show stat` parsing, and the stats → ProviderReport mapping (reference §11).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haproxyAlerts, parseInfoAndStat, parseShowProc } from './haproxy-socket.ts';
import { listener, loadBalancer, member, pool } from './haproxy-test-fixtures.ts';
import { buildReport, ListenerCounterBook } from './stats-report.ts';

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
    const book = new ListenerCounterBook();
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
        },
      },
    });
  });

  it('carries the counters of a replaced worker into the totals of the next', () => {
    const book = new ListenerCounterBook();
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
    assert.deepEqual(book.total('l1'), { bytesIn: 13, bytesOut: 13, totalConnections: 13, requestErrors: 0 });
  });
});
