import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openStore, type Store } from '../database.ts';
import { createNetwork, createSubnet, getPort } from './network-repository.ts';
import {
  createVrrpGroupInFreeSlot,
  deleteEmptyVrrpGroups,
  findOrCreateVrrpGroup,
  type GroupKey,
  vrrpGroupsOfPair,
} from './vrrp-group-repository.ts';

let store: Store;
let ab: GroupKey;
let ba: GroupKey;

const shape = (g: { preferred_agent_id: string; slot: number; vrid: number } | undefined) =>
  g && [g.preferred_agent_id, Number(g.slot), Number(g.vrid)];

describe('VRRP group slots', () => {
  beforeEach(async () => {
    store = await openStore('sqlite::memory:');
    const network = await createNetwork(store.db, {
      projectId: 'p',
      networkType: 'flat',
      physicalNetwork: 'physnet1',
    });
    const subnet = await createSubnet(store.db, {
      networkId: network.id,
      projectId: 'p',
      ipVersion: 4,
      cidr: '10.9.0.0/24',
    });
    const key = { networkId: network.id, subnetId: subnet.id, projectId: 'p' };
    ab = { ...key, preferredAgentId: 'a', peerAgentId: 'b' };
    ba = { ...key, preferredAgentId: 'b', peerAgentId: 'a' };
  });
  afterEach(() => store.close());

  it('keeps allocation in slot 0 and gives further groups of a pair the next free slot with their own router id', async () => {
    const first = await findOrCreateVrrpGroup(store.db, ab);
    assert.deepEqual(shape(first), ['a', 0, 1]);
    assert.equal((await findOrCreateVrrpGroup(store.db, ab))?.id, first?.id, 'slot 0 is found again');
    assert.deepEqual(shape(await createVrrpGroupInFreeSlot(store.db, ab)), ['a', 1, 2]);
    assert.deepEqual(shape(await createVrrpGroupInFreeSlot(store.db, ab)), ['a', 2, 3]);
    assert.deepEqual(
      shape(await createVrrpGroupInFreeSlot(store.db, ba)),
      ['b', 0, 4],
      'slots are per orientation',
    );
    assert.deepEqual(shape(await findOrCreateVrrpGroup(store.db, ba)), ['b', 0, 4]);
    assert.deepEqual(
      (await vrrpGroupsOfPair(store.db, ab.networkId, ['b', 'a'])).map(shape),
      [
        ['a', 0, 1],
        ['b', 0, 4],
        ['a', 1, 2],
        ['a', 2, 3],
      ],
      'both orientations, by slot',
    );
    assert.deepEqual(await vrrpGroupsOfPair(store.db, ab.networkId, ['a', 'c']), []);
  });

  it('deletes an empty slot with its anchor port, and the next group of the pair takes that slot and router id again', async () => {
    await findOrCreateVrrpGroup(store.db, ab);
    const spare = await createVrrpGroupInFreeSlot(store.db, ab);
    assert.ok(spare);
    await createVrrpGroupInFreeSlot(store.db, ab);
    assert.equal(await deleteEmptyVrrpGroups(store.db, [spare.id]), 1);
    assert.equal(await getPort(store.db, spare.anchor_port_id), undefined, 'the anchor port is freed');
    const again = await createVrrpGroupInFreeSlot(store.db, ab);
    assert.deepEqual(shape(again), ['a', 1, 2]);
    assert.notEqual(again?.id, spare.id);
    assert.equal(await deleteEmptyVrrpGroups(store.db), 3);
    assert.deepEqual(await vrrpGroupsOfPair(store.db, ab.networkId, ['a', 'b']), []);
  });
});
