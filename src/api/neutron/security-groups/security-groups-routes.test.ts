// The security groups API: a project's default group and its rules, a new group's egress rules, rename
// and delete rules for `default`, isolation between projects, tags, and groups in use by ports.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ADMIN,
  ALICE,
  ALICE_PROJECT,
  BOB,
  type NeutronFixture,
  neutronError,
  neutronFixture,
} from '../../../../test/helpers/neutron-fixture.ts';

type Rule = Record<string, unknown>;
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Rules made together share a creation time, so their order is the store's: compare them sorted. */
const sorted = (rules: Rule[]) =>
  [...rules].sort((a, b) => `${a.direction}${a.ethertype}`.localeCompare(`${b.direction}${b.ethertype}`));

/** A rule without its generated id and times, for exact comparison. */
const shape = (rule: Rule) => {
  const { id, created_at, updated_at, ...rest } = rule;
  assert.match(String(id), /^[0-9a-f-]{36}$/);
  assert.match(String(created_at), ISO_SECONDS);
  assert.match(String(updated_at), ISO_SECONDS);
  return rest;
};

const anyRule = (groupId: string, direction: string, ethertype: string, extra: Rule = {}) => ({
  project_id: ALICE_PROJECT,
  tenant_id: ALICE_PROJECT,
  security_group_id: groupId,
  ethertype,
  direction,
  protocol: null,
  port_range_min: null,
  port_range_max: null,
  remote_ip_prefix: null,
  remote_address_group_id: null,
  normalized_cidr: null,
  remote_group_id: null,
  belongs_to_default_sg: false,
  description: '',
  revision_number: 0,
  ...extra,
});

describe('Neutron security groups API', () => {
  let f: NeutronFixture;
  beforeEach(async () => {
    f = await neutronFixture();
  });
  afterEach(() => f.close());

  const create = async (token: string, body: Rule) => {
    const response = await f.call('POST', '/v2.0/security-groups', token, { security_group: body });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().security_group;
  };

  it("gives a project its default group on its first list, with Neutron's four default rules", async () => {
    const listed = await f.call('GET', '/v2.0/security-groups', ALICE);
    assert.equal(listed.statusCode, 200, listed.body);
    const groups = listed.json().security_groups;
    assert.equal(groups.length, 1);
    const [group] = groups;
    const { id, created_at, updated_at, security_group_rules, ...rest } = group;
    assert.deepEqual(rest, {
      name: 'default',
      stateful: true,
      tenant_id: ALICE_PROJECT,
      project_id: ALICE_PROJECT,
      description: 'Default security group',
      tags: [],
      revision_number: 0,
    });
    const own = { belongs_to_default_sg: true };
    assert.deepEqual(sorted(security_group_rules).map(shape), [
      anyRule(id, 'egress', 'IPv4', own),
      anyRule(id, 'egress', 'IPv6', own),
      anyRule(id, 'ingress', 'IPv4', { ...own, remote_group_id: id }),
      anyRule(id, 'ingress', 'IPv6', { ...own, remote_group_id: id }),
    ]);
    // Listing again does not make a second default group; bob's list shows only bob's.
    assert.equal((await f.call('GET', '/v2.0/security-groups', ALICE)).json().security_groups.length, 1);
    const bobs = (await f.call('GET', '/networking/v2.0/security-groups', BOB)).json().security_groups;
    assert.deepEqual(
      bobs.map((g: Rule) => [g.name, g.project_id]),
      [['default', 'project-bob']],
    );
  });

  it('creates a group with two egress rules, shows, filters, renames and deletes it', async () => {
    const group = await create(ALICE, { name: 'web', description: 'front', stateful: false });
    assert.deepEqual(
      {
        ...group,
        id: undefined,
        created_at: undefined,
        updated_at: undefined,
        security_group_rules: undefined,
      },
      {
        id: undefined,
        name: 'web',
        stateful: false,
        tenant_id: ALICE_PROJECT,
        project_id: ALICE_PROJECT,
        description: 'front',
        security_group_rules: undefined,
        tags: [],
        created_at: undefined,
        updated_at: undefined,
        revision_number: 0,
      },
    );
    assert.deepEqual(sorted(group.security_group_rules).map(shape), [
      anyRule(group.id, 'egress', 'IPv4'),
      anyRule(group.id, 'egress', 'IPv6'),
    ]);
    const shown = await f.call('GET', `/v2.0/security-groups/${group.id}?fields=name&fields=stateful`, ALICE);
    assert.deepEqual(shown.json(), { security_group: { name: 'web', stateful: false } });
    const filtered = await f.call('GET', '/v2.0/security-groups?name=web&fields=id', ALICE);
    assert.deepEqual(filtered.json(), { security_groups: [{ id: group.id }] });
    // Creating a group also made the project's default group.
    const names = (await f.call('GET', '/v2.0/security-groups?fields=name', ALICE)).json().security_groups;
    assert.deepEqual(names.map((g: Rule) => g.name).sort(), ['default', 'web']);

    const renamed = await f.call('PUT', `/v2.0/security-groups/${group.id}`, ALICE, {
      security_group: { name: 'web2', description: '', stateful: true },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    const updated = renamed.json().security_group;
    assert.deepEqual([updated.name, updated.description, updated.stateful], ['web2', '', true]);
    assert.equal(updated.revision_number, 1);

    assert.equal((await f.call('DELETE', `/v2.0/security-groups/${group.id}`, ALICE)).statusCode, 204);
    const gone = await f.call('GET', `/v2.0/security-groups/${group.id}`, ALICE);
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(neutronError(gone.body), {
      type: 'SecurityGroupNotFound',
      message: `Security group ${group.id} does not exist`,
      detail: '',
    });
  });

  it('refuses the name default on create and rename, and any rename of the default group', async () => {
    for (const name of ['default', 'Default']) {
      const refused = await f.call('POST', '/v2.0/security-groups', ALICE, { security_group: { name } });
      assert.equal(refused.statusCode, 409);
      assert.deepEqual(neutronError(refused.body), {
        type: 'SecurityGroupDefaultAlreadyExists',
        message: 'Default security group already exists.',
        detail: '',
      });
    }
    const group = await create(ALICE, { name: 'g' });
    const toDefault = await f.call('PUT', `/v2.0/security-groups/${group.id}`, ALICE, {
      security_group: { name: 'default' },
    });
    assert.equal(neutronError(toDefault.body).type, 'SecurityGroupDefaultAlreadyExists');
    const defaultId = (await f.call('GET', '/v2.0/security-groups?name=default', ALICE)).json()
      .security_groups[0].id;
    const rename = await f.call('PUT', `/v2.0/security-groups/${defaultId}`, ALICE, {
      security_group: { name: 'other' },
    });
    assert.equal(rename.statusCode, 409);
    assert.deepEqual(neutronError(rename.body), {
      type: 'SecurityGroupCannotUpdateDefault',
      message: 'Updating default security group not allowed.',
      detail: '',
    });
    const described = await f.call('PUT', `/v2.0/security-groups/${defaultId}`, ALICE, {
      security_group: { description: 'mine' },
    });
    assert.equal(described.json().security_group.description, 'mine');
  });

  it('keeps the default group from its project but lets an admin delete it', async () => {
    const defaultId = (await f.call('GET', '/v2.0/security-groups', ALICE)).json().security_groups[0].id;
    const refused = await f.call('DELETE', `/v2.0/security-groups/${defaultId}`, ALICE);
    assert.equal(refused.statusCode, 409);
    assert.deepEqual(neutronError(refused.body), {
      type: 'SecurityGroupCannotRemoveDefault',
      message: 'Insufficient rights for removing default security group.',
      detail: '',
    });
    assert.equal((await f.call('DELETE', `/v2.0/security-groups/${defaultId}`, ADMIN)).statusCode, 204);
  });

  it("hides one project's groups from another and shows all to an admin", async () => {
    const group = await create(ALICE, { name: 'private' });
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const hidden = await f.call(method, `/v2.0/security-groups/${group.id}`, BOB, {
        security_group: { name: 'x' },
      });
      assert.equal(hidden.statusCode, 404, `${method} ${hidden.body}`);
      assert.equal(neutronError(hidden.body).type, 'SecurityGroupNotFound');
    }
    assert.deepEqual(
      (await f.call('GET', '/v2.0/security-groups?name=private', BOB)).json().security_groups,
      [],
    );
    const all = (await f.call('GET', '/v2.0/security-groups?name=private', ADMIN)).json().security_groups;
    assert.deepEqual(
      all.map((g: Rule) => g.id),
      [group.id],
    );
    const foreign = await f.call('POST', '/v2.0/security-groups', BOB, {
      security_group: { name: 'x', project_id: ALICE_PROJECT },
    });
    assert.equal(foreign.statusCode, 400);
  });

  it('validates bodies the way Neutron does', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ name: 'a', bogus: 1 }, 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'bogus'"],
      [{ id: 'x' }, 400, 'HTTPBadRequest', "Attribute 'id' not allowed in POST"],
      [{ name: 5 }, 400, 'HTTPBadRequest', "Invalid input for name. Reason: '5' is not a valid string."],
      [
        { stateful: 'maybe' },
        400,
        'HTTPBadRequest',
        "Invalid input for stateful. Reason: 'maybe' cannot be converted to boolean.",
      ],
    ];
    for (const [body, status, type, message] of cases) {
      const response = await f.call('POST', '/v2.0/security-groups', ALICE, { security_group: body });
      assert.equal(response.statusCode, status, JSON.stringify(body));
      const error = neutronError(response.body);
      assert.deepEqual([error.type, error.message], [type, message]);
    }
  });

  it('tags a group and filters the list by tag', async () => {
    const group = await create(ALICE, { name: 'tagged' });
    const put = await f.call('PUT', `/v2.0/security-groups/${group.id}/tags`, ALICE, { tags: ['b', 'a'] });
    assert.equal(put.statusCode, 200, put.body);
    const shown = (await f.call('GET', `/v2.0/security-groups/${group.id}`, ALICE)).json().security_group;
    assert.deepEqual(shown.tags, ['a', 'b']);
    const byTag = (await f.call('GET', '/v2.0/security-groups?tags=a&fields=name', ALICE)).json();
    assert.deepEqual(byTag, { security_groups: [{ name: 'tagged' }] });
    assert.equal((await f.call('PUT', `/v2.0/security-groups/${group.id}/tags/c`, BOB)).statusCode, 404);
  });

  it('checks the groups a port names and refuses to delete a group a port uses', async () => {
    const group = await create(ALICE, { name: 'ported' });
    const bobs = await create(BOB, { name: 'bobs' });
    const unknown = '0b2e1c35-8a4b-4b9e-9f3c-2f4b5d6e7f80';
    const missing = await f.call('POST', '/v2.0/ports', ALICE, {
      port: { network_id: f.publicNetworkId, security_groups: [group.id, bobs.id, unknown] },
    });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(neutronError(missing.body), {
      type: 'SecurityGroupNotFound',
      message: `Security group ${bobs.id}, ${unknown} does not exist`,
      detail: '',
    });
    const port = await f.call('POST', '/v2.0/ports', ALICE, {
      port: { network_id: f.publicNetworkId, security_groups: [group.id] },
    });
    assert.equal(port.statusCode, 201, port.body);
    assert.deepEqual(port.json().port.security_groups, [group.id]);
    const portId = port.json().port.id;
    const moved = await f.call('PUT', `/v2.0/ports/${portId}`, ALICE, {
      port: { security_groups: [bobs.id] },
    });
    assert.equal(moved.statusCode, 404);

    const inUse = await f.call('DELETE', `/v2.0/security-groups/${group.id}`, ALICE);
    assert.equal(inUse.statusCode, 409);
    assert.deepEqual(neutronError(inUse.body), {
      type: 'SecurityGroupInUse',
      message: `Security Group ${group.id} in use.`,
      detail: '',
    });
    const stateless = await f.call('PUT', `/v2.0/security-groups/${group.id}`, ALICE, {
      security_group: { stateful: false },
    });
    assert.equal(neutronError(stateless.body).type, 'SecurityGroupInUse');

    const cleared = await f.call('PUT', `/v2.0/ports/${portId}`, ALICE, { port: { security_groups: [] } });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal((await f.call('DELETE', `/v2.0/security-groups/${group.id}`, ALICE)).statusCode, 204);
  });
});
