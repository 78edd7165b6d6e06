import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DesiredSnapshots } from './desired-snapshots.ts';

const index = (key: string) => new Map([['lb-1', key]]);

describe('DesiredSnapshots', () => {
  it('recalls what an agent was answered under an etag, and nothing for another agent', () => {
    const snapshots = new DesiredSnapshots();
    snapshots.remember('agent-a', 'e1', index('k1'));
    assert.equal(snapshots.recall('agent-a', 'e1')?.get('lb-1'), 'k1');
    assert.equal(snapshots.recall('agent-b', 'e1'), undefined);
  });

  it('keeps only the last three answers of each agent', () => {
    const snapshots = new DesiredSnapshots();
    for (const etag of ['e1', 'e2', 'e3', 'e4']) snapshots.remember('agent-a', etag, index(etag));
    snapshots.remember('agent-b', 'e1', index('b1'));
    assert.equal(snapshots.recall('agent-a', 'e1'), undefined);
    assert.deepEqual(
      ['e2', 'e3', 'e4'].map((etag) => snapshots.recall('agent-a', etag)?.get('lb-1')),
      ['e2', 'e3', 'e4'],
    );
    assert.equal(snapshots.recall('agent-b', 'e1')?.get('lb-1'), 'b1');
  });

  it('forgets the agent answered longest ago when more agents than its limit are answered', () => {
    const snapshots = new DesiredSnapshots(2);
    snapshots.remember('agent-a', 'e1', index('a'));
    snapshots.remember('agent-b', 'e1', index('b'));
    snapshots.remember('agent-a', 'e2', index('a2'));
    snapshots.remember('agent-c', 'e1', index('c'));
    assert.equal(snapshots.recall('agent-b', 'e1'), undefined);
    assert.equal(snapshots.recall('agent-a', 'e1')?.get('lb-1'), 'a');
    assert.equal(snapshots.recall('agent-c', 'e1')?.get('lb-1'), 'c');
  });
});
