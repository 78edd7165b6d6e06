// Seed 000's HA pair as one `openstack` sequence (docs/ha-pair.md): the doc's ```sh blocks, run line by line
// through the real client against the netns lab with its addresses in place of the seed's, build an
// ACTIVE_STANDBY haproxy load balancer on lb1 and lb2 that serves the client host; the tear-down leaves no VIP.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haproxyAvailable } from '../../src/providers/haproxy/haproxy-available.ts';
import { answeringMembers, failedRequests } from '../helpers/netns/client-log.ts';
import { netnsSkipReason } from '../helpers/netns/netns-skip.ts';
import { LAB_ADMIN_PASSWORD, type Lab, PHYSNET, startLab, vipPool } from '../helpers/netns/sluice-lab.ts';
import { until } from '../helpers/netns/until.ts';
import { type ClientCli, clientCli, openstackMissing } from '../helpers/openstack-cli.ts';

const DOC = path.resolve(import.meta.dirname, '../../docs/ha-pair.md');
const skip =
  netnsSkipReason() ||
  openstackMissing ||
  (haproxyAvailable()
    ? false
    : "haproxy is not installed (apt-get install haproxy): the doc's flavor uses it");

/** The client's probe through the VIP: a new connection every 50 ms for at most 3 s (60 requests). */
const PROBE = {
  intervalMs: 50,
  durationMs: 3000,
  maxRequests: 60,
  timeoutMs: 2000,
  retryOnce: false,
} as const;

/** The doc's ```sh blocks, keyed by their first line (a comment naming the block), as command lines. */
function docBlocks(markdown: string): Map<string, string[]> {
  const blocks = new Map<string, string[]>();
  for (const [, body] of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const [name, ...lines] = body.split('\n').filter((l) => l.trim() !== '');
    blocks.set(name.replace(/^#\s*/, ''), lines);
  }
  return blocks;
}

/** Each seed value the doc uses and the lab's in its place; every one must occur in the doc. */
function labValues(lab: Lab): [string, string][] {
  const pool = vipPool(lab.topology);
  const [a, b] = lab.members;
  return [
    ['--provider-physical-network physnet1', `--provider-physical-network ${PHYSNET}`],
    ['--subnet-range 192.168.0.0/28', `--subnet-range ${lab.topology.cidr}`],
    ['start=192.168.0.5,end=192.168.0.14', `start=${pool.start},end=${pool.end}`],
    ['--address 10.0.0.11 --protocol-port 80', `--address ${a.address} --protocol-port ${a.port}`],
    ['--address 10.0.0.12 --protocol-port 80', `--address ${b.address} --protocol-port ${b.port}`],
  ];
}

/**
 * A reader's shell, one bash per line: `NAME=$(command)` keeps the command's output as NAME for the lines
 * after it, as in the reader's shell (values are ids, checked to need no quoting beyond '…').
 */
function docShell(bash: ClientCli) {
  const vars = new Map<string, string>();
  const prelude = () => [...vars].map(([k, v]) => `${k}='${v}'; `).join('');
  return async (line: string, suffix = ''): Promise<string> => {
    const assignment = /^([A-Z_]+)=\$\((.*)\)$/.exec(line);
    const command = assignment ? assignment[2] : line;
    const out = await bash('-c', `set -euo pipefail; ${prelude()}${command}${suffix}`);
    if (assignment) {
      const value = out.trim();
      assert.match(value, /^[\w.:-]+$/, `${assignment[1]} from ${command}`);
      vars.set(assignment[1], value);
    }
    return out;
  };
}

describe("seed 000's HA pair with the openstack CLI (docs/ha-pair.md)", { skip }, () => {
  let lab: Lab;
  let blocks: Map<string, string[]>;
  let shell: ReturnType<typeof docShell>;
  /** A line of the doc's check block, run with `-f json` so the test reads its fields. */
  const check = async (prefix: string) => {
    const lines = (blocks.get('check') ?? []).filter((l) => l.startsWith(prefix));
    assert.equal(lines.length, 1, `one check line starts with '${prefix}'`);
    return JSON.parse(await shell(lines[0], ' -f json'));
  };

  before(async () => {
    lab = await startLab({ network: false });
    await lab.startAgent('lb1');
    await lab.startAgent('lb2');
    let markdown = fs.readFileSync(DOC, 'utf8');
    for (const [seed, value] of labValues(lab)) {
      assert.ok(markdown.includes(seed), `docs/ha-pair.md uses '${seed}'`);
      markdown = markdown.replaceAll(seed, value);
    }
    blocks = docBlocks(markdown);
    assert.deepEqual([...blocks.keys()], ['operator, once', 'tenant', 'check', 'tear down']);
    shell = docShell(clientCli('bash', lab.serve.url, LAB_ADMIN_PASSWORD, 120_000));
    for (const line of [...(blocks.get('operator, once') ?? []), ...(blocks.get('tenant') ?? [])])
      await shell(line);
  });
  after(async () => {
    await lab?.close();
  });

  it('builds an ACTIVE load balancer whose VIP is on the lab subnet', async () => {
    const lb = await check('openstack loadbalancer show');
    assert.equal(lb.provisioning_status, 'ACTIVE');
    assert.ok(lb.vip_address.startsWith(`${lab.topology.net}.`), `${lb.vip_address} on ${lab.topology.cidr}`);
  });

  it('lists a MASTER and a BACKUP amphora on the two lab agents, the VIP on the MASTER host only', async () => {
    const { vip_address: vip } = await check('openstack loadbalancer show');
    const amphorae = (await check('openstack loadbalancer amphora list')) as {
      role: string;
      compute_id: string;
    }[];
    const hostOf = (role: string) => {
      const agentId = amphorae.find((a) => a.role === role)?.compute_id;
      return [...lab.agents].find(([, agent]) => agent.id === agentId)?.[0];
    };
    assert.deepEqual(amphorae.map((a) => a.role).sort(), ['BACKUP', 'MASTER']);
    const master = hostOf('MASTER');
    const backup = hostOf('BACKUP');
    assert.deepEqual([master, backup].sort(), ['lb1', 'lb2'], JSON.stringify(amphorae));
    const holding = await until('the VIP on the MASTER host only', 20_000, async () => {
      const hosts = await lab.hostsHolding(vip);
      return hosts.length === 1 && hosts[0] === master ? hosts : undefined;
    });
    assert.deepEqual(holding, [master]);
  });

  it('serves the client host through the VIP from both members, with no failed request', async () => {
    const { vip_address: vip } = await check('openstack loadbalancer show');
    const { records } = await lab.startClient({ url: `http://${vip}:80/`, ...PROBE }).done;
    assert.ok(records.length >= 20, `${records.length} requests`);
    assert.deepEqual(failedRequests(records), []);
    assert.deepEqual([...answeringMembers(records)].sort(), ['member-a', 'member-b']);
  });

  it('associates the floating IP with the VIP port', async () => {
    const lb = await check('openstack loadbalancer show');
    const fip = await check('openstack floating ip show');
    assert.equal(fip.port_id, lb.vip_port_id);
    assert.equal(fip.fixed_ip_address, lb.vip_address);
    assert.ok(fip.floating_ip_address, 'the floating IP has an address');
  });

  it('tears down with loadbalancer delete --cascade, leaving no VIP on any host and no port on the network', async () => {
    const { vip_address: vip } = await check('openstack loadbalancer show');
    assert.ok(
      (blocks.get('tear down') ?? []).some((l) =>
        l.startsWith('openstack loadbalancer delete --cascade --wait'),
      ),
    );
    // `network delete`, the block's last line, fails while any port (the VIP's, the router's) remains.
    for (const line of blocks.get('tear down') ?? []) await shell(line);
    const holding = await until('no host holds the VIP', 15_000, async () => {
      const hosts = await lab.hostsHolding(vip);
      return hosts.length === 0 ? hosts : undefined;
    });
    assert.deepEqual(holding, []);
  });
});
