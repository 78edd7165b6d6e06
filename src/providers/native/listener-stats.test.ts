import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListenerStats } from './listener-stats.ts';

describe('listener stats', () => {
  it('buckets request times by their upper bound, a time on a bound in that bound', () => {
    const stats = new ListenerStats();
    assert.equal(stats.snapshot().requestTimes, undefined, 'no request timed yet');
    for (const ms of [1, 5, 7, 20_000]) stats.requestTime(ms);
    const times = stats.snapshot().requestTimes;
    assert.deepEqual(times?.counts, [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(times?.count, 4);
    assert.ok(Math.abs((times?.sum ?? 0) - 20.013) < 1e-9);
  });
});
