// The real OpenStack client against `sluice serve --rbac keystone-default` (SLUICE_RBAC): Keystone's `member`
// role creates a load balancer, `reader` sees it and gets Octavia's 403 on create, as on Octavia 2025.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-rbac-password';
const PROJECT = 'rbac-project';
let server: ServeProcess;
let admin: OpenStackCli;

describe('the openstack client against sluice serve --rbac keystone-default', {
  skip: openstackMissing,
}, () => {
  before(async () => {
    server = await startServe({
      env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop', SLUICE_RBAC: 'keystone-default' },
    });
    admin = openstackCli(server.url, PASSWORD);
    await admin('project', 'create', PROJECT);
    for (const [user, role] of [
      ['alice', 'member'],
      ['bob', 'reader'],
    ]) {
      await admin('user', 'create', '--password', `pw-${user}`, '--project', PROJECT, user);
      await admin('role', 'add', '--project', PROJECT, '--user', user, role);
    }
  });
  after(async () => {
    await server?.stop();
  });

  it("lists Keystone's default roles reader, member, admin and service", async () => {
    const names = (await admin.json('role', 'list')).map((row: { Name: string }) => row.Name);
    for (const name of ['reader', 'member', 'admin', 'service']) assert.ok(names.includes(name), name);
  });

  it('lets a member create a load balancer and a reader list it but not create one (403)', async () => {
    const alice = openstackCli(server.url, 'pw-alice', { user: 'alice', project: PROJECT });
    const bob = openstackCli(server.url, 'pw-bob', { user: 'bob', project: PROJECT });
    const lb = await alice.json(
      'loadbalancer',
      'create',
      '--name',
      'kd',
      '--vip-subnet-id',
      'public-subnet',
      '--wait',
    );
    assert.equal(lb.provisioning_status, 'ACTIVE');
    const listed = await bob.json('loadbalancer', 'list');
    assert.deepEqual(
      listed.map((row: { id: string }) => row.id),
      [lb.id],
    );
    await assert.rejects(
      bob('loadbalancer', 'create', '--name', 'no', '--vip-subnet-id', 'public-subnet'),
      /Policy does not allow this request to be performed\. \(HTTP 403\)/,
    );
  });
});
