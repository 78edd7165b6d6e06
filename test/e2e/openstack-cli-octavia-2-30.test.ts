// The real openstack client against `sluice serve` for what Octavia API 2.28–2.30 added (issue #13): load
// balancer tags with Debian's client, and, with a client new enough to have the flags (python-octaviaclient
// from 2025.1: --vip-sg-id, --request-sriov), VIP security groups set, shown and cleared, vip_vnic_type and a
// member's vnic_type shown, and SR-IOV members refused with Octavia's message.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type OpenStackCli,
  openstackCli,
  openstackLacks,
  openstackMissing,
} from '../helpers/openstack-cli.ts';
import { type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'cli-230-password';
let server: ServeProcess;
let openstack: OpenStackCli;

const lacksVipSg = await openstackLacks('--vip-sg-id', 'loadbalancer', 'create');

/** Tags as the client prints them: a list (newer clients) or one line per tag (python-octaviaclient 3.1). */
const tagsOf = (shown: unknown): string[] =>
  (Array.isArray(shown) ? shown.map(String) : String(shown).split('\n').filter(Boolean)).sort();

describe('the openstack client with Octavia 2.28–2.30 fields', { skip: openstackMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD, SLUICE_PROVIDER: 'noop' } });
    openstack = openstackCli(server.url, PASSWORD);
  });
  after(async () => {
    await server?.stop();
  });

  it('creates a load balancer with tags, lists it by tag, and adds and removes tags', async () => {
    const created = await openstack.json(
      'loadbalancer',
      'create',
      '--name',
      'tagged',
      '--vip-subnet-id',
      'public-subnet',
      '--tag',
      'blue',
      '--wait',
    );
    assert.deepEqual(tagsOf(created.tags), ['blue']);
    await openstack.json(
      'loadbalancer',
      'create',
      '--name',
      'plain',
      '--vip-subnet-id',
      'public-subnet',
      '--wait',
    );
    const listed = await openstack.json('loadbalancer', 'list', '--tags', 'blue');
    assert.deepEqual(
      listed.map((row: { name: string }) => row.name),
      ['tagged'],
    );
    await openstack('loadbalancer', 'set', '--tag', 'green', '--wait', 'tagged');
    assert.deepEqual(tagsOf((await openstack.json('loadbalancer', 'show', 'tagged')).tags), [
      'blue',
      'green',
    ]);
    await openstack('loadbalancer', 'unset', '--tag', 'blue', '--wait', 'tagged');
    assert.deepEqual(tagsOf((await openstack.json('loadbalancer', 'show', 'tagged')).tags), ['green']);
  });

  it('sets, shows and clears VIP security groups, and shows the vNIC types', {
    skip: lacksVipSg,
  }, async () => {
    const web = (await openstack.json('security', 'group', 'create', 'web')).id;
    const admin = (await openstack.json('security', 'group', 'create', 'admin')).id;
    const lb = await openstack.json(
      'loadbalancer',
      'create',
      '--name',
      'guarded',
      '--vip-subnet-id',
      'public-subnet',
      '--vip-sg-id',
      web,
      '--wait',
    );
    assert.deepEqual(lb.vip_sg_ids, [web]);
    assert.equal(lb.vip_vnic_type, 'normal');
    await openstack('loadbalancer', 'set', '--vip-sg-id', admin, '--wait', 'guarded');
    assert.deepEqual((await openstack.json('loadbalancer', 'show', 'guarded')).vip_sg_ids, [admin]);
    await assert.rejects(openstack('security', 'group', 'delete', admin), /SecurityGroupInUse|in use/);
    await openstack('loadbalancer', 'unset', '--vip-sg-id', '--wait', 'guarded');
    assert.deepEqual((await openstack.json('loadbalancer', 'show', 'guarded')).vip_sg_ids, []);
    await openstack('security', 'group', 'delete', admin);

    const pool = [
      '--loadbalancer',
      'guarded',
      '--protocol',
      'TCP',
      '--lb-algorithm',
      'ROUND_ROBIN',
      '--wait',
    ];
    await openstack('loadbalancer', 'pool', 'create', '--name', 'p', ...pool);
    const member = ['--address', '127.0.0.9', '--protocol-port', '80', '--wait'];
    await assert.rejects(
      openstack('loadbalancer', 'member', 'create', '--request-sriov', ...member, 'p'),
      /The load balancer flavor does not allow SR-IOV member ports\. \(HTTP 400\)/,
    );
    const created = await openstack.json('loadbalancer', 'member', 'create', '--name', 'm', ...member, 'p');
    assert.equal(created.vnic_type, 'normal');
  });
});
