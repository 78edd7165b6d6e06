// The real OpenStack client against `sluice serve` for Neutron security groups (issue #13): create, show,
// list, set and delete a group, and create, list and delete a rule in it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-secgroups-password';
let server: ServeProcess;
let openstack: OpenStackCli;

describe('the openstack client with Neutron security groups', { skip: openstackMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
    openstack = openstackCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
  });

  it('creates, shows, lists, renames and deletes a group, and manages a rule in it', async () => {
    const created = await openstack.json('security', 'group', 'create', '--description', 'web tier', 'web');
    assert.equal(created.name, 'web');
    assert.equal(created.description, 'web tier');
    assert.equal(created.stateful, true);
    assert.equal(created.rules.length, 2);

    const shown = await openstack.json('security', 'group', 'show', 'web');
    assert.equal(shown.id, created.id);
    const listed = await openstack.json('security', 'group', 'list');
    assert.deepEqual(listed.map((row: { Name: string }) => row.Name).sort(), ['default', 'web']);

    await openstack('security', 'group', 'set', '--name', 'web2', '--description', 'renamed', 'web');
    const renamed = await openstack.json('security', 'group', 'show', created.id);
    assert.deepEqual([renamed.name, renamed.description], ['web2', 'renamed']);

    const rule = await openstack.json(
      'security',
      'group',
      'rule',
      'create',
      '--protocol',
      'tcp',
      '--dst-port',
      '22',
      '--remote-ip',
      '10.0.0.0/8',
      'web2',
    );
    assert.deepEqual(
      [
        rule.direction,
        rule.ether_type,
        rule.protocol,
        rule.port_range_min,
        rule.port_range_max,
        rule.remote_ip_prefix,
      ],
      ['ingress', 'IPv4', 'tcp', 22, 22, '10.0.0.0/8'],
    );
    const rules = await openstack.json('security', 'group', 'rule', 'list', 'web2');
    assert.equal(rules.length, 3);
    assert.ok(rules.some((row: { ID: string }) => row.ID === rule.id));

    await openstack('security', 'group', 'rule', 'delete', rule.id);
    assert.equal((await openstack.json('security', 'group', 'rule', 'list', 'web2')).length, 2);
    await openstack('security', 'group', 'delete', 'web2');
    const after = await openstack.json('security', 'group', 'list');
    assert.deepEqual(
      after.map((row: { Name: string }) => row.Name),
      ['default'],
    );
  });
});
