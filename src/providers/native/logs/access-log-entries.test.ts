import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessLogEntries } from './access-log-entries.ts';
import { accessLogLine } from './access-log-line.ts';

const entry = (i: number) =>
  ({
    listenerId: 'l1',
    clientAddress: '127.0.0.1',
    clientPort: 40000 + i,
    start: Date.UTC(2026, 11, 6, 0, 0, 0, i),
    request: i % 2 === 0 ? `GET /${i} HTTP/1.1` : undefined,
    status: i % 2 === 0 ? 200 : undefined,
    bytesOut: i * 10,
    bytesIn: i,
    sslVerify: i % 3 === 0 ? 0 : undefined,
    sslSubject: '',
    poolId: 'p1',
    memberId: i % 4 === 0 ? undefined : 'm1',
    end: Date.UTC(2026, 11, 6, 0, 0, 0, i + 3),
    termination: '----',
  }) as const;

describe('access log entries', () => {
  it('formats the lines it gives back exactly as the entries would be formatted when pushed', () => {
    const entries = new AccessLogEntries(8);
    for (let i = 0; i < 5; i++) entries.push(entry(i));
    assert.deepEqual(entries.drain(3), { lines: [0, 1, 2].map((i) => accessLogLine(entry(i))), dropped: 0 });
    assert.deepEqual(
      entries.drain(10).lines,
      [3, 4].map((i) => accessLogLine(entry(i))),
    );
    assert.equal(entries.size, 0);
  });

  it('drops the oldest entries when full and counts them once, at the next drain', () => {
    const entries = new AccessLogEntries(3);
    for (let i = 0; i < 7; i++) entries.push(entry(i));
    assert.deepEqual(entries.drain(10), { lines: [4, 5, 6].map((i) => accessLogLine(entry(i))), dropped: 4 });
    entries.push(entry(7));
    assert.deepEqual(entries.drain(10), { lines: [accessLogLine(entry(7))], dropped: 0 });
  });

  it('starts with few slots and grows with waiting lines, keeping their order through wraps, up to its capacity', () => {
    const entries = new AccessLogEntries(1000);
    assert.ok(entries.slots <= 64, `${entries.slots} slots before any line`);
    // Wrap the small ring first (push, drain), then fill it past several doublings.
    for (let i = 0; i < 50; i++) entries.push(entry(i));
    entries.drain(40);
    for (let i = 50; i < 1300; i++) entries.push(entry(i));
    assert.equal(entries.slots, 1000);
    const { lines, dropped } = entries.drain(2000);
    assert.equal(dropped, 1260 - 1000);
    assert.deepEqual(
      lines,
      Array.from({ length: 1000 }, (_, k) => accessLogLine(entry(300 + k))),
    );
  });
});
