// The real OpenStack client against `sluice serve` for Neutron's standard attributes (issue #13): a network
// created with --description and --tag shows both, and `network list --tags` finds it by its tag.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-attrs-password';
let server: ServeProcess;
let openstack: OpenStackCli;

describe('the openstack client with Neutron descriptions and tags', { skip: openstackMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
    openstack = openstackCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
  });

  it('creates a network with a description and tags, shows them and lists it by tag', async () => {
    const created = await openstack.json(
      'network',
      'create',
      '--description',
      'd',
      '--tag',
      't1',
      '--tag',
      't2',
      'n',
    );
    assert.equal(created.description, 'd');
    const shown = await openstack.json('network', 'show', 'n');
    assert.equal(shown.description, 'd');
    assert.deepEqual([...shown.tags].sort(), ['t1', 't2']);
    await openstack.json('network', 'create', 'untagged');
    const listed = await openstack.json('network', 'list', '--tags', 't1');
    assert.deepEqual(
      listed.map((row: { Name: string }) => row.Name),
      ['n'],
    );
    await openstack('network', 'unset', '--tag', 't1', 'n');
    assert.deepEqual((await openstack.json('network', 'show', 'n')).tags, ['t2']);
  });
});
