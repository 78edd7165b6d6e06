import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';
import { getFlavorForLoadBalancer } from '../../../store/repositories/flavor-repository.ts';

const F = '/v2/lbaas/flavors';
const NIL = '00000000-0000-0000-0000-000000000000';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
let api: TestApi;
let profileId: string;

const create = (body: Record<string, unknown>, token = api.adminToken) =>
  api.call('POST', F, token, { flavor: { flavor_profile_id: profileId, ...body } });
async function flavorId(name: string): Promise<string> {
  const response = await create({ name });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().flavor.id;
}
const update = (id: string, body: Record<string, unknown>, token = api.adminToken) =>
  api.call('PUT', `${F}/${id}`, token, { flavor: body });

/** A load balancer that records `flavorId` (set in the store: the create route's flavor support is separate). */
async function loadBalancerUsing(flavor: string): Promise<string> {
  const lb = (
    await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    })
  ).json().loadbalancer;
  await api.provisioner.idle();
  await api.store.db
    .updateTable('load_balancers')
    .set({ flavor_id: flavor })
    .where('id', '=', lb.id)
    .execute();
  return lb.id;
}

describe('flavors API', () => {
  before(async () => {
    api = await startTestApi();
    profileId = (
      await api.call('POST', '/v2/lbaas/flavorprofiles', api.adminToken, {
        flavorprofile: {
          name: 'ha',
          provider_name: 'noop',
          flavor_data: '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
        },
      })
    ).json().flavorprofile.id;
  });
  after(async () => api.close());

  it('creates an enabled flavor with an empty description, shows it and lists it', async () => {
    const response = await create({ name: 'gold' });
    assert.equal(response.statusCode, 201);
    const flavor = response.json().flavor;
    assert.deepEqual(flavor, {
      id: flavor.id,
      name: 'gold',
      description: '',
      enabled: true,
      flavor_profile_id: profileId,
    });
    assert.deepEqual((await api.call('GET', `${F}/${flavor.id}`, api.adminToken)).json(), { flavor });
    const list = (await api.call('GET', `${F}?name=gold`, api.adminToken)).json();
    assert.deepEqual(list, { flavors: [flavor], flavors_links: [] });
  });

  it('rejects a second flavor with the same name', async () => {
    await flavorId('silver');
    assertFault(await create({ name: 'silver' }), 409, 'A flavor of silver already exists.');
  });

  it('rejects a flavor whose profile does not exist', async () => {
    const missing = '0b3c9a5e-8d9f-4c1e-9e5a-2d4f6a8b0c1d';
    assertFault(
      await create({ name: 'orphan', flavor_profile_id: missing }),
      400,
      `Flavor profile ${missing} not found.`,
    );
  });

  it('rejects a flavor_profile_id that is not a UUID', async () => {
    assertFault(
      await create({ name: 'bad', flavor_profile_id: 'x' }),
      400,
      "Invalid input for field/attribute flavor_profile_id. Value: 'x'. Value should be UUID format",
    );
  });

  it('rejects a flavor without a name', async () => {
    assertFault(
      await api.call('POST', F, api.adminToken, { flavor: { flavor_profile_id: profileId } }),
      400,
      "Invalid input for field/attribute name. Value: 'None'. Mandatory field missing.",
    );
  });

  it('rejects a name longer than 255 characters', async () => {
    const name = 'n'.repeat(256);
    assertFault(
      await create({ name }),
      400,
      `Invalid input for field/attribute name. Value: '${name}'. Value should have a maximum character requirement of 255`,
    );
  });

  it('refuses to change the profile of a flavor', async () => {
    const id = await flavorId('fixed-profile');
    assertFault(
      await update(id, { flavor_profile_id: profileId }),
      400,
      'Unknown attribute for argument flavor_.flavor: flavor_profile_id',
    );
  });

  it('updates name, description and enabled, null putting enabled back to true', async () => {
    const id = await flavorId('bronze');
    const changed = await update(id, { name: 'copper', description: 'cheap', enabled: false });
    assert.equal(changed.statusCode, 200);
    assert.deepEqual(
      [changed.json().flavor.name, changed.json().flavor.description, changed.json().flavor.enabled],
      ['copper', 'cheap', false],
    );
    assert.equal((await update(id, { enabled: null })).json().flavor.enabled, true);
  });

  it('refuses to rename a flavor to a name already taken', async () => {
    await flavorId('taken');
    const id = await flavorId('free');
    assertFault(await update(id, { name: 'taken' }), 409, 'A flavor of taken already exists.');
  });

  it('refuses to delete a flavor a load balancer uses, and deletes it once the load balancer is gone', async () => {
    const id = await flavorId('in-use');
    const lbId = await loadBalancerUsing(id);
    assertFault(
      await api.call('DELETE', `${F}/${id}`, api.adminToken),
      409,
      `Flavor ${id} is in use and cannot be modified.`,
    );
    assert.equal(
      (await api.call('DELETE', `/v2/lbaas/loadbalancers/${lbId}`, api.adminToken)).statusCode,
      204,
    );
    await api.provisioner.idle();
    assert.equal((await api.call('DELETE', `${F}/${id}`, api.adminToken)).statusCode, 204);
    assertFault(await api.call('GET', `${F}/${id}`, api.adminToken), 404, `Flavor ${id} not found.`);
    const row = await api.store.db
      .selectFrom('load_balancers')
      .select(['flavor_id', 'provisioning_status'])
      .where('id', '=', lbId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { flavor_id: NIL, provisioning_status: 'DELETED' });
  });

  it('answers 404 for the nil UUID and for unknown flavors', async () => {
    assertFault(await api.call('GET', `${F}/${NIL}`, api.adminToken), 404, `Flavor ${NIL} not found.`);
    assertFault(await update(NIL, { name: 'x' }), 404, `Flavor ${NIL} not found.`);
    assertFault(await api.call('DELETE', `${F}/${NIL}`, api.adminToken), 404, `Flavor ${NIL} not found.`);
    const unknown = '6a1f3c2b-0d4e-4f5a-8b9c-1d2e3f4a5b6c';
    assertFault(await update(unknown, { name: 'x' }), 404, `Flavor ${unknown} not found.`);
  });

  it('resolves a flavor for a load balancer create, with its provider and decoded metadata', async () => {
    const id = await flavorId('resolvable');
    assert.deepEqual(await getFlavorForLoadBalancer(api.store.db, id), {
      id,
      enabled: true,
      providerName: 'noop',
      flavorData: { loadbalancer_topology: 'ACTIVE_STANDBY' },
    });
    assert.equal(await getFlavorForLoadBalancer(api.store.db, NIL), undefined);
  });

  describe('RBAC', () => {
    it('lets members and observers read flavors but not change them', async () => {
      const id = await flavorId('readable');
      for (const role of ['load-balancer_member', 'load-balancer_observer']) {
        const user = await api.userWithRoles([role]);
        assert.equal((await api.call('GET', F, user.token)).statusCode, 200);
        assert.equal((await api.call('GET', `${F}/${id}`, user.token)).statusCode, 200);
        assertFault(await create({ name: `by-${role}` }, user.token), 403, FORBIDDEN);
        assertFault(await update(id, { name: 'stolen' }, user.token), 403, FORBIDDEN);
        assertFault(await api.call('DELETE', `${F}/${id}`, user.token), 403, FORBIDDEN);
      }
    });

    it('answers 403 to a user with no load-balancer role', async () => {
      const plain = await api.userWithRoles(['member']);
      assertFault(await api.call('GET', F, plain.token), 403, FORBIDDEN);
    });
  });
});
