import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { getAvailabilityZoneForLoadBalancer } from '../../../store/repositories/availability-zone-repository.ts';

const AZ = '/v2/lbaas/availabilityzones';
const NIL = '00000000-0000-0000-0000-000000000000';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
let api: TestApi;
let profileId: string;

const create = (body: Record<string, unknown>, token = api.adminToken) =>
  api.call('POST', AZ, token, { availability_zone: { availability_zone_profile_id: profileId, ...body } });
const update = (name: string, body: Record<string, unknown>, token = api.adminToken) =>
  api.call('PUT', `${AZ}/${name}`, token, { availability_zone: body });

describe('availability zones API', () => {
  before(async () => {
    api = await startTestApi();
    profileId = (
      await api.call('POST', '/v2/lbaas/availabilityzoneprofiles', api.adminToken, {
        availability_zone_profile: {
          name: 'p',
          provider_name: 'noop',
          availability_zone_data: '{"compute_zone": "nova-1"}',
        },
      })
    ).json().availability_zone_profile.id;
  });
  after(async () => api.close());

  it('creates an enabled zone addressed by name, shows it and lists it', async () => {
    const response = await create({ name: 'az-one', description: 'first' });
    assert.equal(response.statusCode, 201);
    const zone = response.json().availability_zone;
    assert.deepEqual(zone, {
      name: 'az-one',
      description: 'first',
      enabled: true,
      availability_zone_profile_id: profileId,
    });
    assert.deepEqual((await api.call('GET', `${AZ}/az-one`, api.adminToken)).json(), {
      availability_zone: zone,
    });
    const list = (await api.call('GET', `${AZ}?name=az-one`, api.adminToken)).json();
    assert.deepEqual(list, { availability_zones: [zone], availability_zones_links: [] });
  });

  it('rejects a second zone with the same name', async () => {
    await create({ name: 'az-dup' });
    assertFault(await create({ name: 'az-dup' }), 409, 'A availability zone of az-dup already exists.');
  });

  it('rejects a zone whose profile does not exist', async () => {
    const missing = '0b3c9a5e-8d9f-4c1e-9e5a-2d4f6a8b0c1d';
    assertFault(
      await create({ name: 'az-orphan', availability_zone_profile_id: missing }),
      400,
      `Availability Zone Profile ${missing} not found.`,
    );
  });

  it('rejects a zone without a profile', async () => {
    assertFault(
      await api.call('POST', AZ, api.adminToken, { availability_zone: { name: 'az-x' } }),
      400,
      "Invalid input for field/attribute availability_zone_profile_id. Value: 'None'. Mandatory field missing.",
    );
  });

  it('refuses to rename a zone or change its profile', async () => {
    await create({ name: 'az-fixed' });
    assertFault(
      await update('az-fixed', { name: 'other' }),
      400,
      'Unknown attribute for argument availability_zone_.availability_zone: name',
    );
  });

  it('updates description and enabled, null putting enabled back to true', async () => {
    await create({ name: 'az-upd' });
    const changed = (await update('az-upd', { description: 'changed', enabled: false })).json()
      .availability_zone;
    assert.deepEqual([changed.description, changed.enabled], ['changed', false]);
    assert.equal((await update('az-upd', { enabled: null })).json().availability_zone.enabled, true);
  });

  it('refuses to delete a zone a load balancer uses, and deletes it once the load balancer is gone', async () => {
    await create({ name: 'az-used' });
    const lb = (
      await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId },
      })
    ).json().loadbalancer;
    await api.provisioner.idle();
    await api.store.db
      .updateTable('load_balancers')
      .set({ availability_zone: 'az-used' })
      .where('id', '=', lb.id)
      .execute();
    assertFault(
      await api.call('DELETE', `${AZ}/az-used`, api.adminToken),
      409,
      'Availability Zone az-used is in use and cannot be modified.',
    );
    await api.call('DELETE', `/v2/lbaas/loadbalancers/${lb.id}`, api.adminToken);
    await api.provisioner.idle();
    assert.equal((await api.call('DELETE', `${AZ}/az-used`, api.adminToken)).statusCode, 204);
    assertFault(
      await api.call('GET', `${AZ}/az-used`, api.adminToken),
      404,
      'Availability Zone az-used not found.',
    );
  });

  it('answers 404 for an unknown zone and for the nil UUID', async () => {
    assertFault(
      await api.call('GET', `${AZ}/nowhere`, api.adminToken),
      404,
      'Availability Zone nowhere not found.',
    );
    assertFault(await update('nowhere', { enabled: true }), 404, 'Availability Zone nowhere not found.');
    assertFault(
      await api.call('DELETE', `${AZ}/nowhere`, api.adminToken),
      404,
      'Availability Zone nowhere not found.',
    );
    assertFault(
      await api.call('GET', `${AZ}/${NIL}`, api.adminToken),
      404,
      `Availability Zone ${NIL} not found.`,
    );
  });

  it('resolves a zone for a load balancer create, with its provider and decoded metadata', async () => {
    await create({ name: 'az-resolve', enabled: false });
    assert.deepEqual(await getAvailabilityZoneForLoadBalancer(api.store.db, 'az-resolve'), {
      name: 'az-resolve',
      enabled: false,
      providerName: 'noop',
      data: { compute_zone: 'nova-1' },
    });
    assert.equal(await getAvailabilityZoneForLoadBalancer(api.store.db, 'nowhere'), undefined);
  });

  describe('RBAC', () => {
    it('lets members and observers read zones but not change them', async () => {
      await create({ name: 'az-read' });
      for (const role of ['load-balancer_member', 'load-balancer_observer']) {
        const user = await api.userWithRoles([role]);
        assert.equal((await api.call('GET', AZ, user.token)).statusCode, 200);
        assert.equal((await api.call('GET', `${AZ}/az-read`, user.token)).statusCode, 200);
        assertFault(await create({ name: 'az-stolen' }, user.token), 403, FORBIDDEN);
        assertFault(await update('az-read', { enabled: false }, user.token), 403, FORBIDDEN);
        assertFault(await api.call('DELETE', `${AZ}/az-read`, user.token), 403, FORBIDDEN);
      }
    });
  });
});
