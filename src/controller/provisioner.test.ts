import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Agent } from '../model/agent.ts';
import type { DesiredLoadBalancer } from '../model/desired-state.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import { ChangeFeed } from '../store/change-feed.ts';
import { openStore, type Store } from '../store/database.ts';
import {
  getLoadBalancerRow,
  insertLoadBalancer,
  transitionLoadBalancer,
} from '../store/repositories/load-balancer-repository.ts';
import type { Placement } from '../store/repositories/placement-repository.ts';
import { appliers, Provisioner } from './provisioner.ts';

/** A provider whose behaviour each test chooses: a real ProviderDriver implementation, not a mock. */
class ScriptedProvider implements ProviderDriver {
  readonly info = { name: 'scripted', description: 'test provider' };
  readonly applied: DesiredLoadBalancer[] = [];
  behaviour: 'ok' | 'fail' | 'hang' = 'ok';
  async apply(desired: DesiredLoadBalancer): Promise<void> {
    if (this.behaviour === 'fail') throw new Error('backend network unreachable');
    if (this.behaviour === 'hang') return new Promise(() => {});
    this.applied.push(desired);
  }
  async remove(): Promise<void> {}
}

let store: Store;
let provider: ScriptedProvider;
let changes: ChangeFeed;
let provisioner: Provisioner;

async function seed(id: string, status: 'PENDING_CREATE' | 'ACTIVE' = 'PENDING_CREATE') {
  await insertLoadBalancer(store.db, {
    id,
    projectId: 'p',
    name: null,
    description: null,
    adminStateUp: true,
    provisioningStatus: status,
    operatingStatus: 'OFFLINE',
    provider: 'scripted',
    flavorId: null,
    availabilityZone: null,
    topology: 'SINGLE' as const,
    vip: {
      address: '127.77.0.9',
      portId: '',
      subnetId: 's',
      networkId: 'n',
      qosPolicyId: null,
      additional: [],
    },
    tags: [],
  });
}

function start(applyTimeoutMs = 5000) {
  provisioner = new Provisioner({
    store,
    changes,
    drivers: new Map([['scripted', provider]]),
    logger: pino({ level: 'silent' }),
    applyTimeoutMs,
  });
  provisioner.start();
}

describe('Provisioner', () => {
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    provider = new ScriptedProvider();
    changes = new ChangeFeed();
  });
  afterEach(async () => {
    await provisioner.stop();
    await store.close();
  });

  it('drives a load balancer left PENDING_CREATE by a previous process to ACTIVE on start', async () => {
    await seed('lb-1');
    start();
    await provisioner.scan();
    await provisioner.idle();
    const lb = await getLoadBalancerRow(store.db, 'lb-1');
    assert.equal(lb?.provisioningStatus, 'ACTIVE');
    assert.equal(lb?.appliedRevision, lb?.revision);
    assert.equal(provider.applied[0].id, 'lb-1');
  });

  it('applies a change as soon as the change feed announces it', async () => {
    await seed('lb-2', 'ACTIVE');
    start();
    assert.ok(await transitionLoadBalancer(store.db, 'lb-2', ['ACTIVE'], 'PENDING_UPDATE', { name: 'n' }));
    changes.notify('lb-2');
    await provisioner.idle();
    assert.equal((await getLoadBalancerRow(store.db, 'lb-2'))?.provisioningStatus, 'ACTIVE');
    assert.equal(provider.applied.at(-1)?.revision, 2);
  });

  it('marks the load balancer ERROR with the provider’s reason when the provider fails', async () => {
    provider.behaviour = 'fail';
    await seed('lb-3');
    start();
    await provisioner.scan();
    await provisioner.idle();
    const lb = await getLoadBalancerRow(store.db, 'lb-3');
    assert.equal(lb?.provisioningStatus, 'ERROR');
    assert.equal(lb?.statusReason, 'backend network unreachable');
  });

  it('never leaves a load balancer pending when the provider does not answer', async () => {
    provider.behaviour = 'hang';
    await seed('lb-4');
    start(50);
    await provisioner.scan();
    await provisioner.idle();
    const lb = await getLoadBalancerRow(store.db, 'lb-4');
    assert.equal(lb?.provisioningStatus, 'ERROR');
    assert.match(lb?.statusReason ?? '', /did not answer/);
  });

  it('marks a deleted load balancer DELETED', async () => {
    await seed('lb-5', 'ACTIVE');
    start();
    assert.ok(await transitionLoadBalancer(store.db, 'lb-5', ['ACTIVE', 'ERROR'], 'PENDING_DELETE'));
    changes.notify('lb-5');
    await provisioner.idle();
    assert.equal((await getLoadBalancerRow(store.db, 'lb-5'))?.provisioningStatus, 'DELETED');
  });
});

describe('who applied a change, for its status events', () => {
  const agents = [
    { id: 'a1', name: 'host-a' },
    { id: 'a2', name: 'host-b' },
    { id: 'a3', name: 'host-c' },
  ] as unknown as Agent[];
  const placed = (...agentIds: (string | null)[]) =>
    agentIds.map((agentId) => ({ agentId })) as unknown as Placement[];

  it('names the agents serving the placements, and says so when none does', () => {
    assert.equal(appliers(placed('a2'), agents), 'agent host-b');
    assert.equal(appliers(placed('a1', 'a3'), agents), 'agents host-a, host-c');
    assert.equal(appliers(placed(null), agents), 'no agent');
  });
});
