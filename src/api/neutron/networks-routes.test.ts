// The networks API as clients call it: wire shape, filters and fields, project isolation, admin-only
// attributes, Neutron's 400 wording for bad input, both mount prefixes and the `.json` suffix.
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
} from '../../../test/helpers/neutron-fixture.ts';

describe('Neutron networks API', () => {
  let f: NeutronFixture;
  beforeEach(async () => {
    f = await neutronFixture();
  });
  afterEach(() => f.close());

  it('creates a network with the wire fields of reference §2', async () => {
    const response = await f.call('POST', '/v2.0/networks', ALICE, {
      network: { name: 'net1', admin_state_up: true },
    });
    assert.equal(response.statusCode, 201);
    const { network } = response.json();
    assert.equal(network.name, 'net1');
    assert.equal(network.tenant_id, ALICE_PROJECT);
    assert.equal(network.project_id, ALICE_PROJECT);
    assert.equal(network.status, 'ACTIVE');
    assert.equal(network.shared, false);
    assert.equal(network['router:external'], false);
    assert.equal(network['provider:network_type'], 'local');
    assert.equal(network['provider:physical_network'], null);
    assert.equal(network['provider:segmentation_id'], null);
    assert.deepEqual(network.subnets, []);
    assert.equal(network.mtu, 1500);
    assert.match(network.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('shows a member their own networks and the shared public one, but not other projects', async () => {
    await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'alice-net' } });
    const bobNet = (await f.call('POST', '/v2.0/networks', BOB, { network: { name: 'bob-net' } })).json()
      .network;
    const names = (await f.call('GET', '/v2.0/networks', ALICE))
      .json()
      .networks.map((n: { name: string }) => n.name);
    assert.deepEqual(names.sort(), ['alice-net', 'public']);
    const hidden = await f.call('GET', `/v2.0/networks/${bobNet.id}`, ALICE);
    assert.equal(hidden.statusCode, 404);
    assert.deepEqual(neutronError(hidden.body), {
      type: 'NetworkNotFound',
      message: `Network ${bobNet.id} could not be found.`,
      detail: '',
    });
    assert.equal((await f.call('GET', '/v2.0/networks', ADMIN)).json().networks.length, 3);
  });

  it('filters on any attribute with repeated parameters and projects with fields', async () => {
    const a = (await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'a' } })).json().network;
    const b = (await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'b' } })).json().network;
    await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'c' } });
    const byId = (await f.call('GET', `/v2.0/networks?id=${a.id}&id=${b.id}`, ALICE)).json().networks;
    assert.deepEqual(byId.map((n: { name: string }) => n.name).sort(), ['a', 'b']);
    const external = (
      await f.call('GET', '/v2.0/networks?router:external=True&fields=id&fields=name', ALICE)
    ).json();
    assert.deepEqual(external.networks, [{ id: f.publicNetworkId, name: 'public' }]);
    const one = (await f.call('GET', `/v2.0/networks/${a.id}?fields=name`, ALICE)).json();
    assert.deepEqual(one, { network: { name: 'a' } });
  });

  it('answers under /networking/v2.0 and with the .json suffix neutronclient appends', async () => {
    const created = await f.call('POST', '/networking/v2.0/networks.json', ALICE, { network: { name: 'x' } });
    assert.equal(created.statusCode, 201);
    const id = created.json().network.id;
    assert.equal(
      (await f.call('GET', `/networking/v2.0/networks/${id}.json`, ALICE)).json().network.name,
      'x',
    );
    assert.equal((await f.call('GET', '/v2.0/networks.json?name=x', ALICE)).json().networks.length, 1);
  });

  it('refuses unrecognized attributes, wrong types and missing envelopes with 400', async () => {
    const unknown = await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'x', foo: 1, bar: 2 } });
    assert.equal(unknown.statusCode, 400);
    assert.deepEqual(neutronError(unknown.body), {
      type: 'HTTPBadRequest',
      message: "Unrecognized attribute(s) 'bar, foo'",
      detail: '',
    });
    const wrongType = await f.call('POST', '/v2.0/networks', ALICE, { network: { admin_state_up: 'maybe' } });
    assert.equal(
      neutronError(wrongType.body).message,
      "Invalid input for admin_state_up. Reason: 'maybe' cannot be converted to boolean.",
    );
    const name = await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 5 } });
    assert.equal(
      neutronError(name.body).message,
      "Invalid input for name. Reason: '5' is not a valid string.",
    );
    const nul = await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'a\u0000b' } });
    assert.equal(nul.statusCode, 400);
    assert.equal(
      neutronError(nul.body).message,
      "Invalid input for name. Reason: 'a\u0000b' contains a NUL character.",
    );
    const envelope = await f.call('POST', '/v2.0/networks', ALICE, { net: {} });
    assert.equal(neutronError(envelope.body).message, "Unable to find 'network' in request body");
    const malformed = await f.call('POST', '/v2.0/networks', ALICE, '{"network": ');
    assert.equal(malformed.statusCode, 400);
    assert.equal(neutronError(malformed.body).message, 'Malformed request body');
    const readOnly = await f.call('POST', '/v2.0/networks', ALICE, { network: { status: 'DOWN' } });
    assert.equal(neutronError(readOnly.body).message, "Attribute 'status' not allowed in POST");
  });

  it('keeps shared, external and provider attributes for admins', async () => {
    const denied = await f.call('POST', '/v2.0/networks', ALICE, { network: { shared: true } });
    assert.equal(denied.statusCode, 403);
    assert.equal(neutronError(denied.body).type, 'PolicyNotAuthorized');
    const created = await f.call('POST', '/v2.0/networks', ADMIN, {
      network: {
        name: 'ext',
        'router:external': true,
        'provider:network_type': 'vlan',
        'provider:physical_network': 'physnet1',
        'provider:segmentation_id': 100,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().network['provider:segmentation_id'], 100);
    const other = await f.call('POST', '/v2.0/networks', ALICE, { network: { tenant_id: 'someone-else' } });
    assert.equal(other.statusCode, 400);
  });

  it('updates and deletes own networks, and refuses changes to a shared one it does not own', async () => {
    const id = (await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'old' } })).json().network
      .id;
    const updated = await f.call('PUT', `/v2.0/networks/${id}`, ALICE, {
      network: { name: 'new', mtu: 1400 },
    });
    assert.equal(updated.json().network.name, 'new');
    assert.equal(updated.json().network.mtu, 1400);
    const readOnly = await f.call('PUT', `/v2.0/networks/${id}`, ALICE, {
      network: { 'provider:network_type': 'flat' },
    });
    assert.equal(
      neutronError(readOnly.body).message,
      'Cannot update read-only attribute provider:network_type',
    );
    const publicChange = await f.call('PUT', `/v2.0/networks/${f.publicNetworkId}`, ALICE, {
      network: { name: 'x' },
    });
    assert.equal(publicChange.statusCode, 403);
    assert.equal((await f.call('DELETE', `/v2.0/networks/${f.publicNetworkId}`, ALICE)).statusCode, 403);
    assert.equal((await f.call('DELETE', `/v2.0/networks/${id}`, ALICE)).statusCode, 204);
    assert.equal((await f.call('GET', `/v2.0/networks/${id}`, ALICE)).statusCode, 404);
  });

  it('refuses to delete a network whose port is in use by a device with 409 NetworkInUse', async () => {
    const port = await f.call('POST', '/v2.0/ports', ADMIN, {
      port: { network_id: f.publicNetworkId, device_id: 'lb-1', device_owner: 'Octavia' },
    });
    assert.equal(port.statusCode, 201);
    const response = await f.call('DELETE', `/v2.0/networks/${f.publicNetworkId}`, ADMIN);
    assert.equal(response.statusCode, 409);
    assert.equal(neutronError(response.body).type, 'NetworkInUse');
  });

  it('answers 401 without a token', async () => {
    assert.equal((await f.call('GET', '/v2.0/networks')).statusCode, 401);
  });
});
