// The real OpenStack client against `sluice serve` for issue #13's Neutron pieces: `port set --mac-address`
// on an unbound port, `router add/remove route` (extraroute-atomic) and `router set --route`, and QoS
// policies, one of which a load balancer's VIP then names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-neutron-misc-password';
let server: ServeProcess;
let openstack: OpenStackCli;

describe('the openstack client with MAC updates, extra routes and QoS policies', {
  skip: openstackMissing,
}, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
    openstack = openstackCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
  });

  it("changes an unbound port's MAC with port set --mac-address", async () => {
    await openstack.json('port', 'create', '--network', 'public', 'mac-port');
    await openstack('port', 'set', '--mac-address', 'fa:16:3e:12:34:56', 'mac-port');
    assert.equal((await openstack.json('port', 'show', 'mac-port')).mac_address, 'fa:16:3e:12:34:56');
  });

  it('adds, replaces and removes extra routes of a router', async () => {
    await openstack.json('network', 'create', 'xr-net');
    await openstack.json(
      'subnet',
      'create',
      '--network',
      'xr-net',
      '--subnet-range',
      '10.60.0.0/24',
      'xr-sub',
    );
    await openstack.json('router', 'create', 'xr');
    await openstack('router', 'add', 'subnet', 'xr', 'xr-sub');
    const added = await openstack.json(
      'router',
      'add',
      'route',
      '--route',
      'destination=192.168.10.0/24,gateway=10.60.0.5',
      'xr',
    );
    assert.deepEqual(added.routes, [{ destination: '192.168.10.0/24', nexthop: '10.60.0.5' }]);
    await openstack('router', 'set', '--route', 'destination=172.16.0.0/12,gateway=10.60.0.6', 'xr');
    // The client sends the whole list (`router set` keeps the old routes); order is the client's.
    const both = (await openstack.json('router', 'show', 'xr')).routes as { destination: string }[];
    assert.deepEqual(both.map((route) => route.destination).sort(), ['172.16.0.0/12', '192.168.10.0/24']);
    await openstack(
      'router',
      'remove',
      'route',
      '--route',
      'destination=192.168.10.0/24,gateway=10.60.0.5',
      'xr',
    );
    assert.deepEqual((await openstack.json('router', 'show', 'xr')).routes, [
      { destination: '172.16.0.0/12', nexthop: '10.60.0.6' },
    ]);
  });

  it('creates a QoS policy that a load balancer VIP names, and lists no rule type', async () => {
    const policy = await openstack.json('network', 'qos', 'policy', 'create', '--description', 'd', 'gold');
    assert.equal(policy.name, 'gold');
    assert.deepEqual(await openstack.json('network', 'qos', 'rule', 'type', 'list'), []);
    const lb = await openstack.json(
      'loadbalancer',
      'create',
      '--vip-subnet-id',
      'public-subnet',
      '--vip-qos-policy-id',
      policy.id,
      '--name',
      'qos-lb',
    );
    assert.equal(lb.vip_qos_policy_id, policy.id);
    await assert.rejects(
      openstack('network', 'qos', 'policy', 'delete', 'gold'),
      /QoS Policy .* is used by port/,
    );
  });
});
