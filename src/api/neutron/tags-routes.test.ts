// Neutron's standard attributes as gophercloud and openstackclient use them: `description` on networks,
// subnets and ports, `tags` on every taggable object, the tag API's codes and faults, and the tag filters.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ALICE,
  BOB,
  type NeutronFixture,
  neutronError,
  neutronFixture,
} from '../../../test/helpers/neutron-fixture.ts';

describe('Neutron description and tags', () => {
  let f: NeutronFixture;
  beforeEach(async () => {
    f = await neutronFixture();
  });
  afterEach(() => f.close());

  const newNetwork = async (body: Record<string, unknown> = {}) =>
    (await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'n', ...body } })).json().network;

  it('stores a description on networks, subnets and ports, "" by default, filterable and updatable', async () => {
    const network = await newNetwork({ description: 'd' });
    assert.equal(network.description, 'd');
    assert.deepEqual(network.tags, []);
    const subnet = (
      await f.call('POST', '/v2.0/subnets', ALICE, {
        subnet: { network_id: network.id, cidr: '10.9.0.0/24', ip_version: 4, description: 'sd' },
      })
    ).json().subnet;
    assert.equal(subnet.description, 'sd');
    const port = (await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: network.id } })).json()
      .port;
    assert.equal(port.description, '');
    const updated = await f.call('PUT', `/v2.0/ports/${port.id}`, ALICE, { port: { description: 'pd' } });
    assert.equal(updated.json().port.description, 'pd');
    assert.equal((await f.call('GET', `/v2.0/subnets/${subnet.id}`, ALICE)).json().subnet.description, 'sd');
    await newNetwork({ description: 'other' });
    const listed = (await f.call('GET', '/v2.0/networks?description=d', ALICE)).json().networks;
    assert.deepEqual(
      listed.map((n: { id: string }) => n.id),
      [network.id],
    );
  });

  it('refuses a description over 255 characters with Neutron’s 400', async () => {
    const response = await f.call('POST', '/v2.0/networks', ALICE, {
      network: { description: 'x'.repeat(256) },
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(neutronError(response.body), {
      type: 'HTTPBadRequest',
      message: `Invalid input for description. Reason: '${'x'.repeat(256)}' exceeds maximum length of 255.`,
      detail: '',
    });
  });

  it('replaces, adds, checks and removes tags with the tag API’s codes', async () => {
    const network = await newNetwork();
    const base = `/v2.0/networks/${network.id}/tags`;
    const replaced = await f.call('PUT', base, ALICE, { tags: ['red', 'blue'] });
    assert.equal(replaced.statusCode, 200);
    assert.deepEqual(replaced.json(), { tags: ['red', 'blue'] });
    const added = await f.call('PUT', `${base}/green`, ALICE);
    assert.equal(added.statusCode, 201);
    assert.equal(added.body, 'null');
    assert.equal((await f.call('PUT', `${base}/green`, ALICE)).statusCode, 201);
    assert.deepEqual((await f.call('GET', base, ALICE)).json(), { tags: ['blue', 'green', 'red'] });
    assert.equal((await f.call('GET', `${base}/red`, ALICE)).statusCode, 204);
    assert.equal((await f.call('DELETE', `${base}/red`, ALICE)).statusCode, 204);
    const gone = await f.call('GET', `${base}/red`, ALICE);
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(neutronError(gone.body), {
      type: 'TagNotFound',
      message: 'Tag red could not be found.',
      detail: '',
    });
    assert.equal((await f.call('DELETE', `${base}/red`, ALICE)).statusCode, 404);
    assert.deepEqual((await f.call('GET', `/v2.0/networks/${network.id}`, ALICE)).json().network.tags, [
      'blue',
      'green',
    ]);
    assert.equal((await f.call('DELETE', base, ALICE)).statusCode, 204);
    assert.deepEqual((await f.call('GET', base, ALICE)).json(), { tags: [] });
  });

  it('refuses invalid tag bodies with InvalidInput and changes nothing', async () => {
    const network = await newNetwork();
    const base = `/v2.0/networks/${network.id}/tags`;
    await f.call('PUT', base, ALICE, { tags: ['keep'] });
    const cases: [unknown, string][] = [
      [{ tag: ['a'] }, 'Invalid tags body'],
      [{ tags: 'a' }, "'a' is not a list"],
      [{ tags: [1] }, "'1' is not a valid string"],
      [{ tags: ['a', 'b', 'a'] }, "Duplicate items in the list: 'a'"],
      [{ tags: ['a\u0000'] }, "'a\u0000' contains a NUL character"],
      [{ tags: ['y'.repeat(256)] }, `'${'y'.repeat(256)}' exceeds maximum length of 255`],
    ];
    for (const [body, reason] of cases) {
      const response = await f.call('PUT', base, ALICE, body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.deepEqual(neutronError(response.body), {
        type: 'InvalidInput',
        message: `Invalid input for operation: ${reason}.`,
        detail: '',
      });
    }
    const nul = await f.call('PUT', `${base}/a%00b`, ALICE);
    assert.equal(nul.statusCode, 400);
    assert.equal(
      neutronError(nul.body).message,
      "Invalid input for operation: 'a\u0000b' contains a NUL character.",
    );
    const long = await f.call('PUT', `${base}/${'z'.repeat(256)}`, ALICE);
    assert.equal(long.statusCode, 400);
    assert.equal(neutronError(long.body).type, 'InvalidInput');
    assert.deepEqual((await f.call('GET', base, ALICE)).json(), { tags: ['keep'] });
  });

  it('refuses tags in a create or update body, as Neutron’s read-only attribute', async () => {
    const created = await f.call('POST', '/v2.0/networks', ALICE, { network: { tags: ['a'] } });
    assert.equal(created.statusCode, 400);
    assert.equal(neutronError(created.body).message, "Attribute 'tags' not allowed in POST");
    const network = await newNetwork();
    const updated = await f.call('PUT', `/v2.0/networks/${network.id}`, ALICE, { network: { tags: ['a'] } });
    assert.equal(neutronError(updated.body).message, 'Cannot update read-only attribute tags');
  });

  it('filters lists with tags, tags-any, not-tags and not-tags-any', async () => {
    const red = await newNetwork({ name: 'red' });
    const both = await newNetwork({ name: 'both' });
    await newNetwork({ name: 'none' });
    await f.call('PUT', `/v2.0/networks/${red.id}/tags`, ALICE, { tags: ['red'] });
    await f.call('PUT', `/v2.0/networks/${both.id}/tags`, ALICE, { tags: ['red', 'blue'] });
    const names = async (query: string) =>
      (await f.call('GET', `/v2.0/networks?${query}`, ALICE))
        .json()
        .networks.map((n: { name: string }) => n.name)
        .sort();
    assert.deepEqual(await names('tags=red,blue'), ['both']);
    assert.deepEqual(await names('tags=red&tags=blue'), ['both']);
    assert.deepEqual(await names('tags-any=blue,red'), ['both', 'red']);
    assert.deepEqual(await names('not-tags=red,blue'), ['none', 'public', 'red']);
    assert.deepEqual(await names('not-tags-any=blue,red'), ['none', 'public']);
  });

  it('tags subnets, ports, routers and floating IPs too', async () => {
    const network = await newNetwork();
    const subnet = (
      await f.call('POST', '/v2.0/subnets', ALICE, {
        subnet: { network_id: network.id, cidr: '10.8.0.0/24', ip_version: 4 },
      })
    ).json().subnet;
    const port = (await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: network.id } })).json()
      .port;
    const router = (await f.call('POST', '/v2.0/routers', ALICE, { router: { name: 'r' } })).json().router;
    const fip = (
      await f.call('POST', '/v2.0/floatingips', ALICE, {
        floatingip: { floating_network_id: f.publicNetworkId },
      })
    ).json().floatingip;
    for (const [collection, member, id] of [
      ['subnets', 'subnet', subnet.id],
      ['ports', 'port', port.id],
      ['routers', 'router', router.id],
      ['floatingips', 'floatingip', fip.id],
    ]) {
      assert.equal((await f.call('PUT', `/v2.0/${collection}/${id}/tags/t1`, ALICE)).statusCode, 201);
      const shown = (await f.call('GET', `/v2.0/${collection}/${id}`, ALICE)).json()[member];
      assert.deepEqual(shown.tags, ['t1'], collection);
      const listed = (await f.call('GET', `/v2.0/${collection}?tags=t1`, ALICE)).json()[collection];
      assert.deepEqual(
        listed.map((o: { id: string }) => o.id),
        [id],
        collection,
      );
    }
  });

  it('hides another project’s object (404) and refuses changing the shared one’s tags (403)', async () => {
    const network = await newNetwork();
    const hidden = await f.call('PUT', `/v2.0/networks/${network.id}/tags/x`, BOB);
    assert.equal(hidden.statusCode, 404);
    assert.equal(neutronError(hidden.body).type, 'NetworkNotFound');
    const missing = await f.call('GET', '/v2.0/ports/00000000-0000-4000-8000-000000000000/tags', ALICE);
    assert.equal(missing.statusCode, 404);
    assert.equal(neutronError(missing.body).type, 'PortNotFound');
    const shared = await f.call('PUT', `/v2.0/networks/${f.publicNetworkId}/tags`, ALICE, { tags: ['x'] });
    assert.equal(shared.statusCode, 403);
    assert.equal(neutronError(shared.body).type, 'PolicyNotAuthorized');
    assert.deepEqual((await f.call('GET', `/v2.0/networks/${f.publicNetworkId}/tags`, ALICE)).json(), {
      tags: [],
    });
  });

  it('drops an object’s tags with it', async () => {
    const network = await newNetwork();
    const port = (await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: network.id } })).json()
      .port;
    await f.call('PUT', `/v2.0/networks/${network.id}/tags`, ALICE, { tags: ['a'] });
    await f.call('PUT', `/v2.0/ports/${port.id}/tags`, ALICE, { tags: ['b'] });
    assert.equal((await f.call('DELETE', `/v2.0/networks/${network.id}`, ALICE)).statusCode, 204);
    const left = await f.store.db.selectFrom('neutron_tags').selectAll().execute();
    assert.deepEqual(left, []);
  });
});
