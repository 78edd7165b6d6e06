// The real `openstack loadbalancer` client through a create / show / set / unset / list / delete cycle of
// every resource of the complete Octavia API, against `sluice serve` with the noop provider (issue #3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-octavia-password';
let server: ServeProcess;
let os: OpenStackCli;
const lb = (...args: string[]) => os('loadbalancer', ...args);
const lbJson = (...args: string[]) => os.json('loadbalancer', ...args);

describe('openstack loadbalancer subcommands against sluice serve', { skip: openstackMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
    os = openstackCli(server.url, PASSWORD);
    await lb('create', '--name', 'lb1', '--vip-subnet-id', 'public-subnet', '--wait');
  });
  after(async () => {
    await server?.stop();
  });

  it('runs listeners through create, show, set, unset, list and stats', async () => {
    const listener = await lbJson(
      'listener',
      'create',
      '--name',
      'l1',
      '--protocol',
      'HTTP',
      '--protocol-port',
      '80',
      'lb1',
      '--wait',
    );
    assert.equal(listener.protocol_port, 80);
    await lb('listener', 'set', '--description', 'front', '--connection-limit', '100', 'l1', '--wait');
    assert.equal((await lbJson('listener', 'show', 'l1')).connection_limit, 100);
    await lb('listener', 'unset', '--description', 'l1', '--wait');
    assert.equal((await lbJson('listener', 'show', 'l1')).description, '');
    assert.ok((await lbJson('listener', 'list')).some((row: { name: string }) => row.name === 'l1'));
    assert.equal((await lbJson('listener', 'stats', 'show', 'l1')).total_connections, 0);
  });

  it('runs pools and members through their cycle', async () => {
    await lb(
      'pool',
      'create',
      '--name',
      'p1',
      '--lb-algorithm',
      'ROUND_ROBIN',
      '--listener',
      'l1',
      '--protocol',
      'HTTP',
      '--wait',
    );
    await lb(
      'pool',
      'set',
      '--lb-algorithm',
      'LEAST_CONNECTIONS',
      '--session-persistence',
      'type=HTTP_COOKIE',
      'p1',
      '--wait',
    );
    assert.equal((await lbJson('pool', 'show', 'p1')).lb_algorithm, 'LEAST_CONNECTIONS');
    await lb('pool', 'unset', '--session-persistence', 'p1', '--wait');
    await lb(
      'member',
      'create',
      '--name',
      'm1',
      '--address',
      '127.0.0.10',
      '--protocol-port',
      '8080',
      'p1',
      '--wait',
    );
    await lb('member', 'set', '--weight', '5', 'p1', 'm1', '--wait');
    assert.equal((await lbJson('member', 'show', 'p1', 'm1')).weight, 5);
    await lb('member', 'unset', '--weight', 'p1', 'm1', '--wait');
    assert.equal((await lbJson('member', 'show', 'p1', 'm1')).weight, 1);
    assert.equal((await lbJson('member', 'list', 'p1')).length, 1);
  });

  it('runs a health monitor through its cycle', async () => {
    await lb(
      'healthmonitor',
      'create',
      '--name',
      'hm1',
      '--delay',
      '5',
      '--timeout',
      '3',
      '--max-retries',
      '2',
      '--type',
      'HTTP',
      '--url-path',
      '/healthz',
      'p1',
      '--wait',
    );
    await lb('healthmonitor', 'set', '--delay', '10', 'hm1', '--wait');
    assert.equal((await lbJson('healthmonitor', 'show', 'hm1')).delay, 10);
    await lb('healthmonitor', 'unset', '--url-path', 'hm1', '--wait');
    assert.equal((await lbJson('healthmonitor', 'show', 'hm1')).url_path, '/');
    assert.equal((await lbJson('healthmonitor', 'list')).length, 1);
  });

  it('runs L7 policies and rules through their cycle', async () => {
    await lb(
      'l7policy',
      'create',
      '--name',
      'pol1',
      '--action',
      'REDIRECT_TO_POOL',
      '--redirect-pool',
      'p1',
      'l1',
      '--wait',
    );
    await lb('l7policy', 'set', '--description', 'api', 'pol1', '--wait');
    await lb('l7policy', 'unset', '--description', 'pol1', '--wait');
    // --wait makes octaviaclient 3.1.0 show the rule with policy and rule ids swapped; Sluice answers
    // that lookup (it would be a 404 otherwise) so the distribution's client works (api/octavia/l7rules/routes.ts).
    const rule = await lbJson(
      'l7rule',
      'create',
      '--compare-type',
      'STARTS_WITH',
      '--type',
      'PATH',
      '--value',
      '/api',
      'pol1',
      '--wait',
    );
    await lb('l7rule', 'set', '--value', '/v2', 'pol1', rule.id, '--wait');
    assert.equal((await lbJson('l7rule', 'show', 'pol1', rule.id)).value, '/v2');
    await lb('l7rule', 'unset', '--invert', 'pol1', rule.id, '--wait');
    assert.equal((await lbJson('l7rule', 'list', 'pol1')).length, 1);
    assert.equal((await lbJson('l7policy', 'list')).length, 1);
    const status = JSON.parse(await lb('status', 'show', 'lb1'));
    assert.equal(status.loadbalancer.listeners[0].pools[0].members[0].address, '127.0.0.10');
  });

  it('manages quotas', async () => {
    const project = (await os.json('project', 'show', 'admin')).id as string;
    await lb('quota', 'set', '--loadbalancer', '50', '--member', '500', project);
    assert.equal((await lbJson('quota', 'show', project)).load_balancer, 50);
    await lb('quota', 'unset', '--member', project);
    assert.ok((await lbJson('quota', 'list')).length >= 1);
    assert.equal((await lbJson('quota', 'defaults', 'show')).load_balancer, -1);
    await lb('quota', 'reset', project);
  });

  it('manages flavor profiles and flavors, and creates a load balancer with a flavor', async () => {
    await lb(
      'flavorprofile',
      'create',
      '--name',
      'fp1',
      '--provider',
      'noop',
      '--flavor-data',
      '{"loadbalancer_topology": "ACTIVE_STANDBY"}',
    );
    await lb('flavorprofile', 'set', '--name', 'fp2', 'fp1');
    assert.equal((await lbJson('flavorprofile', 'show', 'fp2')).provider_name, 'noop');
    await lb(
      'flavor',
      'create',
      '--name',
      'ha',
      '--flavorprofile',
      'fp2',
      '--description',
      'two hosts',
      '--enable',
    );
    await lb('flavor', 'set', '--disable', 'ha');
    await lb('flavor', 'set', '--enable', 'ha');
    await lb('flavor', 'unset', '--description', 'ha');
    assert.equal((await lbJson('flavor', 'list')).length, 1);
    await lb('create', '--name', 'ha-lb', '--vip-subnet-id', 'public-subnet', '--flavor', 'ha', '--wait');
    const amphorae = await lbJson('amphora', 'list', '--loadbalancer', 'ha-lb');
    assert.deepEqual(amphorae.map((a: { role: string }) => a.role).sort(), ['BACKUP', 'MASTER']);
  });

  it('manages availability zone profiles and zones', async () => {
    await lb(
      'availabilityzoneprofile',
      'create',
      '--name',
      'azp1',
      '--provider',
      'noop',
      '--availability-zone-data',
      '{"compute_zone": "rack-1"}',
    );
    await lb('availabilityzoneprofile', 'set', '--name', 'azp2', 'azp1');
    await lb(
      'availabilityzone',
      'create',
      '--name',
      'rack-1',
      '--availabilityzoneprofile',
      'azp2',
      '--description',
      'r1',
    );
    await lb('availabilityzone', 'set', '--description', 'first rack', 'rack-1');
    await lb('availabilityzone', 'unset', '--description', 'rack-1');
    assert.equal((await lbJson('availabilityzone', 'show', 'rack-1')).description, '');
    assert.equal((await lbJson('availabilityzone', 'list')).length, 1);
    assert.equal((await lbJson('availabilityzoneprofile', 'list')).length, 1);
  });

  it('lists providers and their capabilities', async () => {
    assert.ok((await lbJson('provider', 'list')).some((p: { name: string }) => p.name === 'noop'));
    const capabilities = await lbJson('provider', 'capability', 'list', 'noop');
    assert.ok(capabilities.some((c: { name: string }) => c.name === 'loadbalancer_topology'));
  });

  it('shows, configures and fails over amphorae', async () => {
    const [amphora] = await lbJson('amphora', 'list', '--loadbalancer', 'lb1');
    assert.equal((await lbJson('amphora', 'show', amphora.id)).role, 'STANDALONE');
    await lb('amphora', 'configure', amphora.id);
    await lb('amphora', 'failover', amphora.id, '--wait');
    assert.equal((await lbJson('show', 'lb1')).provisioning_status, 'ACTIVE');
  });

  it('deletes every object again, leaves first', async () => {
    const [rule] = await lbJson('l7rule', 'list', 'pol1');
    await lb('l7rule', 'delete', 'pol1', rule.id, '--wait');
    await lb('l7policy', 'delete', 'pol1', '--wait');
    await lb('healthmonitor', 'delete', 'hm1', '--wait');
    await lb('member', 'delete', 'p1', 'm1', '--wait');
    await lb('pool', 'delete', 'p1', '--wait');
    await lb('listener', 'delete', 'l1', '--wait');
    await lb('delete', '--cascade', 'ha-lb', '--wait');
    await lb('flavor', 'delete', 'ha');
    await lb('flavorprofile', 'delete', 'fp2');
    await lb('availabilityzone', 'delete', 'rack-1');
    await lb('availabilityzoneprofile', 'delete', 'azp2');
    await lb('delete', 'lb1', '--wait');
    assert.deepEqual(await lbJson('list'), []);
  });
});
