// Monitor delays and timeouts beyond what a Node timer holds (2^31 − 1 ms) saturate instead of wrapping to
// 1 ms: a `delay` of 2^31 − 1 s must not turn into a thousand probes a second aimed at the member.
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { MAX_TIMER_MS } from '../timer-bounds.ts';
import { checkIntervalMs, checkTimeoutMs } from './health-checker.ts';
import { closeServer, healthMonitor, listenOn, waitFor } from './health-test-fixtures.ts';
import { httpCheck } from './http-check.ts';
import { MemberProbe } from './member-probe.ts';
import { tcpCheck } from './tcp-check.ts';

const ADDRESS = '127.0.11.7';
const LONGEST = 2_147_483_647; // seconds: the largest delay and timeout the API accepts
let connections = 0;
const tcp = createServer((socket) => {
  connections += 1;
  socket.destroy();
});
// Answers after 200 ms: longer than the 1 ms an overflowing timeout becomes.
const slowHttp = createHttpServer((_request, response) => {
  setTimeout(() => response.end('ok'), 200);
});
let tcpPort = 0;
let httpPort = 0;

before(async () => {
  tcpPort = await listenOn(tcp, ADDRESS);
  httpPort = await listenOn(slowHttp, ADDRESS);
});
after(async () => {
  await closeServer(tcp);
  slowHttp.closeAllConnections();
  await closeServer(slowHttp);
});

test('check interval and timeout saturate at the longest Node timer', () => {
  const monitor = healthMonitor({ delay: LONGEST, timeout: LONGEST });
  assert.equal(checkIntervalMs(monitor), MAX_TIMER_MS);
  assert.equal(checkTimeoutMs(monitor), MAX_TIMER_MS);
  assert.equal(checkTimeoutMs(healthMonitor({ delay: LONGEST, timeout: 0 })), MAX_TIMER_MS);
  assert.equal(checkIntervalMs(healthMonitor({ delay: 5 })), 5000);
});

test('a member with the longest delay gets no second probe within a second of the first', async () => {
  const probe = new MemberProbe({
    target: { address: ADDRESS, port: tcpPort },
    monitor: healthMonitor({ delay: LONGEST, timeout: 1 }),
    checker: tcpCheck,
    label: 'member m1',
    log: () => {},
    random: () => 0, // the first check at once
  });
  try {
    await waitFor(() => connections >= 1, 3000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(connections, 1);
  } finally {
    await probe.close();
  }
});

test('a check with the longest timeout waits for a member that answers after 200 ms', async () => {
  const monitor = healthMonitor({ type: 'HTTP', delay: LONGEST, timeout: LONGEST });
  const up = await httpCheck({ address: ADDRESS, port: httpPort }, monitor, new AbortController().signal);
  assert.equal(up, true);
});
