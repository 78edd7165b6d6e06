// The real OpenStack client (Debian python3-openstackclient + python3-octaviaclient) against `sluice serve`:
// identity commands and the load-balancer lifecycle the foundation issue promises.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-test-password';
let server: ServeProcess;
let openstack: OpenStackCli;
const json = (...args: string[]) => openstack.json(...args);

describe('the openstack client against sluice serve', { skip: openstackMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
    openstack = openstackCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
  });

  it('issues a token', async () => {
    const token = await json('token', 'issue');
    assert.ok(token.id);
    assert.ok(token.project_id);
  });

  it('creates a project and a user and grants a role', async () => {
    const project = await json('project', 'create', 'cli-project');
    assert.equal(project.name, 'cli-project');
    const user = await json('user', 'create', '--password', 'pw', '--project', 'cli-project', 'cli-user');
    assert.equal(user.name, 'cli-user');
    await openstack('role', 'add', '--project', 'cli-project', '--user', 'cli-user', 'load-balancer_member');
    const assignments = await json('role', 'assignment', 'list', '--user', 'cli-user', '--names');
    assert.ok(assignments.some((a: { Role: string }) => a.Role === 'load-balancer_member'));
  });

  it('runs a load balancer through create, list, show, set, status, stats and cascade delete', async () => {
    const lb = await json(
      'loadbalancer',
      'create',
      '--name',
      'lb1',
      '--vip-subnet-id',
      'public-subnet',
      '--wait',
    );
    assert.equal(lb.name, 'lb1');
    const listed = await json('loadbalancer', 'list');
    assert.ok(listed.some((row: { name: string }) => row.name === 'lb1'));
    const shown = await json('loadbalancer', 'show', 'lb1');
    assert.equal(shown.provisioning_status, 'ACTIVE');
    assert.match(shown.vip_address, /^127\.77\./);
    await openstack('loadbalancer', 'set', '--name', 'lb2', 'lb1', '--wait');
    assert.equal((await json('loadbalancer', 'show', 'lb2')).name, 'lb2');
    // `status show` prints the JSON status tree itself and takes no -f option.
    const status = JSON.parse(await openstack('loadbalancer', 'status', 'show', 'lb2'));
    assert.equal(status.loadbalancer.provisioning_status, 'ACTIVE');
    const stats = await json('loadbalancer', 'stats', 'show', 'lb2');
    assert.equal(stats.total_connections, 0);
    await openstack('loadbalancer', 'delete', '--cascade', '--wait', 'lb2');
    const after = await json('loadbalancer', 'list');
    assert.ok(!after.some((row: { id: string }) => row.id === lb.id));
  });
});
