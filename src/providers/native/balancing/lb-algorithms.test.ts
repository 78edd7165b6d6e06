// The balancing algorithms as pure functions: smooth WRR order, weighted least connections, hashing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPick, LeastConnections, SmoothRoundRobin } from './lb-algorithms.ts';

const client = { address: '127.0.0.1', port: 1 };

describe('balancing algorithms', () => {
  it('smooth weighted round robin interleaves 5:1:1 as nginx does', () => {
    const rr = new SmoothRoundRobin();
    const members = [
      { id: 'a', weight: 5 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ];
    const order = Array.from({ length: 7 }, () => rr.pick(members).id).join('');
    assert.equal(order, 'aabacaa');
  });

  it('least connections weighs sessions by member weight', () => {
    const lc = new LeastConnections();
    const members = [
      { id: 'a', weight: 2 },
      { id: 'b', weight: 1 },
    ];
    const active: Record<string, number> = { a: 2, b: 1 };
    // a: (2+1)/2 = 1.5, b: (1+1)/1 = 2
    assert.equal(lc.pick(members, client, (id) => active[id]).id, 'a');
  });

  it('source hashing gives the same key the same member while members are stable', () => {
    const members = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
      { id: 'c', weight: 1 },
    ];
    const first = hashPick(members, '10.0.0.1');
    for (let i = 0; i < 5; i++) assert.equal(hashPick(members, '10.0.0.1'), first);
  });
});
