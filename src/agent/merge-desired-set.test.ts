import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assignment } from '../model/agent-protocol.ts';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import { mergeDesiredSet } from './merge-desired-set.ts';

const assignment = (id: string, revision: number): Assignment => ({
  provider: 'native',
  desired: { id, revision } as unknown as DesiredLoadBalancer,
});
const revisions = (held: Map<string, Assignment>) =>
  Object.fromEntries([...held].map(([id, a]) => [id, a.desired.revision]));

describe('merging a desired set', () => {
  it('takes a whole set as it is, whatever was held', () => {
    const held = new Map([['old', assignment('old', 1)]]);
    const merged = mergeDesiredSet(held, 'e1', {
      etag: 'e2',
      assignments: [assignment('a', 3)],
      removals: [],
    });
    assert.deepEqual(revisions(merged), { a: 3 });
  });

  it('applies a delta to the set of its base: changed replaced, new added, gone dropped, the rest kept', () => {
    const held = new Map([
      ['a', assignment('a', 1)],
      ['b', assignment('b', 1)],
      ['c', assignment('c', 1)],
    ]);
    const merged = mergeDesiredSet(held, 'e1', {
      etag: 'e2',
      delta: { base: 'e1', gone: ['c'] },
      assignments: [assignment('b', 2), assignment('d', 1)],
      removals: ['c'],
    });
    assert.deepEqual(revisions(merged), { a: 1, b: 2, d: 1 });
    assert.deepEqual(revisions(held), { a: 1, b: 1, c: 1 }, 'what was held is not changed');
  });

  it('refuses a delta from a set it does not hold, so the agent asks for the whole set again', () => {
    assert.throws(
      () =>
        mergeDesiredSet(new Map(), 'e1', {
          etag: 'e3',
          delta: { base: 'e2', gone: [] },
          assignments: [],
          removals: [],
        }),
      /desired-state delta from e2, held e1/,
    );
  });
});
