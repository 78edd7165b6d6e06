import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import type { Assignment } from '../model/agent-protocol.ts';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import type { VrrpState } from '../model/vrrp.ts';
import { CONCURRENT_APPLIES, Reconciler, type VrrpKeeper } from './reconciler.ts';
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

  it('applies another load balancer while one is still applying, a few at a time', async () => {
    const { driver, reconciler } = setup();
    let releaseSlow: () => void = () => {};
    const slowStarted = Promise.withResolvers<void>();
    const plain = driver.apply.bind(driver);
    let running = 0;
    let most = 0;
    driver.apply = async (desired: DesiredLoadBalancer) => {
      running += 1;
      most = Math.max(most, running);
      try {
        if (desired.id === 'slow') {
          slowStarted.resolve();
          await new Promise<void>((resolve) => {
            releaseSlow = resolve;
          });
        }
        await plain(desired);
      } finally {
        running -= 1;
      }
    };
    const ids = ['slow', ...Array.from({ length: 20 }, (_, i) => `lb${i}`)];
    const converging = reconciler.converge(
      ids.map((id) => assignment(id, 1)),
      [],
    );
    await slowStarted.promise;
    // Every other load balancer is applied while the slow one still holds its lane.
    for (let i = 0; i < 100 && driver.calls.length < ids.length - 1; i += 1)
      await new Promise((r) => setImmediate(r));
    assert.equal(driver.calls.length, ids.length - 1);
    assert.ok(!driver.calls.includes('apply slow@1'));
    releaseSlow();
    const results = await converging;
    assert.equal(results.length, ids.length);
    assert.ok(results.every((r) => r.error === null));
    assert.ok(most <= CONCURRENT_APPLIES, `${most} applies ran at once`);
    assert.ok(most > 1);
  });

  it('answers an error for a provider this agent does not run', async () => {
    const { reconciler } = setup();
    const result = await reconciler.converge([{ ...assignment('a', 1), provider: 'haproxy' }], []);
    assert.deepEqual(result, [
      { loadBalancerId: 'a', revision: 1, error: "provider 'haproxy' is not available on this agent" },
    ]);
  });
});

/** The host's keepalived as the reconciler sees it: records what it is asked, refuses the ids in `refuse`. */
class RecordingKeeper implements VrrpKeeper {
  readonly refuse = new Map<string, string>();
  readonly events: string[];
  constructor(events: string[]) {
    this.events = events;
  }
  async sync(assignments: readonly Assignment[]) {
    this.events.push(`sync ${assignments.filter((a) => a.vrrp).map((a) => a.desired.id)}`);
    return new Map([...this.refuse].filter(([id]) => assignments.some((a) => a.desired.id === id && a.vrrp)));
  }
  states(): Record<string, VrrpState> {
    return { a: 'BACKUP' };
  }
  async stop() {
    this.events.push('keepalived stop');
  }
}

const VIP = '198.18.203.10';
const vrrp = {
  role: 'BACKUP',
  group: {
    name: 'vrrp_1_00000000',
    physnet: 'physnet1',
    vrid: 1,
    priority: 100,
    sourceAddress: '198.18.203.2',
    peers: ['198.18.203.1'],
    anchor: '198.18.203.250',
  },
} as const;
const withVip = (id: string, revision: number, grouped: boolean): Assignment => ({
  provider: 'rec',
  desired: { id, revision, vip: { address: VIP, additional: [] } } as unknown as DesiredLoadBalancer,
  ...(grouped && { vrrp }),
});

/** A reconciler whose VIP plumbing runs `ip` into `events` (the plumbing's seam for namespaces). */
function grouped() {
  const events: string[] = [];
  const driver = new RecordingDriver();
  const keeper = new RecordingKeeper(events);
  const plumbing = new VipPlumbing(
    new Map([['default', 'eth9']]),
    async (args) => void events.push(`ip ${args.join(' ')}`),
    async () => {},
  );
  const reconciler = new Reconciler(new Map([['rec', driver]]), plumbing, pino({ level: 'silent' }), keeper);
  return { events, driver, keeper, reconciler };
}

describe('Reconciler with keepalived', () => {
  it("leaves a grouped load balancer's VIPs to keepalived, releasing what it added for the ungrouped revision", async () => {
    const { events, driver, reconciler } = grouped();
    await reconciler.converge([withVip('a', 1, false)], []);
    assert.deepEqual(await reconciler.converge([withVip('a', 1, true)], []), []);
    assert.deepEqual(events, [
      `ip addr replace ${VIP}/32 dev eth9`,
      'sync ',
      `ip addr del ${VIP}/32 dev eth9`,
      'sync a',
    ]);
    await reconciler.converge([withVip('a', 2, true)], []);
    assert.deepEqual(events.slice(4), ['sync a']);
    assert.deepEqual(driver.calls, ['apply a@1', 'apply a@2']);
  });

  it('plumbs the VIPs again after keepalived let go of them when the load balancer leaves its group', async () => {
    const { events, reconciler } = grouped();
    await reconciler.converge([withVip('a', 1, true)], []);
    assert.deepEqual(await reconciler.converge([withVip('a', 1, false)], []), []);
    assert.deepEqual(events, ['sync a', 'sync ', `ip addr replace ${VIP}/32 dev eth9`]);
  });

  it("reports keepalived's refusal against the grouped load balancers only, once, and null once it holds them", async () => {
    const { keeper, reconciler } = grouped();
    keeper.refuse.set('a', 'keepalived: refused');
    const plain = { ...assignment('b', 1) };
    assert.deepEqual(await reconciler.converge([withVip('a', 1, true), plain], []), [
      { loadBalancerId: 'a', revision: 1, error: 'keepalived: refused' },
      { loadBalancerId: 'b', revision: 1, error: null },
    ]);
    assert.deepEqual(await reconciler.converge([withVip('a', 1, true), plain], []), []);
    keeper.refuse.clear();
    assert.deepEqual(await reconciler.converge([withVip('a', 1, true), plain], []), [
      { loadBalancerId: 'a', revision: 1, error: null },
    ]);
    assert.deepEqual(await reconciler.converge([withVip('a', 1, true), plain], []), []);
  });

  it("reports keepalived's states, and none without keepalived", () => {
    assert.deepEqual(grouped().reconciler.vrrpStates(), { a: 'BACKUP' });
    assert.equal(setup().reconciler.vrrpStates(), undefined);
  });

  it('stops keepalived before the data planes on close, so the peer takes the VIPs while they still serve', async () => {
    const { events, driver, reconciler } = grouped();
    Object.assign(driver, { close: async () => void events.push('data planes close') });
    await reconciler.close();
    assert.deepEqual(events, ['keepalived stop', 'data planes close']);
  });
});

describe('Reconciler when a link goes down', () => {
  const single = (id: string, address: string): Assignment => ({
    provider: 'rec',
    desired: { id, revision: 1, vip: { address, additional: [] } } as unknown as DesiredLoadBalancer,
  });
  /** A reconciler whose plumbing runs `ip` and the announcements into `events`. */
  function linked() {
    const events: string[] = [];
    const driver = new RecordingDriver();
    const plumbing = new VipPlumbing(
      new Map([['default', 'eth9']]),
      async (args) => void events.push(`ip ${args.join(' ')}`),
      async (iface, address) => void events.push(`announce ${address} on ${iface}`),
    );
    const reconciler = new Reconciler(new Map([['rec', driver]]), plumbing, pino({ level: 'silent' }));
    return { events, driver, reconciler };
  }

  it('withdraws the VIPs and plumbs and announces them again only from a set given after the link is back', async () => {
    const { events, driver, reconciler } = linked();
    await reconciler.converge([single('a', '198.18.204.1'), single('b', '198.18.204.2')], []);
    events.length = 0;
    await reconciler.linkDown('eth9');
    assert.deepEqual(events, [
      'ip addr del 198.18.204.1/32 dev eth9',
      'ip addr del 198.18.204.2/32 dev eth9',
    ]);
    events.length = 0;
    // A set while the link is down (the API reached another way), then the link's return: nothing comes back.
    assert.deepEqual(
      await reconciler.converge([single('a', '198.18.204.1'), single('b', '198.18.204.2')], []),
      [],
    );
    reconciler.linkUp('eth9');
    assert.deepEqual(events, []);
    // The first set after the return still assigns `a` here, not `b` (moved meanwhile).
    assert.deepEqual(await reconciler.converge([single('a', '198.18.204.1')], []), [
      { loadBalancerId: 'b', removed: true, error: null },
    ]);
    assert.deepEqual(events, ['ip addr replace 198.18.204.1/32 dev eth9', 'announce 198.18.204.1 on eth9']);
    assert.deepEqual(driver.calls, ['apply a@1', 'apply b@1', 'remove b']);
    events.length = 0;
    assert.deepEqual(await reconciler.converge([single('a', '198.18.204.1')], []), []);
    assert.deepEqual(events, []);
  });

  it('keeps a new revision applied while the link is down off the interface until the link is back', async () => {
    const { events, reconciler } = linked();
    await reconciler.linkDown('eth9');
    assert.deepEqual(await reconciler.converge([single('a', '198.18.204.3')], []), [
      { loadBalancerId: 'a', revision: 1, error: null },
    ]);
    assert.deepEqual(events, []);
    reconciler.linkUp('eth9');
    await reconciler.converge([single('a', '198.18.204.3')], []);
    assert.deepEqual(events, ['ip addr replace 198.18.204.3/32 dev eth9', 'announce 198.18.204.3 on eth9']);
  });
});
