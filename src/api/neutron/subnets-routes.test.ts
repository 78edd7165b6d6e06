// The subnets API: Neutron's defaults and validation wording, overlap and in-use refusals, and visibility
// through shared networks.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  ADMIN,
  ALICE,
  BOB,
  type NeutronFixture,
  neutronError,
  neutronFixture,
} from '../../../test/helpers/neutron-fixture.ts';

describe('Neutron subnets API', () => {
  let f: NeutronFixture;
  let networkId: string;
  beforeEach(async () => {
    f = await neutronFixture();
    networkId = (await f.call('POST', '/v2.0/networks', ALICE, { network: { name: 'n' } })).json().network.id;
  });
  afterEach(() => f.close());

  const subnet = (extra: Record<string, unknown> = {}) => ({
    subnet: { network_id: networkId, ip_version: 4, cidr: '10.10.0.0/24', ...extra },
  });

  it('creates a subnet with the first host as gateway and the rest as its pool', async () => {
    const response = await f.call('POST', '/v2.0/subnets', ALICE, subnet({ name: 's', enable_dhcp: true }));
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json().subnet;
    assert.equal(body.gateway_ip, '10.10.0.1');
    assert.deepEqual(body.allocation_pools, [{ start: '10.10.0.2', end: '10.10.0.254' }]);
    assert.equal(body.ip_version, 4);
    assert.equal(body.network_id, networkId);
    assert.deepEqual(body.dns_nameservers, []);
    assert.deepEqual(body.host_routes, []);
    const network = (await f.call('GET', `/v2.0/networks/${networkId}`, ALICE)).json().network;
    assert.deepEqual(network.subnets, [body.id]);
  });

  it("explains a bad CIDR with Neutron's words", async () => {
    const response = await f.call('POST', '/v2.0/subnets', ALICE, subnet({ cidr: 'x' }));
    assert.equal(response.statusCode, 400);
    assert.deepEqual(neutronError(response.body), {
      type: 'HTTPBadRequest',
      message: "Invalid input for cidr. Reason: 'x' is not a valid IP subnet.",
      detail: '',
    });
    const version = await f.call('POST', '/v2.0/subnets', ALICE, subnet({ ip_version: 5 }));
    assert.equal(
      neutronError(version.body).message,
      'Invalid input for ip_version. Reason: 5 is not in [4, 6].',
    );
    const gateway = await f.call('POST', '/v2.0/subnets', ALICE, subnet({ gateway_ip: '10.10.0.300' }));
    assert.equal(
      neutronError(gateway.body).message,
      "Invalid input for gateway_ip. Reason: '10.10.0.300' is not a valid IP address.",
    );
    const missing = await f.call('POST', '/v2.0/subnets', ALICE, {
      subnet: { network_id: networkId, ip_version: 4 },
    });
    assert.equal(
      neutronError(missing.body).message,
      "Failed to parse request. Required attribute 'cidr' not specified",
    );
  });

  it('refuses a CIDR overlapping another subnet of the network with 400', async () => {
    await f.call('POST', '/v2.0/subnets', ALICE, subnet());
    const response = await f.call('POST', '/v2.0/subnets', ALICE, subnet({ cidr: '10.10.0.128/25' }));
    assert.equal(response.statusCode, 400);
    assert.equal(neutronError(response.body).type, 'InvalidInput');
    assert.match(neutronError(response.body).message, /overlaps with another subnet\.$/);
  });

  it('refuses a pool beyond the CIDR and one holding the gateway', async () => {
    const beyond = await f.call(
      'POST',
      '/v2.0/subnets',
      ALICE,
      subnet({ allocation_pools: [{ start: '10.10.0.2', end: '10.10.1.9' }] }),
    );
    assert.equal(beyond.statusCode, 400);
    assert.equal(neutronError(beyond.body).type, 'OutOfBoundsAllocationPool');
    const gateway = await f.call(
      'POST',
      '/v2.0/subnets',
      ALICE,
      subnet({ allocation_pools: [{ start: '10.10.0.1', end: '10.10.0.9' }] }),
    );
    assert.equal(gateway.statusCode, 409);
    const shape = await f.call(
      'POST',
      '/v2.0/subnets',
      ALICE,
      subnet({ allocation_pools: [{ start: '10.10.0.1' }] }),
    );
    assert.equal(shape.statusCode, 400);
  });

  it('refuses to delete a subnet with allocations with 409 SubnetInUse', async () => {
    const id = (await f.call('POST', '/v2.0/subnets', ALICE, subnet())).json().subnet.id;
    const port = (await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: networkId } })).json()
      .port;
    const response = await f.call('DELETE', `/v2.0/subnets/${id}`, ALICE);
    assert.equal(response.statusCode, 409);
    assert.equal(neutronError(response.body).type, 'SubnetInUse');
    assert.equal((await f.call('DELETE', `/v2.0/ports/${port.id}`, ALICE)).statusCode, 204);
    assert.equal((await f.call('DELETE', `/v2.0/subnets/${id}`, ALICE)).statusCode, 204);
  });

  it('shows subnets of shared networks to every project, but lets only their owner change them', async () => {
    const listed = (await f.call('GET', '/v2.0/subnets?name=public-subnet', BOB)).json().subnets;
    assert.equal(listed.length, 1);
    assert.equal(listed[0].cidr, '127.77.0.0/16');
    const put = await f.call('PUT', `/v2.0/subnets/${listed[0].id}`, BOB, { subnet: { name: 'mine' } });
    assert.equal(put.statusCode, 403);
    const create = await f.call('POST', '/v2.0/subnets', BOB, {
      subnet: { network_id: f.publicNetworkId, ip_version: 4, cidr: '10.99.0.0/24' },
    });
    assert.equal(create.statusCode, 403);
    const aliceSubnet = (await f.call('POST', '/v2.0/subnets', ALICE, subnet())).json().subnet;
    assert.equal((await f.call('GET', `/v2.0/subnets/${aliceSubnet.id}`, BOB)).statusCode, 404);
  });

  it('updates name, DNS servers and pools of own subnets', async () => {
    const id = (await f.call('POST', '/v2.0/subnets', ALICE, subnet())).json().subnet.id;
    const response = await f.call('PUT', `/v2.0/subnets/${id}`, ALICE, {
      subnet: {
        name: 'renamed',
        dns_nameservers: ['1.1.1.1'],
        allocation_pools: [{ start: '10.10.0.100', end: '10.10.0.199' }],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json().subnet;
    assert.equal(body.name, 'renamed');
    assert.deepEqual(body.dns_nameservers, ['1.1.1.1']);
    assert.deepEqual(body.allocation_pools, [{ start: '10.10.0.100', end: '10.10.0.199' }]);
    const cidr = await f.call('PUT', `/v2.0/subnets/${id}`, ADMIN, { subnet: { cidr: '10.0.0.0/8' } });
    assert.equal(neutronError(cidr.body).message, 'Cannot update read-only attribute cidr');
  });
});
