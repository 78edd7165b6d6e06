// Seed 002's LBaaS v2 sequence through the `openstack` client instead of `neutron` (issue #6): network and
// subnet create, loadbalancer/listener/pool/member/healthmonitor create, floating ip create and set --port.
// Same checks as the neutron test: round robin on VIP and floating IP, a stopped member leaves within the
// monitor window and shows ERROR, comes back, and a reverse-order delete leaves no port and a silent VIP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OpenStackCli, openstackCli, openstackMissing } from '../helpers/openstack-cli.ts';
import {
  answer,
  answers,
  eventually,
  type Member,
  member,
  roundRobin,
  VIP_PORT,
} from '../helpers/seed-002.ts';
import { freePort, type ServeProcess, startServe } from '../helpers/serve-process.ts';

const PASSWORD = 'openstack-seed-password';
const WINDOW_MS = 20_000;
const FLOATING = '127.77.88.3';

let server: ServeProcess;
let os: OpenStackCli;
let members: Member[] = [];

describe('seed 002 with the openstack CLI against sluice serve', { skip: openstackMissing }, () => {
  before(async () => {
    server = await startServe({ env: { SLUICE_ADMIN_PASSWORD: PASSWORD } });
    os = openstackCli(server.url, PASSWORD);
    const port = await freePort();
    members = [await member('127.88.3.17', port), await member('127.88.3.18', port)];
  });
  after(async () => {
    for (const m of members) await m.stop();
    await server?.stop();
  });

  it('builds the load balancer with openstack commands, serves it on a floating IP, and cleans up', async () => {
    await os('network', 'create', 'tenant-network');
    await os(
      'subnet',
      'create',
      '--network',
      'tenant-network',
      '--subnet-range',
      '127.88.3.0/24',
      'tenant-subnetwork',
    );
    const lb = await os.json(
      'loadbalancer',
      'create',
      '--name',
      'load-balancer',
      '--vip-subnet-id',
      'tenant-subnetwork',
      '--wait',
    );
    assert.match(lb.vip_address, /^127\.88\.3\./);
    await os(
      'loadbalancer',
      'listener',
      'create',
      '--name',
      'listener',
      '--protocol',
      'HTTP',
      '--protocol-port',
      String(VIP_PORT),
      'load-balancer',
      '--wait',
    );
    await os(
      'loadbalancer',
      'pool',
      'create',
      '--name',
      'mypool',
      '--lb-algorithm',
      'ROUND_ROBIN',
      '--listener',
      'listener',
      '--protocol',
      'HTTP',
      '--wait',
    );
    for (const m of members) {
      await os(
        'loadbalancer',
        'member',
        'create',
        '--subnet-id',
        'tenant-subnetwork',
        '--address',
        m.address,
        '--protocol-port',
        String(m.port),
        'mypool',
        '--wait',
      );
    }
    await os(
      'loadbalancer',
      'healthmonitor',
      'create',
      '--delay',
      '1',
      '--timeout',
      '1',
      '--max-retries',
      '1',
      '--type',
      'HTTP',
      'mypool',
      '--wait',
    );
    const fip = await os.json('floating', 'ip', 'create', '--floating-ip-address', FLOATING, 'public');
    assert.equal(fip.floating_ip_address, FLOATING);
    await os('floating', 'ip', 'set', '--port', lb.vip_port_id, fip.id);
    assert.equal((await os.json('floating', 'ip', 'show', fip.id)).fixed_ip_address, lb.vip_address);

    const [a, b] = members;
    for (const target of [lb.vip_address, FLOATING]) {
      await eventually(
        WINDOW_MS,
        () => answers(target, VIP_PORT, 4),
        (s) => roundRobin(s, a.address, b.address),
      );
    }
    const statuses = async () =>
      new Map<string, string>(
        (await os.json('loadbalancer', 'member', 'list', 'mypool')).map(
          (m: { address: string; operating_status: string }) => [m.address, m.operating_status],
        ),
      );
    await a.stop();
    await eventually(
      WINDOW_MS,
      () => answers(FLOATING, VIP_PORT, 4),
      (s) => s.every((x) => x === b.address),
    );
    await eventually(
      WINDOW_MS,
      statuses,
      (s) => s.get(a.address) === 'ERROR' && s.get(b.address) === 'ONLINE',
    );
    await a.start();
    await eventually(
      WINDOW_MS,
      () => answers(lb.vip_address, VIP_PORT, 4),
      (s) => roundRobin(s, a.address, b.address),
    );
    await eventually(WINDOW_MS, statuses, (s) => s.get(a.address) === 'ONLINE');

    await os('floating', 'ip', 'delete', fip.id);
    await eventually(
      WINDOW_MS,
      () => answer(FLOATING, VIP_PORT),
      (s) => s.startsWith('error'),
    );
    await os(
      'loadbalancer',
      'healthmonitor',
      'delete',
      (await os.json('loadbalancer', 'healthmonitor', 'list'))[0].id,
      '--wait',
    );
    for (const m of await os.json('loadbalancer', 'member', 'list', 'mypool')) {
      await os('loadbalancer', 'member', 'delete', 'mypool', m.id, '--wait');
    }
    await os('loadbalancer', 'pool', 'delete', 'mypool', '--wait');
    await os('loadbalancer', 'listener', 'delete', 'listener', '--wait');
    await os('loadbalancer', 'delete', 'load-balancer', '--wait');
    await eventually(
      WINDOW_MS,
      () => answer(lb.vip_address, VIP_PORT),
      (s) => s.startsWith('error'),
    );
    const ports = await eventually(
      WINDOW_MS,
      () => os.json('port', 'list'),
      (p: unknown[]) => p.length === 0,
    );
    assert.deepEqual(ports, []);
    await os('subnet', 'delete', 'tenant-subnetwork');
    await os('network', 'delete', 'tenant-network');
  });
});
