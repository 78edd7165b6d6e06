import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessLogLine, logTime } from './access-log-line.ts';

const entry = {
  listenerId: 'l1',
  clientAddress: '127.0.0.1',
  clientPort: 41152,
  start: Date.UTC(2019, 5, 12, 0, 44, 13, 30),
  request: 'GET / HTTP/1.1',
  status: 200,
  bytesOut: 76,
  bytesIn: 73,
  sslVerify: undefined,
  sslSubject: '',
  poolId: 'p1',
  memberId: 'm1',
  end: Date.UTC(2019, 5, 12, 0, 44, 13, 34),
  termination: '----',
} as const;

describe('access log line', () => {
  it("writes Octavia's tenant flow log fields from %f on, as its guide's example shows them", () => {
    assert.equal(
      accessLogLine(entry),
      'l1 127.0.0.1 41152 12/Jun/2019:00:44:13.030 "GET / HTTP/1.1" 200 76 73 - "" p1 m1 4 ----',
    );
  });

  it('writes - for what does not apply to a TCP connection and quotes a client certificate DN', () => {
    const line = accessLogLine({
      ...entry,
      request: undefined,
      status: undefined,
      sslVerify: 0,
      sslSubject: '/CN="x"',
      memberId: undefined,
      termination: 'SC--',
    });
    assert.equal(line, 'l1 127.0.0.1 41152 12/Jun/2019:00:44:13.030 - - 76 73 0 "/CN=\\"x\\"" p1 - 4 SC--');
  });

  it('formats milliseconds with three digits within the same and the next second', () => {
    const t = Date.UTC(2026, 11, 6, 23, 59, 59, 5);
    assert.equal(logTime(t), '06/Dec/2026:23:59:59.005');
    assert.equal(logTime(t + 995), '07/Dec/2026:00:00:00.000');
  });
});
