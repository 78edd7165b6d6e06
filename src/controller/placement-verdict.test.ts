import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Agent } from '../model/agent.ts';
import type { LoadBalancer } from '../model/load-balancer.ts';
import type { Placement } from '../store/repositories/placement-repository.ts';
import { judgePlacements } from './placement-verdict.ts';

const up = [{ id: 'a', status: 'UP' } as Agent];
const lb = (status = 'PENDING_UPDATE', updatedAt = new Date(1000).toISOString()) =>
  ({
    id: 'lb',
    revision: 5,
    provisioningStatus: status,
    provider: 'native',
    availabilityZone: null,
    updatedAt,
    createdAt: updatedAt,
  }) as unknown as LoadBalancer;
const placement = (extra: Partial<Placement> = {}): Placement => ({
  id: 'p',
  loadBalancerId: 'lb',
  role: 'STANDALONE',
  agentId: 'a',
  scheduledRevision: 5,
  reportedRevision: null,
  applyError: null,
  report: null,
  reportedAt: null,
  vrrpGroupId: null,
  ...extra,
});
const clock = { now: 2000, timeoutMs: 30_000 };

describe('judgePlacements', () => {
  it('succeeds once every serving placement reported the current revision', () => {
    assert.deepEqual(judgePlacements(lb(), [placement({ reportedRevision: 5 })], up, clock), { ok: true });
  });

  it('waits while the agent has only reported an older revision', () => {
    assert.equal(judgePlacements(lb(), [placement({ reportedRevision: 4 })], up, clock), 'waiting');
  });

  it("fails with the agent's error for the current revision", () => {
    const failed = placement({ reportedRevision: 5, applyError: 'cannot listen' });
    assert.deepEqual(judgePlacements(lb(), [failed], up, clock), { ok: false, reason: 'cannot listen' });
  });

  it('ignores a standby: only serving placements decide', () => {
    const placements = [
      placement({ reportedRevision: 5 }),
      placement({ id: 'b', role: 'BACKUP', agentId: null }),
    ];
    assert.deepEqual(judgePlacements(lb(), placements, up, clock), { ok: true });
  });

  it('fails after the timeout, saying that no live agent serves the provider when none is bound', () => {
    const late = { now: 1000 + 30_000, timeoutMs: 30_000 };
    assert.deepEqual(judgePlacements(lb(), [placement({ agentId: null })], up, late), {
      ok: false,
      reason: "no live agent serves provider 'native'",
    });
    assert.deepEqual(judgePlacements(lb(), [placement()], up, late), {
      ok: false,
      reason: 'the agent did not apply revision 5 within 30 s',
    });
  });

  it('completes a delete when the agent removed it, or when its agent is gone', () => {
    assert.deepEqual(judgePlacements(lb('PENDING_DELETE'), [placement({ reportedRevision: 5 })], up, clock), {
      ok: true,
    });
    assert.equal(judgePlacements(lb('PENDING_DELETE'), [placement()], up, clock), 'waiting');
    const down = [{ id: 'a', status: 'DOWN' } as Agent];
    assert.deepEqual(judgePlacements(lb('PENDING_DELETE'), [placement()], down, clock), { ok: true });
  });

  it('waits for a BACKUP in a VRRP group on a live agent: it serves hot, so ACTIVE means both hosts applied', () => {
    const agents = [...up, { id: 'b', status: 'UP' } as Agent];
    const master = placement({ role: 'MASTER', reportedRevision: 5, vrrpGroupId: 'g' });
    const backup = placement({ id: 'q', role: 'BACKUP', agentId: 'b', vrrpGroupId: 'g' });
    assert.equal(judgePlacements(lb(), [master, backup], agents, clock), 'waiting');
    const applied = { ...backup, reportedRevision: 5 };
    assert.deepEqual(judgePlacements(lb(), [master, applied], agents, clock), { ok: true });
    const failed = { ...backup, reportedRevision: 5, applyError: 'cannot bind 10.0.0.5:80' };
    assert.deepEqual(judgePlacements(lb(), [master, failed], agents, clock), {
      ok: false,
      reason: 'cannot bind 10.0.0.5:80',
    });
    assert.equal(judgePlacements(lb('PENDING_DELETE'), [master, backup], agents, clock), 'waiting');
  });

  it('does not wait for a grouped BACKUP whose agent is down', () => {
    const agents = [...up, { id: 'b', status: 'DOWN' } as Agent];
    const master = placement({ role: 'MASTER', reportedRevision: 5, vrrpGroupId: 'g' });
    const backup = placement({ id: 'q', role: 'BACKUP', agentId: 'b', vrrpGroupId: 'g' });
    assert.deepEqual(judgePlacements(lb(), [master, backup], agents, clock), { ok: true });
  });
});
