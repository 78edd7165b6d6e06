import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';

let api: TestApi;
let member: { token: string; projectId: string };
let publicNetworkId: string;

async function json(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, body?: unknown) {
  const response = await api.call(method, url, token, body);
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

async function tenantSubnet(cidr: string) {
  const network = (await json('POST', '/v2.0/networks', member.token, { network: { name: `net-${cidr}` } }))
    .body.network;
  const subnet = await json('POST', '/v2.0/subnets', member.token, {
    subnet: { network_id: network.id, ip_version: 4, cidr, name: `subnet-${cidr}` },
  });
  assert.equal(subnet.status, 201, JSON.stringify(subnet.body));
  return subnet.body.subnet as { id: string; gateway_ip: string; network_id: string };
}

describe('routers', () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member']);
    publicNetworkId = (await json('GET', '/v2.0/networks?name=public', api.adminToken)).body.networks[0].id;
  });
  after(async () => {
    await api.close();
  });

  it('creates a router with an external gateway on public, holding an address in 127.77.0.0/16', async () => {
    const created = await json('POST', '/v2.0/routers', member.token, {
      router: { name: 'r1', external_gateway_info: { network_id: publicNetworkId } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const gateway = created.body.router.external_gateway_info;
    assert.equal(gateway.network_id, publicNetworkId);
    assert.equal(gateway.enable_snat, true);
    assert.match(gateway.external_fixed_ips[0].ip_address, /^127\.77\./);
    assert.equal(created.body.router.status, 'ACTIVE');
    const cleared = await json('PUT', `/v2.0/routers/${created.body.router.id}`, member.token, {
      router: { external_gateway_info: {} },
    });
    assert.equal(cleared.body.router.external_gateway_info, null);
    const gatewayPorts = await json(
      'GET',
      `/v2.0/ports?device_id=${created.body.router.id}&device_owner=network:router_gateway`,
      api.adminToken,
    );
    assert.equal(gatewayPorts.body.ports.length, 0);
  });

  it('refuses a gateway on a network that is not external', async () => {
    const subnet = await tenantSubnet('10.9.0.0/24');
    const refused = await json('POST', '/v2.0/routers', member.token, {
      router: { name: 'r-bad', external_gateway_info: { network_id: subnet.network_id } },
    });
    assert.equal(refused.status, 400);
    assert.match(refused.body.NeutronError.message, /is not an external network/);
  });

  it('adds an interface on a subnet (a router port holding the gateway address) and removes it', async () => {
    const router = (await json('POST', '/v2.0/routers', member.token, { router: { name: 'r2' } })).body
      .router;
    const subnet = await tenantSubnet('10.10.0.0/24');
    const added = await json('PUT', `/v2.0/routers/${router.id}/add_router_interface`, member.token, {
      subnet_id: subnet.id,
    });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.equal(added.body.subnet_id, subnet.id);
    assert.equal(added.body.id, router.id);
    const port = (await json('GET', `/v2.0/ports/${added.body.port_id}`, member.token)).body.port;
    assert.equal(port.device_owner, 'network:router_interface');
    assert.equal(port.device_id, router.id);
    assert.deepEqual(port.fixed_ips, [{ subnet_id: subnet.id, ip_address: subnet.gateway_ip }]);
    const again = await json('PUT', `/v2.0/routers/${router.id}/add_router_interface`, member.token, {
      subnet_id: subnet.id,
    });
    assert.equal(again.status, 400);
    const inUse = await json('DELETE', `/v2.0/routers/${router.id}`, member.token);
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.NeutronError.type, 'RouterInUse');
    const direct = await json('DELETE', `/v2.0/ports/${port.id}`, member.token);
    assert.equal(direct.body.NeutronError.type, 'L3PortInUse');
    const removed = await json('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, member.token, {
      subnet_id: subnet.id,
    });
    assert.equal(removed.status, 200);
    assert.equal((await json('GET', `/v2.0/ports/${port.id}`, member.token)).status, 404);
    const missing = await json('PUT', `/v2.0/routers/${router.id}/remove_router_interface`, member.token, {
      subnet_id: subnet.id,
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.NeutronError.type, 'RouterInterfaceNotFoundForSubnet');
    assert.equal((await json('DELETE', `/v2.0/routers/${router.id}`, member.token)).status, 204);
  });

  it('names the router joining a floating IP to its port, and lists routers by name', async () => {
    const router = (
      await json('POST', '/v2.0/routers', member.token, {
        router: { name: 'r3', external_gateway_info: { network_id: publicNetworkId } },
      })
    ).body.router;
    const subnet = await tenantSubnet('10.11.0.0/24');
    await json('PUT', `/v2.0/routers/${router.id}/add_router_interface`, member.token, {
      subnet_id: subnet.id,
    });
    const port = (
      await json('POST', '/v2.0/ports', member.token, { port: { network_id: subnet.network_id } })
    ).body.port;
    const fip = await json('POST', '/v2.0/floatingips', member.token, {
      floatingip: { floating_network_id: publicNetworkId, port_id: port.id },
    });
    assert.equal(fip.body.floatingip.router_id, router.id);
    const listed = await json('GET', '/v2.0/routers?name=r3', member.token);
    assert.deepEqual(
      listed.body.routers.map((r: { id: string }) => r.id),
      [router.id],
    );
    const other = await api.userWithRoles(['member']);
    assert.equal((await json('GET', `/v2.0/routers/${router.id}`, other.token)).status, 404);
  });

  it('updates a port with allowed address pairs (the seeds keepalived recipe)', async () => {
    const subnet = await tenantSubnet('10.12.0.0/24');
    const port = (
      await json('POST', '/v2.0/ports', member.token, { port: { network_id: subnet.network_id } })
    ).body.port;
    const updated = await json('PUT', `/v2.0/ports/${port.id}`, member.token, {
      port: { allowed_address_pairs: [{ ip_address: '10.12.0.5' }] },
    });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.port.allowed_address_pairs, [
      { ip_address: '10.12.0.5', mac_address: port.mac_address },
    ]);
  });

  it('serves the LBaaS v2 API under the network endpoint, for the neutron lbaas-* commands', async () => {
    const admin = api.adminToken;
    const created = await json('POST', '/networking/v2.0/lbaas/loadbalancers', admin, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, name: 'via-neutron' },
    });
    assert.equal(created.status, 201);
    const listed = await json('GET', '/networking/v2.0/lbaas/loadbalancers?name=via-neutron', admin);
    assert.equal(listed.body.loadbalancers.length, 1);
    const extensions = await json('GET', '/networking/v2.0/extensions', admin);
    const aliases = extensions.body.extensions.map((e: { alias: string }) => e.alias);
    for (const alias of ['lbaas', 'lbaasv2', 'router', 'external-net', 'provider', 'allowed-address-pairs']) {
      assert.ok(aliases.includes(alias), alias);
    }
  });
});
