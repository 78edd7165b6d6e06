import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const FP = '/v2/lbaas/flavorprofiles';
const NIL = '00000000-0000-0000-0000-000000000000';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
const UNSUPPORTED = "Provider 'amphora' does not support a requested option: ";
let api: TestApi;

const create = (body: Record<string, unknown>, token = api.adminToken) =>
  api.call('POST', FP, token, {
    flavorprofile: { name: 'fp', provider_name: 'noop', flavor_data: '{}', ...body },
  });
async function profileId(body: Record<string, unknown> = {}): Promise<string> {
  const response = await create(body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().flavorprofile.id;
}
const update = (id: string, body: Record<string, unknown>) =>
  api.call('PUT', `${FP}/${id}`, api.adminToken, { flavorprofile: body });

describe('flavor profiles API', () => {
  before(async () => {
    api = await startTestApi({ amphoraProvider: 'noop' });
  });
  after(async () => api.close());

  it('creates a profile, shows it and lists it under flavorprofile_links', async () => {
    const data = '{"loadbalancer_topology": "ACTIVE_STANDBY"}';
    const response = await create({ name: 'ha', flavor_data: data });
    assert.equal(response.statusCode, 201);
    const profile = response.json().flavorprofile;
    assert.deepEqual(Object.keys(profile).sort(), ['flavor_data', 'id', 'name', 'provider_name']);
    assert.deepEqual([profile.name, profile.provider_name, profile.flavor_data], ['ha', 'noop', data]);
    const shown = await api.call('GET', `${FP}/${profile.id}?fields=name`, api.adminToken);
    assert.deepEqual(shown.json(), { flavorprofile: { name: 'ha' } });
    const list = (await api.call('GET', `${FP}?name=ha`, api.adminToken)).json();
    assert.deepEqual(Object.keys(list).sort(), ['flavorprofile_links', 'flavorprofiles']);
    assert.deepEqual(list.flavorprofiles, [profile]);
  });

  it('rejects flavor_data that is not JSON', async () => {
    assertFault(await create({ flavor_data: '{nope' }), 400, '{nope is not a valid option for flavor_data');
  });

  it('rejects flavor_data that is not a JSON object', async () => {
    for (const provider of ['amphora', 'noop']) {
      const response = await create({ provider_name: provider, flavor_data: '[1]' });
      const message = `Provider '${provider}' does not support a requested option: [1] is not of type 'object'`;
      assertFault(response, 501, message);
    }
  });

  it('rejects a flavor_data key the amphora driver does not support', async () => {
    assertFault(
      await create({ provider_name: 'amphora', flavor_data: '{"amp_network": "n1"}' }),
      501,
      `${UNSUPPORTED}Additional properties are not allowed ('amp_network' was unexpected)`,
    );
  });

  it('rejects a loadbalancer_topology other than SINGLE or ACTIVE_STANDBY', async () => {
    assertFault(
      await create({ provider_name: 'amphora', flavor_data: '{"loadbalancer_topology": "TRIPLE"}' }),
      501,
      `${UNSUPPORTED}loadbalancer_topology 'TRIPLE' is not one of ['ACTIVE_STANDBY', 'SINGLE']`,
    );
  });

  it('accepts every amphora flavor key on the amphora and octavia aliases', async () => {
    const data = JSON.stringify({
      loadbalancer_topology: 'ACTIVE_STANDBY',
      compute_flavor: 'm1.amphora',
      amp_image_tag: 'amphora-image',
      sriov_vip: false,
      allow_member_sriov: false,
    });
    for (const provider of ['amphora', 'octavia']) {
      const response = await create({ provider_name: provider, flavor_data: data });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().flavorprofile.provider_name, provider);
    }
  });

  it('refuses allow_member_sriov true, which Sluice cannot honour, and accepts false', async () => {
    assertFault(
      await create({ provider_name: 'amphora', flavor_data: '{"allow_member_sriov": true}' }),
      501,
      `${UNSUPPORTED}allow_member_sriov True is not supported: Sluice has no SR-IOV, a member port is always a normal vNIC.`,
    );
    const accepted = await create({ provider_name: 'amphora', flavor_data: '{"allow_member_sriov": false}' });
    assert.equal(accepted.statusCode, 201, accepted.body);
  });

  it("refuses amphora flavor values of the wrong type with the amphora driver's messages", async () => {
    assertFault(
      await create({ provider_name: 'octavia', flavor_data: '{"sriov_vip": "yes"}' }),
      501,
      "Provider 'octavia' does not support a requested option: sriov_vip 'yes' is not of type 'boolean'",
    );
    assertFault(
      await create({ provider_name: 'amphora', flavor_data: '{"compute_flavor": 7}' }),
      501,
      `${UNSUPPORTED}compute_flavor 7 is not of type 'string'`,
    );
  });

  it('refuses sriov_vip true, which Sluice cannot honour, and accepts it false', async () => {
    assertFault(
      await create({ provider_name: 'amphora', flavor_data: '{"sriov_vip": true}' }),
      501,
      `${UNSUPPORTED}sriov_vip True is not supported: Sluice has no SR-IOV, a VIP port is always a normal vNIC.`,
    );
  });

  it('lets the noop provider accept any JSON object, as Octavia noop driver does', async () => {
    const data = '{"bogus": 1, "compute_flavor": {"nested": [true]}}';
    const response = await create({ provider_name: 'noop', flavor_data: data });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().flavorprofile.flavor_data, data);
  });

  it('rejects a provider that is not enabled', async () => {
    assertFault(await create({ provider_name: 'ovn' }), 400, "Provider 'ovn' is not enabled.");
  });

  it('rejects a profile without a name', async () => {
    const response = await api.call('POST', FP, api.adminToken, {
      flavorprofile: { provider_name: 'noop', flavor_data: '{}' },
    });
    assertFault(
      response,
      400,
      "Invalid input for field/attribute name. Value: 'None'. Mandatory field missing.",
    );
  });

  it('rejects flavor_data longer than 4096 characters', async () => {
    const long = `{"x": "${'a'.repeat(4100)}"}`;
    assertFault(
      await create({ flavor_data: long }),
      400,
      `Invalid input for field/attribute flavor_data. Value: '${long}'. Value should have a maximum character requirement of 4096`,
    );
  });

  it('rejects an unknown attribute', async () => {
    assertFault(
      await create({ bogus: 1 }),
      400,
      'Unknown attribute for argument flavor_profile_.flavorprofile: bogus',
    );
  });

  it('rejects null for any field of a PUT', async () => {
    const id = await profileId();
    assertFault(await update(id, { name: null }), 400, 'None is not a valid option for name');
    assertFault(await update(id, { flavor_data: null }), 400, 'None is not a valid option for flavor_data');
  });

  it('updates the name and revalidates new flavor_data', async () => {
    const id = await profileId({ provider_name: 'amphora' });
    const renamed = await update(id, { name: 'renamed', flavor_data: '{"loadbalancer_topology": "SINGLE"}' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().flavorprofile.name, 'renamed');
    assertFault(
      await update(id, { flavor_data: '{"bogus": 1}' }),
      501,
      `${UNSUPPORTED}Additional properties are not allowed ('bogus' was unexpected)`,
    );
    assertFault(await update(id, { flavor_data: 'nope' }), 400, 'nope is not a valid option for flavor_data');
  });

  it('refuses to change provider_name or flavor_data while a flavor uses the profile, but renames it', async () => {
    const id = await profileId();
    await api.call('POST', '/v2/lbaas/flavors', api.adminToken, {
      flavor: { name: 'uses-profile', flavor_profile_id: id },
    });
    const inUse = `Flavor profile ${id} is in use and cannot be modified.`;
    assertFault(await update(id, { flavor_data: '{}' }), 409, inUse);
    assertFault(await update(id, { provider_name: 'noop' }), 409, inUse);
    assert.equal((await update(id, { name: 'still-renamable' })).statusCode, 200);
    assertFault(await api.call('DELETE', `${FP}/${id}`, api.adminToken), 409, inUse);
  });

  it('deletes an unused profile, after which it is not found', async () => {
    const id = await profileId();
    assert.equal((await api.call('DELETE', `${FP}/${id}`, api.adminToken)).statusCode, 204);
    assertFault(await api.call('GET', `${FP}/${id}`, api.adminToken), 404, `Flavor profile ${id} not found.`);
    assertFault(
      await api.call('DELETE', `${FP}/${id}`, api.adminToken),
      404,
      `Flavor profile ${id} not found.`,
    );
    assertFault(await update(id, { name: 'x' }), 404, `Flavor profile ${id} not found.`);
  });

  it('answers 404 for the nil UUID', async () => {
    const nilNotFound = `Flavor profile ${NIL} not found.`;
    assertFault(await api.call('GET', `${FP}/${NIL}`, api.adminToken), 404, nilNotFound);
    assertFault(await update(NIL, { name: 'x' }), 404, nilNotFound);
    assertFault(await api.call('DELETE', `${FP}/${NIL}`, api.adminToken), 404, nilNotFound);
  });

  describe('RBAC', () => {
    it('refuses every flavor profile call to a non-admin', async () => {
      const id = await profileId();
      for (const roles of [['load-balancer_member'], ['load-balancer_global_observer']]) {
        const user = await api.userWithRoles(roles);
        assertFault(await api.call('GET', FP, user.token), 403, FORBIDDEN);
        assertFault(await api.call('GET', `${FP}/${id}`, user.token), 403, FORBIDDEN);
        assertFault(await create({}, user.token), 403, FORBIDDEN);
        assertFault(await api.call('DELETE', `${FP}/${id}`, user.token), 403, FORBIDDEN);
      }
    });
  });
});
