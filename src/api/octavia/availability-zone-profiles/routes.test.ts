import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const AZP = '/v2/lbaas/availabilityzoneprofiles';
const NIL = '00000000-0000-0000-0000-000000000000';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
const UNSUPPORTED = "Provider 'amphora' does not support a requested option: ";
let api: TestApi;

const create = (body: Record<string, unknown>, token = api.adminToken) =>
  api.call('POST', AZP, token, {
    availability_zone_profile: { name: 'azp', provider_name: 'noop', availability_zone_data: '{}', ...body },
  });
async function profileId(body: Record<string, unknown> = {}): Promise<string> {
  const response = await create(body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().availability_zone_profile.id;
}
const update = (id: string, body: Record<string, unknown>) =>
  api.call('PUT', `${AZP}/${id}`, api.adminToken, { availability_zone_profile: body });

describe('availability zone profiles API', () => {
  before(async () => {
    api = await startTestApi({ amphoraProvider: 'noop' });
  });
  after(async () => api.close());

  it('creates a profile, shows it and lists it under the singular links key', async () => {
    const data = '{"compute_zone": "az1", "valid_vip_networks": ["n1"]}';
    const response = await create({ name: 'zone-a', availability_zone_data: data });
    assert.equal(response.statusCode, 201);
    const profile = response.json().availability_zone_profile;
    assert.deepEqual(profile, {
      id: profile.id,
      name: 'zone-a',
      provider_name: 'noop',
      availability_zone_data: data,
    });
    assert.deepEqual((await api.call('GET', `${AZP}/${profile.id}`, api.adminToken)).json(), {
      availability_zone_profile: profile,
    });
    const list = (await api.call('GET', `${AZP}?name=zone-a`, api.adminToken)).json();
    assert.deepEqual(list, { availability_zone_profiles: [profile], availability_zone_profile_links: [] });
  });

  it('rejects availability_zone_data that is not JSON', async () => {
    assertFault(
      await create({ availability_zone_data: 'nope' }),
      400,
      'nope is not a valid option for availability_zone_data',
    );
  });

  it('rejects availability_zone_data that is not a JSON object', async () => {
    assertFault(
      await create({ provider_name: 'amphora', availability_zone_data: '"az1"' }),
      501,
      `${UNSUPPORTED}'az1' is not of type 'object'`,
    );
  });

  it('rejects a key the amphora driver does not support', async () => {
    assertFault(
      await create({ provider_name: 'amphora', availability_zone_data: '{"amp_network": "n"}' }),
      501,
      `${UNSUPPORTED}Additional properties are not allowed ('amp_network' was unexpected)`,
    );
  });

  it('accepts every amphora availability zone key on the amphora and octavia aliases', async () => {
    const data = JSON.stringify({
      compute_zone: 'nova',
      volume_zone: 'cinder',
      management_network: 'lb-mgmt-net',
      valid_vip_networks: ['n1'],
    });
    for (const provider of ['amphora', 'octavia']) {
      const response = await create({ provider_name: provider, availability_zone_data: data });
      assert.equal(response.statusCode, 201, response.body);
    }
  });

  it('lets the noop provider accept any JSON object, as Octavia noop driver does', async () => {
    const response = await create({ availability_zone_data: '{"volume_zone": 1, "bogus": null}' });
    assert.equal(response.statusCode, 201, response.body);
  });

  it('rejects valid_vip_networks that is not a list', async () => {
    assertFault(
      await create({ provider_name: 'amphora', availability_zone_data: '{"valid_vip_networks": "n1"}' }),
      501,
      `${UNSUPPORTED}valid_vip_networks 'n1' is not of type 'array'`,
    );
  });

  it('rejects a provider that is not enabled', async () => {
    assertFault(await create({ provider_name: 'ovn' }), 400, "Provider 'ovn' is not enabled.");
  });

  it('rejects an unknown attribute', async () => {
    assertFault(
      await create({ bogus: 1 }),
      400,
      'Unknown attribute for argument availability_zone_profile_.availability_zone_profile: bogus',
    );
  });

  it('rejects null for any field of a PUT', async () => {
    const id = await profileId();
    assertFault(
      await update(id, { provider_name: null }),
      400,
      'None is not a valid option for provider_name',
    );
  });

  it('names flavor_data when a PUT carries invalid JSON, as Octavia does', async () => {
    const id = await profileId();
    assertFault(
      await update(id, { availability_zone_data: 'nope' }),
      400,
      'nope is not a valid option for flavor_data',
    );
  });

  it('refuses to change provider or data while a zone uses the profile, but renames it', async () => {
    const id = await profileId();
    await api.call('POST', '/v2/lbaas/availabilityzones', api.adminToken, {
      availability_zone: { name: 'uses-profile', availability_zone_profile_id: id },
    });
    const inUse = `Availability Zone Profile ${id} is in use and cannot be modified.`;
    assertFault(await update(id, { availability_zone_data: '{}' }), 409, inUse);
    assert.equal((await update(id, { name: 'renamed' })).json().availability_zone_profile.name, 'renamed');
    assertFault(await api.call('DELETE', `${AZP}/${id}`, api.adminToken), 409, inUse);
  });

  it('deletes an unused profile, after which it is not found', async () => {
    const id = await profileId();
    assert.equal((await api.call('DELETE', `${AZP}/${id}`, api.adminToken)).statusCode, 204);
    assertFault(
      await api.call('GET', `${AZP}/${id}`, api.adminToken),
      404,
      `Availability Zone Profile ${id} not found.`,
    );
  });

  it('answers 404 for the nil UUID', async () => {
    const nilNotFound = `Availability Zone Profile ${NIL} not found.`;
    assertFault(await api.call('GET', `${AZP}/${NIL}`, api.adminToken), 404, nilNotFound);
    assertFault(await api.call('DELETE', `${AZP}/${NIL}`, api.adminToken), 404, nilNotFound);
  });

  describe('RBAC', () => {
    it('refuses every availability zone profile call to a non-admin', async () => {
      const member = await api.userWithRoles(['load-balancer_member']);
      assertFault(await api.call('GET', AZP, member.token), 403, FORBIDDEN);
      assertFault(await create({}, member.token), 403, FORBIDDEN);
    });
  });
});
