import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertFault } from '../../../../test/helpers/octavia-fault.ts';
import { startTestApi, type TestApi } from '../../../../test/helpers/test-api.ts';

const LB = '/v2/lbaas/loadbalancers';
const DENIED =
  'Validation failure: Supplied VIP network_id is not allowed by the configuration of this deployment.';
let api: TestApi;
let publicNetworkId: string;
let allowedNetworkId: string;

const createLb = (body: Record<string, unknown>) =>
  api.call('POST', LB, api.adminToken, { loadbalancer: body });
const portCount = async () => (await api.call('GET', '/v2.0/ports', api.adminToken)).json().ports.length;

describe('denylist_vip_networks', () => {
  before(async () => {
    // The public network is made at bootstrap, so its id is known only afterwards: deny it in a second API
    // on the same store, keeping a second network allowed.
    const first = await startTestApi();
    publicNetworkId = (await first.call('GET', '/v2.0/networks?name=public', first.adminToken)).json()
      .networks[0].id;
    const allowed = await first.call('POST', '/v2.0/networks', first.adminToken, {
      network: { name: 'allowed' },
    });
    allowedNetworkId = allowed.json().network.id;
    await first.call('POST', '/v2.0/subnets', first.adminToken, {
      subnet: { network_id: allowedNetworkId, cidr: '127.79.0.0/24', ip_version: 4 },
    });
    api = await startTestApi({ store: first.store, denylistVipNetworks: [publicNetworkId.toUpperCase()] });
    await first.close({ keepStore: true });
  });
  after(async () => api.close());

  it('refuses a VIP on a denied network, by network, subnet or port, and allocates nothing', async () => {
    const ports = await portCount();
    assertFault(await createLb({ vip_network_id: publicNetworkId }), 400, DENIED);
    assertFault(await createLb({ vip_subnet_id: api.publicSubnetId }), 400, DENIED);
    const port = await api.call('POST', '/v2.0/ports', api.adminToken, {
      port: { network_id: publicNetworkId },
    });
    assertFault(await createLb({ vip_port_id: port.json().port.id }), 400, DENIED);
    assert.equal(await portCount(), ports + 1);
  });

  it('accepts a VIP on a network not listed', async () => {
    const response = await createLb({ vip_network_id: allowedNetworkId });
    assert.equal(response.statusCode, 201, response.body);
    await api.provisioner.idle();
  });
});
