import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const P = '/v2/lbaas/providers';
const FORBIDDEN = 'Policy does not allow this request to be performed.';
const TOPOLOGY =
  'The load balancer topology. One of: SINGLE - One amphora per load balancer. ' +
  'ACTIVE_STANDBY - Two amphora per load balancer.';
let api: TestApi;

describe('providers API', () => {
  before(async () => {
    api = await startTestApi({ amphoraProvider: 'noop' });
  });
  after(async () => api.close());

  it('lists the enabled providers and the amphora aliases with one-sentence descriptions and no links', async () => {
    const response = await api.call('GET', P, api.adminToken);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      providers: [
        { name: 'noop', description: 'The no-op driver which touches no data plane.' },
        { name: 'amphora', description: 'The Octavia Amphora driver name served by the noop provider.' },
        {
          name: 'octavia',
          description: 'Alias of the Octavia Amphora driver name served by the noop provider.',
        },
      ],
    });
    const named = (await api.call('GET', `${P}?fields=name`, api.adminToken)).json();
    assert.deepEqual(named, { providers: [{ name: 'noop' }, { name: 'amphora' }, { name: 'octavia' }] });
  });

  it("lists the amphora driver's flavor and availability zone keys for both aliases", async () => {
    for (const alias of ['amphora', 'octavia']) {
      const flavor = (await api.call('GET', `${P}/${alias}/flavor_capabilities`, api.adminToken)).json();
      assert.deepEqual(
        flavor.flavor_capabilities.map((c: { name: string }) => c.name),
        ['loadbalancer_topology', 'compute_flavor', 'amp_image_tag', 'sriov_vip', 'allow_member_sriov'],
      );
      const zone = await api.call('GET', `${P}/${alias}/availability_zone_capabilities`, api.adminToken);
      assert.deepEqual(
        zone.json().availability_zone_capabilities.map((c: { name: string }) => c.name),
        ['compute_zone', 'volume_zone', 'management_network', 'valid_vip_networks'],
      );
    }
  });

  it('creates a load balancer asked for as amphora that shows amphora and is served by the mapped provider', async () => {
    for (const alias of ['amphora', 'octavia']) {
      const response = await api.call('POST', '/v2/lbaas/loadbalancers', api.adminToken, {
        loadbalancer: { vip_subnet_id: api.publicSubnetId, provider: alias, name: `via-${alias}` },
      });
      assert.equal(response.statusCode, 201, response.body);
      const { id, provider } = response.json().loadbalancer;
      assert.equal(provider, alias);
      await api.provisioner.idle();
      assert.equal(api.noop.applied.get(id)?.id, id, 'the noop provider serves it');
      const shown = await api.call('GET', `/v2/lbaas/loadbalancers/${id}`, api.adminToken);
      assert.equal(shown.json().loadbalancer.provider, alias);
      const listed = await api.call('GET', `/v2/lbaas/loadbalancers?provider=${alias}`, api.adminToken);
      assert.deepEqual(
        listed.json().loadbalancers.map((lb: { name: string }) => lb.name),
        [`via-${alias}`],
      );
    }
  });

  it("lists a provider's flavor capabilities", async () => {
    const response = await api.call('GET', `${P}/noop/flavor_capabilities`, api.adminToken);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      flavor_capabilities: [{ name: 'loadbalancer_topology', description: TOPOLOGY }],
    });
  });

  it("lists a provider's availability zone capabilities, filtered by exact name or description", async () => {
    const all = (await api.call('GET', `${P}/noop/availability_zone_capabilities`, api.adminToken)).json();
    assert.deepEqual(
      all.availability_zone_capabilities.map((c: { name: string }) => c.name),
      ['compute_zone', 'management_network', 'valid_vip_networks'],
    );
    const byName = await api.call(
      'GET',
      `${P}/noop/availability_zone_capabilities?name=compute_zone&fields=description`,
      api.adminToken,
    );
    assert.deepEqual(byName.json(), {
      availability_zone_capabilities: [{ description: 'The compute availability zone.' }],
    });
    const byDescription = await api.call(
      'GET',
      `${P}/noop/availability_zone_capabilities?description=nothing`,
      api.adminToken,
    );
    assert.deepEqual(byDescription.json(), { availability_zone_capabilities: [] });
  });

  it('rejects the capabilities of a provider that is not enabled', async () => {
    for (const path of ['flavor_capabilities', 'availability_zone_capabilities']) {
      const response = await api.call('GET', `${P}/ovn/${path}`, api.adminToken);
      assertFault(response, 400, "Provider 'ovn' is not enabled.");
    }
  });

  describe('RBAC', () => {
    it('lets a project observer list providers', async () => {
      const observer = await api.userWithRoles(['load-balancer_observer']);
      assert.equal((await api.call('GET', P, observer.token)).statusCode, 200);
    });

    it('refuses provider capabilities to anyone but an admin', async () => {
      const member = await api.userWithRoles(['load-balancer_member']);
      for (const path of ['flavor_capabilities', 'availability_zone_capabilities']) {
        assertFault(await api.call('GET', `${P}/noop/${path}`, member.token), 403, FORBIDDEN);
      }
    });

    it('answers 403 to a user with no load-balancer role', async () => {
      const plain = await api.userWithRoles(['member']);
      assertFault(await api.call('GET', P, plain.token), 403, FORBIDDEN);
    });
  });
});
