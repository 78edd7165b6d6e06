import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
let api: TestApi;
let a: { token: string; projectId: string };
let b: { token: string; projectId: string };
let lbOfB: string;

describe('load balancer RBAC (Octavia default policy)', () => {
  before(async () => {
    api = await startTestApi();
    a = await api.userWithRoles(['load-balancer_member']);
    b = await api.userWithRoles(['load-balancer_member']);
    const created = await api.call('POST', LB, b.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assert.equal(created.statusCode, 201);
    lbOfB = created.json().loadbalancer.id;
    await api.provisioner.idle();
  });
  after(async () => api.close());

  it('creates load balancers in the caller’s own project', async () => {
    const lb = (await api.call('GET', `${LB}/${lbOfB}`, b.token)).json().loadbalancer;
    assert.equal(lb.project_id, b.projectId);
  });

  it("answers 403 when a member of project A reads, changes or deletes project B's load balancer", async () => {
    const forbidden = 'Policy does not allow this request to be performed.';
    for (const [method, url, body] of [
      ['GET', `${LB}/${lbOfB}`, undefined],
      ['PUT', `${LB}/${lbOfB}`, { loadbalancer: { name: 'stolen' } }],
      ['DELETE', `${LB}/${lbOfB}`, undefined],
      ['GET', `${LB}/${lbOfB}/status`, undefined],
      ['GET', `${LB}/${lbOfB}/stats`, undefined],
    ] as const) {
      const response = await api.call(method, url, a.token, body);
      assert.equal(response.statusCode, 403, `${method} ${url}`);
      assert.equal(response.json().faultstring, forbidden);
    }
    assert.equal((await api.call('GET', `${LB}/${lbOfB}`, b.token)).json().loadbalancer.name, '');
  });

  it("filters project B's load balancers out of project A's list and refuses to list B explicitly", async () => {
    const listed = (await api.call('GET', LB, a.token)).json().loadbalancers;
    assert.ok(listed.every((lb: { project_id: string }) => lb.project_id === a.projectId));
    assert.equal((await api.call('GET', `${LB}?project_id=${b.projectId}`, a.token)).statusCode, 403);
  });

  it('refuses a member to create a load balancer for another project', async () => {
    const response = await api.call('POST', LB, a.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId, project_id: b.projectId },
    });
    assert.equal(response.statusCode, 403);
  });

  it("does not let a member place a VIP on another project's private network, subnet or port", async () => {
    const network = (
      await api.call('POST', '/v2.0/networks', b.token, { network: { name: 'b-private' } })
    ).json().network;
    const subnet = (
      await api.call('POST', '/v2.0/subnets', b.token, {
        subnet: { network_id: network.id, cidr: '127.90.0.0/24', ip_version: 4 },
      })
    ).json().subnet;
    const port = (await api.call('POST', '/v2.0/ports', b.token, { port: { network_id: network.id } })).json()
      .port;
    for (const [field, id, resource] of [
      ['vip_network_id', network.id, 'Network'],
      ['vip_subnet_id', subnet.id, 'Subnet'],
      ['vip_port_id', port.id, 'Port'],
    ]) {
      const response = await api.call('POST', LB, a.token, { loadbalancer: { [field]: id } });
      assert.equal(response.statusCode, 400, field);
      assert.equal(response.json().faultstring, `${resource} ${id} not found.`);
    }
    const still = (await api.call('GET', `/v2.0/ports/${port.id}`, b.token)).json().port;
    assert.equal(still.device_owner, '', 'the port was not taken');
  });

  it('detaches, never deletes, a port the user supplied as vip_port_id', async () => {
    const publicNet = (await api.call('GET', '/v2.0/networks?name=public', b.token)).json().networks[0].id;
    const port = (await api.call('POST', '/v2.0/ports', b.token, { port: { network_id: publicNet } })).json()
      .port;
    const lb = (await api.call('POST', LB, b.token, { loadbalancer: { vip_port_id: port.id } })).json()
      .loadbalancer;
    await api.provisioner.idle();
    const held = await api.call('PUT', `/v2.0/ports/${port.id}`, b.token, { port: { device_owner: '' } });
    assert.equal(held.statusCode, 409, 'a VIP port cannot be detached while the load balancer exists');
    assert.equal((await api.call('DELETE', `${LB}/${lb.id}`, b.token)).statusCode, 204);
    await api.provisioner.idle();
    const after = await api.call('GET', `/v2.0/ports/${port.id}`, b.token);
    assert.equal(after.statusCode, 200);
    assert.equal(after.json().port.device_id, '');
  });

  it('answers 403 to a user holding only the plain member role', async () => {
    const plain = await api.userWithRoles(['member']);
    assert.equal((await api.call('GET', LB, plain.token)).statusCode, 403);
    const create = await api.call('POST', LB, plain.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assert.equal(create.statusCode, 403);
  });

  it('lets an observer read its own project but not write', async () => {
    const observer = await api.userWithRoles(['load-balancer_observer'], undefined);
    assert.equal((await api.call('GET', LB, observer.token)).statusCode, 200);
    const create = await api.call('POST', LB, observer.token, {
      loadbalancer: { vip_subnet_id: api.publicSubnetId },
    });
    assert.equal(create.statusCode, 403);
  });

  it('lets a global observer and an admin list every project', async () => {
    const global = await api.userWithRoles(['load-balancer_global_observer']);
    for (const token of [global.token, api.adminToken]) {
      const ids = (await api.call('GET', LB, token)).json().loadbalancers.map((lb: { id: string }) => lb.id);
      assert.ok(ids.includes(lbOfB));
    }
    assert.equal((await api.call('GET', `${LB}/${lbOfB}`, global.token)).statusCode, 200);
    const write = await api.call('PUT', `${LB}/${lbOfB}`, global.token, { loadbalancer: { name: 'x' } });
    assert.equal(write.statusCode, 403);
  });
});
