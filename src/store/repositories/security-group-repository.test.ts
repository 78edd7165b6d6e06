// Security groups against a real store, on every dialect: one default group per project even when first
// calls race, rule changes revise their group, and deletion taking the group's rules, the rules naming it
// as remote and its tags with it. (In-use through ports and vip_sg_ids: the route tests.)
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { storeDialects } from '../../../test/helpers/store-dialects.ts';
import type { Store } from '../database.ts';
import {
  createSecurityGroup,
  createSecurityGroupRule,
  defaultGroupId,
  deleteSecurityGroup,
  ensureDefaultSecurityGroup,
  findSecurityGroup,
  isSecurityGroupInUse,
  listSecurityGroupRules,
  listSecurityGroups,
} from './security-group-repository.ts';
import { addTag, tagsOf } from './tag-repository.ts';

for (const dialect of storeDialects()) {
  describe(`security group repository (${dialect.name})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await dialect.open();
    });
    afterEach(() => store.close());

    it('makes exactly one default group with four rules when first calls race', async () => {
      const ids = await Promise.all(
        Array.from({ length: 5 }, () => ensureDefaultSecurityGroup(store.db, 'p1')),
      );
      assert.deepEqual(new Set(ids), new Set([defaultGroupId('p1')]));
      const groups = await listSecurityGroups(store.db, { projectId: 'p1' });
      assert.equal(groups.length, 1);
      assert.equal(groups[0].rules.length, 4);
      assert.notEqual(defaultGroupId('p1'), defaultGroupId('p2'));
      assert.match(
        defaultGroupId('p1'),
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('revises a group when a rule is added, and lists rules in groups the project owns', async () => {
      const group = await createSecurityGroup(store.db, {
        projectId: 'p1',
        name: 'g',
        description: '',
        stateful: true,
      });
      await createSecurityGroupRule(store.db, {
        securityGroupId: group.id,
        projectId: 'admin-project',
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: 'tcp',
        portRangeMin: 22,
        portRangeMax: 22,
        remoteIpPrefix: null,
        remoteGroupId: null,
        description: '',
      });
      const revised = await findSecurityGroup(store.db, group.id, 'all');
      assert.equal(revised?.revisionNumber, 1);
      assert.equal((await listSecurityGroupRules(store.db, { projectId: 'p1' })).length, 3);
      assert.equal((await listSecurityGroupRules(store.db, { projectId: 'admin-project' })).length, 1);
      assert.equal((await listSecurityGroupRules(store.db, { projectId: 'p2' })).length, 0);
    });

    it('deletes a group with its rules, the rules naming it as remote group, and its tags', async () => {
      const used = await createSecurityGroup(store.db, {
        projectId: 'p1',
        name: 'u',
        description: '',
        stateful: true,
      });
      const free = await createSecurityGroup(store.db, {
        projectId: 'p1',
        name: 'f',
        description: '',
        stateful: true,
      });
      assert.equal(await isSecurityGroupInUse(store.db, used.id), false);
      await createSecurityGroupRule(store.db, {
        securityGroupId: used.id,
        projectId: 'p1',
        direction: 'ingress',
        ethertype: 'IPv4',
        protocol: null,
        portRangeMin: null,
        portRangeMax: null,
        remoteIpPrefix: null,
        remoteGroupId: free.id,
        description: '',
      });
      await addTag(store.db, free.id, 't');
      await deleteSecurityGroup(store.db, free.id);
      assert.equal(await findSecurityGroup(store.db, free.id, 'all'), undefined);
      assert.equal((await findSecurityGroup(store.db, used.id, 'all'))?.rules.length, 2);
      assert.deepEqual((await tagsOf(store.db, [free.id])).get(free.id), []);
    });
  });
}
