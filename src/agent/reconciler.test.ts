import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Assignment } from '../model/agent-protocol.ts';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import { Reconciler } from './reconciler.ts';
import { VipPlumbing } from './vip-plumbing.ts';

/** A driver that records what it is asked, and refuses revisions listed in `refuse`. */
class RecordingDriver implements ProviderDriver {
  readonly info = { name: 'rec', description: 'records calls' };
  readonly calls: string[] = [];
  refuse = new Set<number>();
  async apply(desired: DesiredLoadBalancer) {
    this.calls.push(`apply ${desired.id}@${desired.revision}`);
    if (this.refuse.has(desired.revision)) throw new Error(`revision ${desired.revision} refused`);
  }
  async remove(id: string) {
    this.calls.push(`remove ${id}`);
  }
}

const assignment = (id: string, revision: number): Assignment => ({
  provider: 'rec',
  desired: { id, revision, vip: { address: '127.0.0.9', additional: [] } } as unknown as DesiredLoadBalancer,
});
const setup = () => {
  const driver = new RecordingDriver();
  const reconciler = new Reconciler(
    new Map([['rec', driver]]),
    new VipPlumbing(new Map()),
    pino({ level: 'silent' }),
  );
  return { driver, reconciler };
};

describe('Reconciler', () => {
  it('applies each revision once: the same set twice does nothing the second time', async () => {
    const { driver, reconciler } = setup();
    assert.deepEqual(await reconciler.converge([assignment('a', 1)], []), [
      { loadBalancerId: 'a', revision: 1, error: null },
    ]);
    assert.deepEqual(await reconciler.converge([assignment('a', 1)], []), []);
    await reconciler.converge([assignment('a', 2)], []);
    assert.deepEqual(driver.calls, ['apply a@1', 'apply a@2']);
  });

  it('reports a failed revision with its reason and does not retry it until a newer one comes', async () => {
    const { driver, reconciler } = setup();
    driver.refuse.add(1);
    assert.deepEqual(await reconciler.converge([assignment('a', 1)], []), [
      { loadBalancerId: 'a', revision: 1, error: 'revision 1 refused' },
    ]);
    assert.deepEqual(await reconciler.converge([assignment('a', 1)], []), []);
    assert.deepEqual(await reconciler.converge([assignment('a', 2)], []), [
      { loadBalancerId: 'a', revision: 2, error: null },
    ]);
  });

  it('removes what is no longer assigned, and does asked removals once even for load balancers it never held', async () => {
    const { driver, reconciler } = setup();
    await reconciler.converge([assignment('a', 1)], []);
    assert.deepEqual(await reconciler.converge([], ['a', 'b']), [
      { loadBalancerId: 'a', removed: true, error: null },
      { loadBalancerId: 'b', removed: true, error: null },
    ]);
    assert.deepEqual(await reconciler.converge([], ['a', 'b']), []);
    assert.deepEqual(driver.calls, ['apply a@1', 'remove a', 'remove a', 'remove b']);
  });

  it('answers an error for a provider this agent does not run', async () => {
    const { reconciler } = setup();
    const result = await reconciler.converge([{ ...assignment('a', 1), provider: 'haproxy' }], []);
    assert.deepEqual(result, [
      { loadBalancerId: 'a', revision: 1, error: "provider 'haproxy' is not available on this agent" },
    ]);
  });
});
