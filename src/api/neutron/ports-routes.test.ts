// The ports API: IPAM through the wire (fixed_ips, clashes, exhaustion), ports on the shared public
// network, the fixed_ips filter, isolation, and the load balancer's VIP port that cannot be deleted directly.
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

describe('Neutron ports API', () => {
  let f: NeutronFixture;
  let publicSubnetId: string;
  beforeEach(async () => {
    f = await neutronFixture();
    publicSubnetId = (await f.call('GET', '/v2.0/subnets?name=public-subnet', ALICE)).json().subnets[0].id;
  });
  afterEach(() => f.close());

  it('lets a member create a port on the shared public network with the next free address', async () => {
    const response = await f.call('POST', '/v2.0/ports', ALICE, {
      port: { network_id: f.publicNetworkId, name: 'p' },
    });
    assert.equal(response.statusCode, 201, response.body);
    const { port } = response.json();
    assert.deepEqual(port.fixed_ips, [{ subnet_id: publicSubnetId, ip_address: '127.77.0.2' }]);
    assert.match(port.mac_address, /^fa:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    assert.equal(port.status, 'DOWN');
    assert.equal(port.device_owner, '');
    assert.deepEqual(port.security_groups, []);
    assert.deepEqual(port.allowed_address_pairs, []);
    const second = (
      await f.call('POST', '/v2.0/ports', BOB, { port: { network_id: f.publicNetworkId } })
    ).json().port;
    assert.equal(second.fixed_ips[0].ip_address, '127.77.0.3');
  });

  it('refuses an address already allocated on the subnet with 409', async () => {
    const body = { port: { network_id: f.publicNetworkId, fixed_ips: [{ ip_address: '127.77.0.5' }] } };
    assert.equal((await f.call('POST', '/v2.0/ports', ADMIN, body)).statusCode, 201);
    const clash = await f.call('POST', '/v2.0/ports', ADMIN, body);
    assert.equal(clash.statusCode, 409);
    assert.deepEqual(neutronError(clash.body), {
      type: 'IpAddressAlreadyAllocated',
      message: `IP address 127.77.0.5 already allocated in subnet ${publicSubnetId}`,
      detail: '',
    });
  });

  it('refuses an address outside the subnet with 400 and a malformed one with a clear reason', async () => {
    const outside = await f.call('POST', '/v2.0/ports', ADMIN, {
      port: {
        network_id: f.publicNetworkId,
        fixed_ips: [{ subnet_id: publicSubnetId, ip_address: '10.0.0.5' }],
      },
    });
    assert.equal(outside.statusCode, 400);
    assert.equal(neutronError(outside.body).type, 'InvalidIpForSubnet');
    const malformed = await f.call('POST', '/v2.0/ports', ADMIN, {
      port: { network_id: f.publicNetworkId, fixed_ips: [{ ip_address: '127.77.0.999' }] },
    });
    assert.equal(
      neutronError(malformed.body).message,
      "Invalid input for fixed_ips. Reason: '127.77.0.999' is not a valid IP address.",
    );
  });

  it("keeps the choice of address on a shared network to the network's owner", async () => {
    const response = await f.call('POST', '/v2.0/ports', ALICE, {
      port: { network_id: f.publicNetworkId, fixed_ips: [{ ip_address: '127.77.0.9' }] },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(neutronError(response.body).type, 'PolicyNotAuthorized');
  });

  it('answers 409 IpAddressGenerationFailure when the subnet is exhausted', async () => {
    const net = (await f.call('POST', '/v2.0/networks', ALICE, { network: {} })).json().network.id;
    await f.call('POST', '/v2.0/subnets', ALICE, {
      subnet: { network_id: net, ip_version: 4, cidr: '10.0.0.0/30' },
    });
    assert.equal((await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: net } })).statusCode, 201);
    const full = await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: net } });
    assert.equal(full.statusCode, 409);
    assert.deepEqual(neutronError(full.body), {
      type: 'IpAddressGenerationFailure',
      message: `No more IP addresses available on network ${net}.`,
      detail: '',
    });
  });

  it('filters ports by fixed IP and device, and hides other projects’ ports', async () => {
    const mine = (
      await f.call('POST', '/v2.0/ports', ALICE, {
        port: { network_id: f.publicNetworkId, device_id: 'vm-1' },
      })
    ).json().port;
    await f.call('POST', '/v2.0/ports', BOB, { port: { network_id: f.publicNetworkId } });
    const byIp = (await f.call('GET', '/v2.0/ports?fixed_ips=ip_address%3D127.77.0.2', ALICE)).json().ports;
    assert.deepEqual(
      byIp.map((p: { id: string }) => p.id),
      [mine.id],
    );
    assert.equal((await f.call('GET', '/v2.0/ports?device_id=vm-1', ALICE)).json().ports.length, 1);
    assert.equal((await f.call('GET', '/v2.0/ports', ALICE)).json().ports.length, 1);
    assert.equal((await f.call('GET', '/v2.0/ports', ADMIN)).json().ports.length, 2);
    assert.equal((await f.call('GET', `/v2.0/ports/${mine.id}`, BOB)).statusCode, 404);
  });

  it("refuses to delete a load balancer's VIP port with 409 PortInUse", async () => {
    const vip = (
      await f.call('POST', '/v2.0/ports', ADMIN, {
        port: { network_id: f.publicNetworkId, device_id: 'lb-1', device_owner: 'Octavia' },
      })
    ).json().port;
    assert.equal(vip.status, 'ACTIVE');
    const response = await f.call('DELETE', `/v2.0/ports/${vip.id}`, ADMIN);
    assert.equal(response.statusCode, 409);
    assert.equal(neutronError(response.body).type, 'PortInUse');
  });

  it('updates a port and frees its address on delete', async () => {
    const port = (
      await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: f.publicNetworkId } })
    ).json().port;
    const updated = await f.call('PUT', `/v2.0/ports/${port.id}`, ALICE, {
      port: { name: 'renamed', allowed_address_pairs: [{ ip_address: '127.77.9.9' }] },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().port.name, 'renamed');
    assert.deepEqual(updated.json().port.allowed_address_pairs, [
      { ip_address: '127.77.9.9', mac_address: port.mac_address },
    ]);
    const mac = await f.call('PUT', `/v2.0/ports/${port.id}`, ALICE, {
      port: { mac_address: 'fa:16:3e:00:00:01' },
    });
    assert.equal(mac.statusCode, 403);
    assert.equal((await f.call('DELETE', `/v2.0/ports/${port.id}`, ALICE)).statusCode, 204);
    const next = (
      await f.call('POST', '/v2.0/ports', BOB, { port: { network_id: f.publicNetworkId } })
    ).json().port;
    assert.equal(next.fixed_ips[0].ip_address, '127.77.0.2');
  });

  it('answers 404 for a port on a network the caller cannot see, and for unknown security groups', async () => {
    const net = (await f.call('POST', '/v2.0/networks', BOB, { network: {} })).json().network.id;
    const hidden = await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: net } });
    assert.equal(hidden.statusCode, 404);
    assert.equal(neutronError(hidden.body).type, 'NetworkNotFound');
    const sg = await f.call('POST', '/v2.0/ports', ALICE, {
      port: { network_id: f.publicNetworkId, security_groups: ['0b2e1c35-8a4b-4b9e-9f3c-2f4b5d6e7f80'] },
    });
    assert.equal(sg.statusCode, 404);
  });

  it("lets an admin change an unbound port's MAC and refuses it to others with 403", async () => {
    const port = (
      await f.call('POST', '/v2.0/ports', ALICE, { port: { network_id: f.publicNetworkId } })
    ).json().port;
    const denied = await f.call('PUT', `/v2.0/ports/${port.id}`, ALICE, {
      port: { mac_address: 'fa:16:3e:00:00:01' },
    });
    assert.equal(denied.statusCode, 403);
    assert.deepEqual(neutronError(denied.body), {
      type: 'PolicyNotAuthorized',
      message: "Policy doesn't allow update_port:mac_address to be performed.",
      detail: '',
    });
    const changed = await f.call('PUT', `/v2.0/ports/${port.id}`, ADMIN, {
      port: { mac_address: 'FA:16:3E:00:00:01' },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.json().port.mac_address, 'fa:16:3e:00:00:01');
    const shown = (await f.call('GET', `/v2.0/ports/${port.id}`, ALICE)).json().port;
    assert.equal(shown.mac_address, 'fa:16:3e:00:00:01');
  });

  it('refuses a MAC change on a bound port with 409 PortBound and a taken or malformed MAC', async () => {
    const bound = (
      await f.call('POST', '/v2.0/ports', ADMIN, {
        port: { network_id: f.publicNetworkId, device_id: 'vm-1', device_owner: 'compute:nova' },
      })
    ).json().port;
    const refused = await f.call('PUT', `/v2.0/ports/${bound.id}`, ADMIN, {
      port: { mac_address: 'fa:16:3e:00:00:02' },
    });
    assert.equal(refused.statusCode, 409);
    assert.deepEqual(neutronError(refused.body), {
      type: 'PortBound',
      message: `Unable to complete operation on port ${bound.id}, port is already bound, port type: other, old_mac ${bound.mac_address}, new_mac fa:16:3e:00:00:02.`,
      detail: '',
    });
    const free = (
      await f.call('POST', '/v2.0/ports', ADMIN, { port: { network_id: f.publicNetworkId } })
    ).json().port;
    const taken = await f.call('PUT', `/v2.0/ports/${free.id}`, ADMIN, {
      port: { mac_address: bound.mac_address },
    });
    assert.equal(taken.statusCode, 409);
    assert.deepEqual(neutronError(taken.body), {
      type: 'MacAddressInUse',
      message: `Unable to complete operation for network ${f.publicNetworkId}. The mac address ${bound.mac_address} is in use.`,
      detail: '',
    });
    const malformed = await f.call('PUT', `/v2.0/ports/${free.id}`, ADMIN, { port: { mac_address: 'nope' } });
    assert.equal(malformed.statusCode, 400);
    assert.equal(
      neutronError(malformed.body).message,
      "Invalid input for mac_address. Reason: 'nope' is not a valid MAC address.",
    );
    const unchanged = (await f.call('GET', `/v2.0/ports/${free.id}`, ADMIN)).json().port;
    assert.equal(unchanged.mac_address, free.mac_address);
  });
});
