import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
let api: TestApi;

async function createLb(body: Record<string, unknown>, token = api.adminToken) {
  return api.call('POST', LB, token, { loadbalancer: body });
}
async function settled(id: string, token = api.adminToken) {
  await api.provisioner.idle();
  return (await api.call('GET', `${LB}/${id}`, token)).json().loadbalancer;
}
async function count(): Promise<number> {
  return (await api.call('GET', LB, api.adminToken)).json().loadbalancers.length;
}
function fault(response: { statusCode: number; json(): { faultstring: string; faultcode: string } }) {
  return { status: response.statusCode, ...response.json() };
}

describe('load balancers API', () => {
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('creates a load balancer with a VIP on public-subnet and makes it ACTIVE', async () => {
    const response = await createLb({ name: 'lb1', vip_subnet_id: api.publicSubnetId });
    assert.equal(response.statusCode, 201);
    const lb = response.json().loadbalancer;
    assert.equal(lb.provisioning_status, 'PENDING_CREATE');
    assert.equal(lb.operating_status, 'OFFLINE');
    assert.match(lb.vip_address, /^127\.77\.\d+\.\d+$/);
    assert.equal(lb.vip_subnet_id, api.publicSubnetId);
    assert.equal(lb.provider, 'noop');
    assert.equal(lb.tenant_id, lb.project_id);
    assert.deepEqual([lb.listeners, lb.pools, lb.additional_vips, lb.tags], [[], [], [], []]);
    assert.match(lb.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const active = await settled(lb.id);
    assert.equal(active.provisioning_status, 'ACTIVE');
    assert.equal(
      active.operating_status,
      'OFFLINE',
      'the noop provider reports no health, like Octavia noop',
    );
    assert.equal(api.noop.applied.get(lb.id)?.vip.address, lb.vip_address);
  });

  it('allocates the VIP as a port owned by the load balancer', async () => {
    const lb = (await createLb({ vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
    const port = (await api.call('GET', `/v2.0/ports/${lb.vip_port_id}`, api.adminToken)).json().port;
    assert.equal(port.device_owner, 'Octavia');
    assert.equal(port.device_id, lb.id);
    assert.deepEqual(port.fixed_ips, [{ subnet_id: api.publicSubnetId, ip_address: lb.vip_address }]);
  });

  it('takes a requested vip_address and refuses it a second time with 409', async () => {
    const first = await createLb({ vip_subnet_id: api.publicSubnetId, vip_address: '127.77.9.9' });
    assert.equal(first.statusCode, 201);
    assert.equal(first.json().loadbalancer.vip_address, '127.77.9.9');
    const before = await count();
    const second = await createLb({ vip_subnet_id: api.publicSubnetId, vip_address: '127.77.9.9' });
    assert.deepEqual(fault(second), {
      status: 409,
      faultcode: 'Client',
      faultstring: `The VIP IP address is already in use: IP address 127.77.9.9 already allocated in subnet ${api.publicSubnetId}`,
      debuginfo: null,
    });
    assert.equal(await count(), before);
  });

  it('derives the subnet from vip_network_id alone', async () => {
    const networkId = (await api.call('GET', '/v2.0/networks?name=public', api.adminToken)).json().networks[0]
      .id;
    const lb = (await createLb({ vip_network_id: networkId })).json().loadbalancer;
    assert.equal(lb.vip_network_id, networkId);
    assert.equal(lb.vip_subnet_id, api.publicSubnetId);
  });

  it('uses an existing unbound port given as vip_port_id', async () => {
    const networkId = (await api.call('GET', '/v2.0/networks?name=public', api.adminToken)).json().networks[0]
      .id;
    const port = (
      await api.call('POST', '/v2.0/ports', api.adminToken, { port: { network_id: networkId } })
    ).json().port;
    const lb = (await createLb({ vip_port_id: port.id })).json().loadbalancer;
    assert.equal(lb.vip_port_id, port.id);
    assert.equal(lb.vip_address, port.fixed_ips[0].ip_address);
  });

  it('allocates additional VIPs on other subnets of the same network, on the same port', async () => {
    const network = (await api.call('GET', '/v2.0/networks?name=public', api.adminToken)).json().networks[0]
      .id;
    const extra = await api.call('POST', '/v2.0/subnets', api.adminToken, {
      subnet: { network_id: network, cidr: '127.78.0.0/24', ip_version: 4, name: 'extra' },
    });
    assert.equal(extra.statusCode, 201, extra.body);
    const extraId = extra.json().subnet.id;
    const response = await createLb({
      vip_subnet_id: api.publicSubnetId,
      additional_vips: [{ subnet_id: extraId, ip_address: '127.78.0.20' }],
    });
    assert.equal(response.statusCode, 201, response.body);
    const lb = response.json().loadbalancer;
    // Octavia 17.0.0 shows each additional VIP's port: the VIP port, which holds it as a further fixed IP.
    assert.deepEqual(lb.additional_vips, [
      { subnet_id: extraId, ip_address: '127.78.0.20', port_id: lb.vip_port_id },
    ]);
    const port = (await api.call('GET', `/v2.0/ports/${lb.vip_port_id}`, api.adminToken)).json().port;
    assert.equal(port.fixed_ips.length, 2);
    await settled(lb.id);
    assert.deepEqual(api.noop.applied.get(lb.id)?.vip.additional, [
      { subnetId: extraId, address: '127.78.0.20' },
    ]);
  });

  it('rejects an additional VIP on the primary VIP subnet', async () => {
    const response = await createLb({
      vip_subnet_id: api.publicSubnetId,
      additional_vips: [{ subnet_id: api.publicSubnetId }],
    });
    assert.equal(response.statusCode, 400);
    assert.equal(
      response.json().faultstring,
      'Validation failure: Duplicate VIP subnet(s) specified. Only one IP can be bound per subnet.',
    );
  });

  it('rejects a create without any VIP source', async () => {
    assert.deepEqual(fault(await createLb({ name: 'x' })), {
      status: 400,
      faultcode: 'Client',
      faultstring: 'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.',
      debuginfo: null,
    });
  });

  it('rejects a VIP subnet that does not exist', async () => {
    const id = '3c6b4b4e-7d0e-4a53-9d0b-0d7c4a1d9b11';
    const response = await createLb({ vip_subnet_id: id });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().faultstring, `Subnet ${id} not found.`);
  });

  it("refuses another project's private subnet as the VIP subnet with 400 Subnet not found", async () => {
    const owner = await api.userWithRoles(['member'], 'subnet-owner');
    const network = await api.call('POST', '/v2.0/networks', owner.token, { network: { name: 'private' } });
    assert.equal(network.statusCode, 201, network.body);
    const subnet = await api.call('POST', '/v2.0/subnets', owner.token, {
      subnet: { network_id: network.json().network.id, cidr: '10.61.0.0/24', ip_version: 4 },
    });
    assert.equal(subnet.statusCode, 201, subnet.body);
    const subnetId = subnet.json().subnet.id;
    const stranger = await api.userWithRoles(['load-balancer_member']);
    const before = await count();
    assert.equal(
      fault(await createLb({ vip_subnet_id: subnetId }, stranger.token)).faultstring,
      `Subnet ${subnetId} not found.`,
    );
    const extra = await createLb(
      { vip_subnet_id: api.publicSubnetId, additional_vips: [{ subnet_id: subnetId }] },
      stranger.token,
    );
    assert.deepEqual(
      [extra.statusCode, extra.json().faultstring],
      [400, `Validation failure: Subnet ${subnetId} not found`],
    );
    assert.equal(await count(), before);
  });

  it('rejects a provider that is not enabled', async () => {
    const response = await createLb({ vip_subnet_id: api.publicSubnetId, provider: 'amphora' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().faultstring, "Provider 'amphora' is not enabled.");
  });

  describe('bad input answers 400 with the fault body and changes nothing', () => {
    const cases: [string, unknown, string][] = [
      [
        'an unknown attribute',
        { loadbalancer: { vip_subnet_id: 'x', bogus: 1 } },
        'Unknown attribute for argument load_balancer.loadbalancer: bogus',
      ],
      [
        'a wrong type',
        { loadbalancer: { name: 5 } },
        "Invalid input for field/attribute name. Value: '5'. Value should be string",
      ],
      [
        'a bad UUID',
        { loadbalancer: { vip_subnet_id: 'not-a-uuid' } },
        "Invalid input for field/attribute vip_subnet_id. Value: 'not-a-uuid'. Value should be UUID format",
      ],
      [
        'an out-of-range value',
        { loadbalancer: { name: 'n'.repeat(256) } },
        `Invalid input for field/attribute name. Value: '${'n'.repeat(256)}'. Value should have a maximum character requirement of 255`,
      ],
      ['malformed JSON', '{"loadbalancer": {', 'Request is not in valid JSON format'],
      [
        'a missing envelope',
        {},
        "Invalid input for field/attribute loadbalancer. Value: 'None'. Mandatory field missing.",
      ],
    ];
    for (const [what, body, message] of cases) {
      it(`rejects ${what}`, async () => {
        const before = await count();
        const response = await api.call('POST', LB, api.adminToken, body);
        assert.deepEqual(fault(response), {
          status: 400,
          faultcode: 'Client',
          faultstring: message,
          debuginfo: null,
        });
        assert.equal(await count(), before);
      });
    }

    it('rejects an unknown sort key', async () => {
      const response = await api.call('GET', `${LB}?sort=bogus:asc`, api.adminToken);
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().faultstring, "Supplied sort key 'bogus' is not valid.");
    });

    it('rejects an immutable field in an update', async () => {
      const lb = (await createLb({ vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
      await settled(lb.id);
      const response = await api.call('PUT', `${LB}/${lb.id}`, api.adminToken, {
        loadbalancer: { vip_address: '127.77.1.1' },
      });
      assert.equal(response.statusCode, 400);
      assert.equal(
        response.json().faultstring,
        'Unknown attribute for argument load_balancer.loadbalancer: vip_address',
      );
      assert.equal((await settled(lb.id)).vip_address, lb.vip_address);
    });
  });

  it('answers 404 in the fault format for an unknown load balancer', async () => {
    const response = await api.call('GET', `${LB}/nope`, api.adminToken);
    assert.deepEqual(fault(response), {
      status: 404,
      faultcode: 'Client',
      faultstring: 'Load Balancer nope not found.',
      debuginfo: null,
    });
  });

  it('updates name, description, admin_state_up and tags through PENDING_UPDATE back to ACTIVE', async () => {
    const lb = (await createLb({ vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
    await settled(lb.id);
    const response = await api.call('PUT', `${LB}/${lb.id}`, api.adminToken, {
      loadbalancer: { name: 'renamed', description: 'd', admin_state_up: false, tags: ['blue'] },
    });
    assert.equal(response.statusCode, 200);
    const updated = response.json().loadbalancer;
    assert.equal(updated.provisioning_status, 'PENDING_UPDATE');
    assert.deepEqual(
      [updated.name, updated.description, updated.admin_state_up, updated.tags],
      ['renamed', 'd', false, ['blue']],
    );
    assert.equal((await settled(lb.id)).provisioning_status, 'ACTIVE');
    assert.equal(api.noop.applied.get(lb.id)?.adminStateUp, false);
  });

  it('refuses a change while the load balancer is pending, with 409', async () => {
    const lb = (await createLb({ vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
    // Created but not yet converged: the lock is held by PENDING_CREATE.
    const response = await api.call('PUT', `${LB}/${lb.id}`, api.adminToken, { loadbalancer: { name: 'x' } });
    if (response.statusCode === 409) {
      assert.equal(
        response.json().faultstring,
        `Invalid state PENDING_CREATE of loadbalancer resource ${lb.id}`,
      );
    } else {
      assert.equal(response.statusCode, 200, 'the provisioner may already have finished the create');
    }
    await settled(lb.id);
  });

  it('refuses every other writer while one change is pending, then accepts changes again', async () => {
    const lb = (await createLb({ vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
    await settled(lb.id);
    await api.provisioner.stop(); // hold the change in PENDING_UPDATE while the others try
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        api.call('PUT', `${LB}/${lb.id}`, api.adminToken, { loadbalancer: { name } }),
      ),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409, 409]);
    const refused = results.find((r) => r.statusCode === 409)!;
    assert.equal(
      refused.json().faultstring,
      `Invalid state PENDING_UPDATE of loadbalancer resource ${lb.id}`,
    );
    const deleting = await api.call('DELETE', `${LB}/${lb.id}`, api.adminToken);
    assert.equal(deleting.statusCode, 409);
    api.provisioner.start();
    assert.equal((await settled(lb.id)).provisioning_status, 'ACTIVE');
    const winner = results.find((r) => r.statusCode === 200)!.json().loadbalancer.name;
    assert.equal((await settled(lb.id)).name, winner);
  });

  it('deletes a load balancer, hides it, and frees its VIP port', async () => {
    const lb = (await createLb({ vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
    await settled(lb.id);
    assert.equal((await api.call('DELETE', `${LB}/${lb.id}?cascade=true`, api.adminToken)).statusCode, 204);
    await api.provisioner.idle();
    assert.equal((await api.call('GET', `${LB}/${lb.id}`, api.adminToken)).statusCode, 404);
    assert.equal((await api.call('GET', `/v2.0/ports/${lb.vip_port_id}`, api.adminToken)).statusCode, 404);
    const again = await createLb({ vip_subnet_id: api.publicSubnetId, vip_address: lb.vip_address });
    assert.equal(again.statusCode, 201, 'the freed address can be allocated again');
  });

  it('serves the status tree and stats of a load balancer', async () => {
    const lb = (await createLb({ name: 'st', vip_subnet_id: api.publicSubnetId })).json().loadbalancer;
    await settled(lb.id);
    for (const suffix of ['status', 'statuses']) {
      const status = (await api.call('GET', `${LB}/${lb.id}/${suffix}`, api.adminToken)).json();
      assert.deepEqual(status, {
        statuses: {
          loadbalancer: {
            id: lb.id,
            name: 'st',
            provisioning_status: 'ACTIVE',
            operating_status: 'OFFLINE',
            listeners: [],
          },
        },
      });
    }
    const stats = (await api.call('GET', `${LB}/${lb.id}/stats`, api.adminToken)).json();
    assert.deepEqual(stats, {
      stats: { bytes_in: 0, bytes_out: 0, active_connections: 0, total_connections: 0, request_errors: 0 },
    });
  });

  it('lists with filters, fields, sorting and paging links on every mount point', async () => {
    const tagged = (
      await createLb({ name: 'tagged', vip_subnet_id: api.publicSubnetId, tags: ['t1'] })
    ).json().loadbalancer;
    for (const prefix of ['/v2/lbaas', '/v2.0/lbaas', '/load-balancer/v2/lbaas', '/v2']) {
      const body = (
        await api.call('GET', `${prefix}/loadbalancers?tags=t1&fields=id&fields=name`, api.adminToken)
      ).json();
      assert.deepEqual(body.loadbalancers, [{ id: tagged.id, name: 'tagged' }], prefix);
    }
    const page = (await api.call('GET', `${LB}?limit=1&sort=name:asc`, api.adminToken)).json();
    assert.equal(page.loadbalancers.length, 1);
    assert.equal(page.loadbalancers_links[0].rel, 'next');
  });

  it('accepts the .json suffix Octavia routes allow on any path', async () => {
    const listed = await api.call('GET', `${LB}.json?limit=1`, api.adminToken);
    assert.equal(listed.statusCode, 200);
    const id = listed.json().loadbalancers[0].id;
    assert.equal((await api.call('GET', `${LB}/${id}.json`, api.adminToken)).json().loadbalancer.id, id);
  });

  it('answers the version document without a token and 401 elsewhere', async () => {
    const versions = (await api.call('GET', '/')).json().versions;
    assert.equal(versions.at(-1).status, 'CURRENT');
    const response = await api.call('GET', LB);
    assert.equal(response.statusCode, 401);
    assert.match(String(response.headers['www-authenticate']), /^Keystone uri=/);
    assert.equal((await api.call('GET', LB, 'not-a-token')).statusCode, 401);
  });
});
