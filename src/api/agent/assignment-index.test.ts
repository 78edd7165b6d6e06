import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { insertBareLoadBalancer } from '../../../test/helpers/member-rows.ts';
import { ChangeFeed } from '../../store/change-feed.ts';
import { openStore, type Store } from '../../store/database.ts';
import { createAgent, registerAgent } from '../../store/repositories/agent-repository.ts';
import {
  assignmentsOf,
  bindPlacement,
  ensurePlacements,
  listPlacements,
} from '../../store/repositories/placement-repository.ts';
import { AssignmentIndex, FULL_READ_MS } from './assignment-index.ts';

const registration = { host: 'h', pid: 1, epoch: 'e', availabilityZone: null, providers: ['native'] };

async function setup() {
  const store = await openStore('sqlite::memory:');
  const { agent } = await createAgent(store.db, 'a');
  await registerAgent(store.db, agent.id, registration);
  const changes = new ChangeFeed();
  let clock = 0;
  const index = new AssignmentIndex(store.db, changes, () => clock);
  const place = async (id: string) => {
    await insertBareLoadBalancer(store.db, id, 'native');
    await ensurePlacements(store.db, id, 'SINGLE');
    await bindPlacement(store.db, (await listPlacements(store.db, id))[0].id, agent.id, 1);
  };
  for (const id of ['lb-1', 'lb-2', 'lb-3']) await place(id);
  return {
    store,
    changes,
    index,
    place,
    agentId: agent.id,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const revisionOf = async (index: AssignmentIndex, agentId: string, id: string) =>
  (await index.assignmentsOf(agentId)).ids.find((a) => a.id === id)?.revision;

async function bump(store: Store, id: string): Promise<void> {
  await store.db
    .updateTable('load_balancers')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

describe('the assignment index of the agent long-poll', () => {
  it('answers what a whole read answers, and shows at once a change the feed names', async () => {
    const { store, changes, index, agentId } = await setup();
    assert.deepEqual(await index.assignmentsOf(agentId), await assignmentsOf(store.db, agentId));
    const before = await revisionOf(index, agentId, 'lb-2');
    await bump(store, 'lb-2');
    changes.notify('lb-2');
    assert.equal(await revisionOf(index, agentId, 'lb-2'), Number(before) + 1);
    assert.deepEqual(await index.assignmentsOf(agentId), await assignmentsOf(store.db, agentId));
    await store.close();
  });

  it('shows a change the feed does not name after FULL_READ_MS, and at once after a global change', async () => {
    const { store, changes, index, agentId, advance } = await setup();
    const before = Number(await revisionOf(index, agentId, 'lb-1'));
    await bump(store, 'lb-1'); // as another API process would: nothing on this process's feed
    assert.equal(await revisionOf(index, agentId, 'lb-1'), before);
    advance(FULL_READ_MS);
    assert.equal(await revisionOf(index, agentId, 'lb-1'), before + 1);
    await bump(store, 'lb-3');
    changes.notify('');
    assert.deepEqual(await index.assignmentsOf(agentId), await assignmentsOf(store.db, agentId));
    await store.close();
  });

  it('computes the set again only when the rows it is made of changed', async () => {
    const { store, changes, index, agentId } = await setup();
    const first = await index.assignmentsOf(agentId);
    // The feed names a load balancer this agent does not serve, and one of its own whose rows are unchanged.
    changes.notify('lb-elsewhere');
    changes.notify('lb-1');
    assert.equal(await index.assignmentsOf(agentId), first);
    // A change's own steps that the set does not show: the load balancer pending, its revision reported.
    await store.db
      .updateTable('load_balancers')
      .set({ provisioning_status: 'PENDING_UPDATE' })
      .where('id', '=', 'lb-1')
      .execute();
    await store.db
      .updateTable('amphorae')
      .set({ reported_revision: 7 })
      .where('load_balancer_id', '=', 'lb-1')
      .execute();
    changes.notify('lb-1');
    assert.equal(await index.assignmentsOf(agentId), first);
    await bump(store, 'lb-1');
    changes.notify('lb-1');
    const changed = await index.assignmentsOf(agentId);
    assert.notEqual(changed, first);
    assert.deepEqual(changed, await assignmentsOf(store.db, agentId));
    await store.close();
  });

  it('adds a load balancer bound to the agent and drops a deleted one once the feed names them', async () => {
    const { store, changes, index, agentId, place } = await setup();
    await index.assignmentsOf(agentId);
    await place('lb-4');
    changes.notify('lb-4');
    await store.db
      .updateTable('load_balancers')
      .set({ provisioning_status: 'DELETED' })
      .where('id', '=', 'lb-1')
      .execute();
    changes.notify('lb-1');
    const ids = (await index.assignmentsOf(agentId)).ids.map((a) => a.id);
    assert.deepEqual(ids, ['lb-2', 'lb-3', 'lb-4']);
    assert.deepEqual(await index.assignmentsOf(agentId), await assignmentsOf(store.db, agentId));
    await store.close();
  });
});
