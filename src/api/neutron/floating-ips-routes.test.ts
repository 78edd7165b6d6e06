import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../test/helpers/test-api.ts';
import { loadDesiredState } from '../../store/repositories/desired-state-repository.ts';

let api: TestApi;
let member: { token: string; projectId: string };
let publicNetworkId: string;

async function json(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, body?: unknown) {
  const response = await api.call(method, url, token, body);
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

async function activeLoadBalancer(token: string) {
  const created = await json('POST', '/v2/lbaas/loadbalancers', token, {
    loadbalancer: { vip_subnet_id: api.publicSubnetId, name: 'lb-fip' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await api.provisioner.idle();
  return created.body.loadbalancer as { id: string; vip_port_id: string; vip_address: string };
}

describe('floating IPs', () => {
  before(async () => {
    api = await startTestApi();
    member = await api.userWithRoles(['member', 'load-balancer_member']);
    const networks = await json('GET', '/v2.0/networks?name=public', api.adminToken);
    publicNetworkId = networks.body.networks[0].id;
  });
  after(async () => {
    await api.close();
  });

  it('allocates a floating IP on the external network public, in 127/8, DOWN until associated', async () => {
    const created = await json('POST', '/v2.0/floatingips', member.token, {
      floatingip: { floating_network_id: publicNetworkId },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const fip = created.body.floatingip;
    assert.match(fip.floating_ip_address, /^127\.77\./);
    assert.equal(fip.status, 'DOWN');
    assert.equal(fip.port_id, null);
    assert.equal(fip.tenant_id, member.projectId);
    const listed = await json(
      'GET',
      `/v2.0/floatingips?floating_ip_address=${fip.floating_ip_address}`,
      member.token,
    );
    assert.deepEqual(
      listed.body.floatingips.map((f: { id: string }) => f.id),
      [fip.id],
    );
  });

  it('refuses a network that is not external with a Neutron BadRequest', async () => {
    const network = await json('POST', '/v2.0/networks', member.token, { network: { name: 'private' } });
    const refused = await json('POST', '/v2.0/floatingips', member.token, {
      floatingip: { floating_network_id: network.body.network.id },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.NeutronError.type, 'BadRequest');
    assert.match(refused.body.NeutronError.message, /is not a valid external network/);
  });

  it('makes a load balancer also serve the floating address once associated with its VIP port, and stop after', async () => {
    const lb = await activeLoadBalancer(member.token);
    const before = (await loadDesiredState(api.store.db, lb.id))!;
    const fip = (
      await json('POST', '/v2.0/floatingips', member.token, {
        floatingip: { floating_network_id: publicNetworkId },
      })
    ).body.floatingip;
    const associated = await json('PUT', `/v2.0/floatingips/${fip.id}`, member.token, {
      floatingip: { port_id: lb.vip_port_id },
    });
    assert.equal(associated.status, 200, JSON.stringify(associated.body));
    assert.equal(associated.body.floatingip.fixed_ip_address, lb.vip_address);
    assert.equal(associated.body.floatingip.status, 'ACTIVE');
    const during = (await loadDesiredState(api.store.db, lb.id))!;
    assert.ok(during.revision > before.revision, 'the association bumps the load balancer revision');
    assert.deepEqual(
      during.vip.additional.map((a) => a.address),
      [fip.floating_ip_address],
    );
    const released = await json('PUT', `/v2.0/floatingips/${fip.id}`, member.token, {
      floatingip: { port_id: null },
    });
    assert.equal(released.body.floatingip.status, 'DOWN');
    const afterwards = (await loadDesiredState(api.store.db, lb.id))!;
    assert.ok(afterwards.revision > during.revision);
    assert.deepEqual(afterwards.vip.additional, []);
  });

  it('refuses a second floating IP on the same fixed address (409 FloatingIPPortAlreadyAssociated)', async () => {
    const lb = await activeLoadBalancer(member.token);
    const create = () =>
      json('POST', '/v2.0/floatingips', member.token, {
        floatingip: { floating_network_id: publicNetworkId, port_id: lb.vip_port_id },
      });
    assert.equal((await create()).status, 201);
    const second = await create();
    assert.equal(second.status, 409);
    assert.equal(second.body.NeutronError.type, 'FloatingIPPortAlreadyAssociated');
  });

  it('frees the floating address and its port on delete, and is disassociated when the VIP port goes', async () => {
    const lb = await activeLoadBalancer(member.token);
    const fip = (
      await json('POST', '/v2.0/floatingips', member.token, {
        floatingip: { floating_network_id: publicNetworkId, port_id: lb.vip_port_id },
      })
    ).body.floatingip;
    assert.equal((await json('DELETE', `/v2/lbaas/loadbalancers/${lb.id}`, member.token)).status, 204);
    await api.provisioner.idle();
    const shown = await json('GET', `/v2.0/floatingips/${fip.id}`, member.token);
    assert.equal(shown.body.floatingip.port_id, null);
    assert.equal(shown.body.floatingip.status, 'DOWN');
    const ports = await json('GET', `/v2.0/ports?device_id=${fip.id}`, api.adminToken);
    assert.equal(ports.body.ports.length, 1);
    assert.equal(ports.body.ports[0].device_owner, 'network:floatingip');
    const refused = await json('DELETE', `/v2.0/ports/${ports.body.ports[0].id}`, api.adminToken);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.NeutronError.type, 'L3PortInUse');
    assert.equal((await json('DELETE', `/v2.0/floatingips/${fip.id}`, member.token)).status, 204);
    assert.equal((await json('GET', `/v2.0/ports?device_id=${fip.id}`, api.adminToken)).body.ports.length, 0);
    const gone = await json('GET', `/v2.0/floatingips/${fip.id}`, member.token);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.NeutronError.type, 'FloatingIPNotFound');
  });

  it("hides another project's floating IP and refuses to associate another project's port", async () => {
    const other = await api.userWithRoles(['member', 'load-balancer_member']);
    const lb = await activeLoadBalancer(other.token);
    const fip = (
      await json('POST', '/v2.0/floatingips', member.token, {
        floatingip: { floating_network_id: publicNetworkId },
      })
    ).body.floatingip;
    assert.equal((await json('GET', `/v2.0/floatingips/${fip.id}`, other.token)).status, 404);
    const refused = await json('PUT', `/v2.0/floatingips/${fip.id}`, member.token, {
      floatingip: { port_id: lb.vip_port_id },
    });
    assert.equal(refused.status, 404);
    assert.equal(refused.body.NeutronError.type, 'PortNotFound');
  });
});
