// The HA lab: hosts `client`, `members`, `lb1`, `lb2` (optionally `lb3`) on one bridge, the Sluice API and
// controller in the root namespace (the real `sluice serve --agent none`, as in production), a real
// `sluice agent` per lbN host reaching the API through a forwarder, real HTTP members, and the Neutron
// network (flat, physnet1) and subnet of the bridge created through the API so VIPs land on the bridge.
import fs from 'node:fs';
import path from 'node:path';
import { type Api, apiClient } from '../../conformance/api-client.ts';
import { type ServeProcess, startServe } from '../serve-process.ts';
import { type ApiRelay, startApiRelay } from './api-relay.ts';
import { buildTopology, type Host, hostAddresses, setLink, type Topology } from './bridge-topology.ts';
import type { ClientLoadOptions, ClientLog } from './client-log.ts';
import { readClientLog } from './client-log.ts';
import { type HostProcess, HostProcesses } from './host-processes.ts';
import { NetnsRun } from './netns-run.ts';
import { sweepStaleRuns } from './stale-sweeper.ts';
import { until } from './until.ts';

const BIN = path.resolve(import.meta.dirname, '../../../bin/sluice.js');
const SCRIPT = (name: string) => path.join(import.meta.dirname, name);
/** The admin password of the lab's `sluice serve`, for clients other than `lab.api` (the openstack CLI). */
export const LAB_ADMIN_PASSWORD = 'netns-lab-password';
/** The port the forwarder listens on inside every lbN host (each namespace has its own port space). */
export const FORWARDER_PORT = 9876;
export const PHYSNET = 'physnet1';
/** The VIPs' addresses on the bridge subnet: .100–.199 (hosts are .11 and up). */
export const vipPool = (topology: Topology) =>
  ({ start: `${topology.net}.100`, end: `${topology.net}.199` }) as const;
/** The members' port; member i listens on MEMBER_PORT + i. */
const MEMBER_PORT = 8081;

export type LabOptions = Readonly<{
  /** lbN hosts to build (default 2) */
  lbHosts?: 2 | 3;
  /** extra environment of `sluice serve` (tests of the defaults pass none) */
  serveEnv?: Record<string, string>;
  /** false: no Neutron network or subnet (the test creates them, e.g. with the openstack CLI); default true */
  network?: boolean;
}>;

export type LabAgent = { id: string; host: Host; token: string; process?: HostProcess };
export type Member = Readonly<{ name: string; address: string; port: number }>;

export type Lab = Readonly<{
  run: NetnsRun;
  topology: Topology;
  processes: HostProcesses;
  serve: ServeProcess;
  api: Api;
  /** The lab's subnet and network; reading them throws when the lab was started with `network: false`. */
  subnetId: string;
  networkId: string;
  agents: ReadonlyMap<string, LabAgent>;
  members: readonly Member[];
  lbHosts: readonly Host[];
  /** (Re)starts the agent (and its forwarder) of an lbN host; resolves when the API shows it UP. */
  startAgent(hostName: string): Promise<HostProcess>;
  /** Starts the client load loop; `done` resolves with its log once it has finished. */
  startClient(options: Omit<ClientLoadOptions, 'out'>): { process: HostProcess; done: Promise<ClientLog> };
  /** kill -9 of every process in the host; resolves with when it happened (epoch ms). */
  killHost(hostName: string): Promise<number>;
  /** Takes the host's link down or up; resolves with when it happened (epoch ms). */
  setLink(hostName: string, up: boolean): Promise<number>;
  /** The lbN hosts whose interface holds the address. */
  hostsHolding(address: string): Promise<string[]>;
  agentStatus(hostName: string): Promise<string | undefined>;
  close(): Promise<void>;
}>;

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  sweepStaleRuns();
  const run = new NetnsRun();
  try {
    return await buildLab(run, options);
  } catch (error) {
    run.cleanup();
    throw error;
  }
}

async function buildLab(run: NetnsRun, options: LabOptions): Promise<Lab> {
  const lbNames = Array.from({ length: options.lbHosts ?? 2 }, (_, i) => `lb${i + 1}`);
  const topology = await buildTopology(run, ['client', 'members', ...lbNames]);
  const processes = new HostProcesses(run);
  const serve = await startServe({
    dataDir: path.join(run.dir, 'serve'),
    env: { SLUICE_ADMIN_PASSWORD: LAB_ADMIN_PASSWORD, SLUICE_AGENT: 'none', ...options.serveEnv },
  });
  run.beforeCleanup(() => serve.child.kill('SIGKILL'));
  const relay: ApiRelay = await startApiRelay(
    path.join(run.dir, 'api.sock'),
    Number(new URL(serve.url).port),
  );
  run.beforeCleanup(() => relay.close());
  const api = await apiClient(serve.url, LAB_ADMIN_PASSWORD);

  const labNetwork = options.network === false ? undefined : await createLabNetwork(api, run, topology);
  const noNetwork = (): never => {
    throw new Error('the lab was started with network: false: it has no network or subnet');
  };

  const membersHost = topology.host('members');
  const members: Member[] = ['member-a', 'member-b'].map((name, i) => ({
    name,
    address: membersHost.address,
    port: MEMBER_PORT + i,
  }));
  for (const member of members) {
    const p = processes.spawn(membersHost, member.name, [
      process.execPath,
      SCRIPT('http-member.ts'),
      member.name,
      member.address,
      String(member.port),
    ]);
    await until(`${member.name} listening`, 10_000, async () =>
      p.output().includes('listening') ? true : undefined,
    );
  }

  const agents = new Map<string, LabAgent>();
  for (const name of lbNames) {
    const created = await api.call('POST', '/agent/v1/agents', { agent: { name: `${run.id}-${name}` } });
    if (created.status !== 201) throw new Error(`agent: ${created.status} ${JSON.stringify(created.body)}`);
    const { id, token } = created.body.agent as { id: string; token: string };
    agents.set(name, { id, token, host: topology.host(name) });
  }

  const agentStatus = async (hostName: string) => {
    const listed = (await api.call('GET', '/agent/v1/agents')).body.agents as {
      id: string;
      status: string;
    }[];
    return listed.find((a) => a.id === agents.get(hostName)?.id)?.status;
  };

  // Each client gets its own output and log (process logs are appended by name): two may start in the same
  // millisecond (one without and one with retry-once), and a caller may wait for this one's "sending" line.
  let clients = 0;
  const lab: Lab = {
    run,
    topology,
    processes,
    serve,
    api,
    get subnetId() {
      return labNetwork?.subnetId ?? noNetwork();
    },
    get networkId() {
      return labNetwork?.networkId ?? noNetwork();
    },
    agents,
    members,
    lbHosts: lbNames.map((n) => topology.host(n)),
    async startAgent(hostName) {
      const agent = agents.get(hostName);
      if (!agent) throw new Error(`no agent host '${hostName}'`);
      const forwarder = processes.spawn(agent.host, 'forwarder', [
        process.execPath,
        SCRIPT('api-forwarder.ts'),
        String(FORWARDER_PORT),
        relay.socketPath,
        agent.host.iface,
      ]);
      await until(`${hostName} forwarder`, 10_000, async () =>
        forwarder.output().includes('forwarding') ? true : undefined,
      );
      const dataDir = path.join(run.dir, 'agents', hostName);
      fs.mkdirSync(dataDir, { recursive: true });
      agent.process = processes.spawn(agent.host, 'agent', [
        process.execPath,
        BIN,
        'agent',
        '--server',
        `http://127.0.0.1:${FORWARDER_PORT}`,
        '--token',
        agent.token,
        '--interface-mapping',
        `${PHYSNET}:${agent.host.iface}`,
        '--data-dir',
        dataDir,
      ]);
      await until(`${hostName} agent UP`, 15_000, async () =>
        (await agentStatus(hostName)) === 'UP' ? true : undefined,
      );
      return agent.process;
    },
    startClient(clientOptions) {
      clients += 1;
      const out = path.join(run.dir, `client-${clients}.json`);
      const p = processes.spawn(topology.host('client'), `client-load-${clients}`, [
        process.execPath,
        SCRIPT('client-load.ts'),
        JSON.stringify({ ...clientOptions, out }),
      ]);
      const done = p.exited.then((code) => {
        if (!fs.existsSync(out)) throw new Error(`client load exited ${code} without a log:\n${p.output()}`);
        return readClientLog(out);
      });
      return { process: p, done };
    },
    async killHost(hostName) {
      const at = Date.now();
      await processes.killHost(topology.host(hostName));
      return at;
    },
    async setLink(hostName, up) {
      const at = Date.now();
      await setLink(topology.host(hostName), up);
      return at;
    },
    async hostsHolding(address) {
      const holding: string[] = [];
      for (const host of lbNames)
        if ((await hostAddresses(topology.host(host))).includes(address)) holding.push(host);
      return holding;
    },
    agentStatus,
    async close() {
      // Hosts and the relay first: the server's graceful stop would otherwise wait on agents' long-polls.
      for (const host of topology.hosts.values()) await processes.killHost(host);
      relay.close();
      await serve.stop();
      run.cleanup();
    },
  };
  return lab;
}

/** The flat network on PHYSNET and its subnet: the bridge's CIDR, no gateway, VIPs from vipPool. */
async function createLabNetwork(
  api: Api,
  run: NetnsRun,
  topology: Topology,
): Promise<{ networkId: string; subnetId: string }> {
  const network = await api.call('POST', '/v2.0/networks', {
    network: { name: `lab-${run.id}`, 'provider:network_type': 'flat', 'provider:physical_network': PHYSNET },
  });
  if (network.status !== 201) throw new Error(`network: ${network.status} ${JSON.stringify(network.body)}`);
  const networkId = (network.body.network as { id: string }).id;
  const subnet = await api.call('POST', '/v2.0/subnets', {
    subnet: {
      name: `lab-${run.id}`,
      network_id: networkId,
      ip_version: 4,
      cidr: topology.cidr,
      gateway_ip: null,
      allocation_pools: [vipPool(topology)],
    },
  });
  if (subnet.status !== 201) throw new Error(`subnet: ${subnet.status} ${JSON.stringify(subnet.body)}`);
  const subnetId = (subnet.body.subnet as { id: string }).id;
  return { networkId, subnetId };
}
