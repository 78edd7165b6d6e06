import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { ChangeFeed } from '../store/change-feed.ts';
import { openStore, type Store } from '../store/database.ts';
import { createAgent, registerAgent } from '../store/repositories/agent-repository.ts';
import { ensurePlacements, listPlacements } from '../store/repositories/placement-repository.ts';
import { HealthManager } from './health-manager.ts';

const registration = { host: 'h', pid: 1, epoch: 'e', availabilityZone: null, providers: ['native'] };

async function setup(): Promise<{ store: Store; manager: HealthManager; moved: string[] }> {
  const store = await openStore('sqlite::memory:');
  const changes = new ChangeFeed();
  const moved: string[] = [];
  changes.subscribe((id) => moved.push(id));
  const at = new Date().toISOString();
  await store.db
    .insertInto('load_balancers')
    .values({
      id: 'lb',
      project_id: 'p',
      name: 'lb',
      description: '',
      admin_state_up: 1,
      provisioning_status: 'ACTIVE',
      operating_status: 'ONLINE',
      provider: 'native',
      created_at: at,
      updated_at: at,
    } as never)
    .execute();
  await ensurePlacements(store.db, 'lb', 'SINGLE');
  const manager = new HealthManager({
    store,
    changes,
    logger: pino({ level: 'silent' }),
    heartbeatTimeoutMs: 1000,
    intervalMs: 1000,
    localProviders: ['noop'],
  });
  return { store, manager, moved };
}

/** Makes the agent's last heartbeat long past. */
async function silence(store: Store, agentId: string): Promise<void> {
  await store.db
    .updateTable('agents')
    .set({ heartbeat_at: '2000-01-01T00:00:00.000Z' })
    .where('id', '=', agentId)
    .execute();
}

describe('HealthManager', () => {
  it('binds an active load balancer whose placement has no agent to a live agent', async () => {
    const { store, manager, moved } = await setup();
    const { agent } = await createAgent(store.db, 'a');
    await registerAgent(store.db, agent.id, registration);
    await manager.sweep();
    assert.equal((await listPlacements(store.db, 'lb'))[0].agentId, agent.id);
    assert.deepEqual(moved, ['lb']);
    await store.close();
  });

  it('marks an agent silent past the timeout DOWN and moves its load balancer to a live agent', async () => {
    const { store, manager } = await setup();
    const { agent: dead } = await createAgent(store.db, 'dead');
    await registerAgent(store.db, dead.id, registration);
    await manager.sweep();
    assert.equal((await listPlacements(store.db, 'lb'))[0].agentId, dead.id);
    await silence(store, dead.id);
    const { agent: live } = await createAgent(store.db, 'live');
    await registerAgent(store.db, live.id, registration);
    await manager.sweep();
    const status = await store.db
      .selectFrom('agents')
      .select('status')
      .where('id', '=', dead.id)
      .executeTakeFirstOrThrow();
    assert.equal(status.status, 'DOWN');
    assert.equal((await listPlacements(store.db, 'lb'))[0].agentId, live.id);
    await store.close();
  });

  it('marks no agent DOWN on a tick that comes late (its own process stalled), and does on the next tick', async () => {
    const { store, manager } = await setup();
    const { agent: silent } = await createAgent(store.db, 'silent');
    await registerAgent(store.db, silent.id, registration);
    await manager.tick(0);
    assert.equal((await listPlacements(store.db, 'lb'))[0].agentId, silent.id);
    await silence(store, silent.id);
    const { agent: live } = await createAgent(store.db, 'live');
    await registerAgent(store.db, live.id, registration);
    const statusOf = async () =>
      (
        await store.db
          .selectFrom('agents')
          .select('status')
          .where('id', '=', silent.id)
          .executeTakeFirstOrThrow()
      ).status;
    // 5 s after the previous tick with a 1 s interval: the heartbeats of that stretch may still be unread.
    await manager.tick(5000);
    assert.equal(await statusOf(), 'UP');
    assert.equal((await listPlacements(store.db, 'lb'))[0].agentId, silent.id);
    await manager.tick(6000);
    assert.equal(await statusOf(), 'DOWN');
    assert.equal((await listPlacements(store.db, 'lb'))[0].agentId, live.id);
    await store.close();
  });

  it('still marks a silent agent DOWN when every tick comes late, skipping only one pass in a row', async () => {
    const { store, manager } = await setup();
    const { agent: silent } = await createAgent(store.db, 'silent');
    await registerAgent(store.db, silent.id, registration);
    await manager.tick(0);
    await silence(store, silent.id);
    const statusOf = async () =>
      (
        await store.db
          .selectFrom('agents')
          .select('status')
          .where('id', '=', silent.id)
          .executeTakeFirstOrThrow()
      ).status;
    // A 1 s interval, and every tick 3 s after the previous one.
    await manager.tick(3000);
    assert.equal(await statusOf(), 'UP');
    await manager.tick(6000);
    assert.equal(await statusOf(), 'DOWN');
    await store.close();
  });
});
