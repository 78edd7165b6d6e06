import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS_LOG_INITIAL_SLOTS, AccessLogRing } from './access-log-ring.ts';

describe('access log ring', () => {
  it('gives lines back oldest first, at most the number asked for, and keeps the rest for the next drain', () => {
    const ring = new AccessLogRing(5);
    for (const line of ['a', 'b', 'c']) ring.push(line);
    assert.deepEqual(ring.drain(2), { lines: ['a', 'b'], dropped: 0 });
    ring.push('d');
    assert.deepEqual(ring.drain(10), { lines: ['c', 'd'], dropped: 0 });
    assert.deepEqual(ring.drain(10), { lines: [], dropped: 0 });
  });

  it('drops the oldest lines when full and counts them once, at the next drain', () => {
    const ring = new AccessLogRing(3);
    for (let i = 1; i <= 7; i++) ring.push(String(i));
    assert.equal(ring.size, 3);
    assert.deepEqual(ring.drain(10), { lines: ['5', '6', '7'], dropped: 4 });
    ring.push('8');
    assert.deepEqual(ring.drain(10), { lines: ['8'], dropped: 0 });
  });

  it('starts with few slots and grows with waiting lines, keeping their order through wraps, up to its capacity', () => {
    const ring = new AccessLogRing(1000);
    assert.equal(ring.slots, ACCESS_LOG_INITIAL_SLOTS);
    for (let i = 0; i < 50; i++) ring.push(String(i));
    ring.drain(40);
    for (let i = 50; i < 1300; i++) ring.push(String(i));
    assert.equal(ring.slots, 1000);
    const { lines, dropped } = ring.drain(2000);
    assert.equal(dropped, 260);
    assert.deepEqual(
      lines,
      Array.from({ length: 1000 }, (_, k) => String(300 + k)),
    );
  });
});
