// The failover gap (issue #11): kill -9 of every process on the host serving a load balancer while a client
// loop runs, in the netns HA lab (test/helpers/netns/), for each provider and topology, beside two anchors
// measured in the same lab: keepalived's floor and Octavia's keepalived defaults. Run by `npm run bench`, or alone.
import { execFileSync } from 'node:child_process';
import { haproxyAvailable } from '../src/providers/haproxy/haproxy-available.ts';
import { keepalivedAvailable } from '../src/providers/keepalived/keepalived-available.ts';
import { forgetAddresses } from '../test/helpers/netns/bridge-topology.ts';
import { activeStandbyFlavor } from '../test/helpers/netns/lab-flavors.ts';
import { createHttpLoadBalancer, type LabLoadBalancer } from '../test/helpers/netns/lab-load-balancer.ts';
import { netnsSkipReason } from '../test/helpers/netns/netns-skip.ts';
import { type Lab, startLab } from '../test/helpers/netns/sluice-lab.ts';
import { until } from '../test/helpers/netns/until.ts';
import { type KillResult, killUnderLoad, type RoundTiming, TIMEOUT_MS } from './failover-round.ts';
import { failoverTable, type GapRow } from './failover-table.ts';
import { type AnchorKind, startAnchor } from './keepalived-anchor.ts';

/** Kills per row (FAILOVER_KILLS overrides, at least 1). */
const KILLS = Math.max(1, Number(process.env.FAILOVER_KILLS ?? 5) || 5);
/** The anchors' VIP: outside the lab subnet's allocation pool (.100–.199), so no load balancer gets it. */
const ANCHOR_VIP_HOST = 250;
const TIMING: Record<AnchorKind | 'sluice', RoundTiming> = {
  // Master_Down_Interval ≈ 0.36 s (floor) and ≈ 3.65 s (Octavia), see keepalived-anchor.ts, plus a margin.
  floor: { leadMs: 500, tailMs: 1500 },
  octavia: { leadMs: 500, tailMs: 4500 },
  // Detection within about 3 s (heartbeat timeout 2.5 s, a health pass every 0.5 s), then the move
  // (docs/ha.md, "SINGLE: host death"); the budget is 5 s.
  sluice: { leadMs: 500, tailMs: 5000 },
};
type Topology = 'SINGLE' | 'ACTIVE_STANDBY';

/** Why the benchmark cannot run here, or false. */
export function failoverSkipReason(): string | false {
  const netns = netnsSkipReason();
  if (netns) return netns;
  if (!keepalivedAvailable()) return 'keepalived is not installed (the anchors need it)';
  try {
    execFileSync('arping', ['-V'], { stdio: 'ignore', timeout: 5000 });
  } catch {
    return 'arping (iputils-arping) is missing: agents announce VIPs with it';
  }
  return false;
}

async function anchorRow(lab: Lab, kind: AnchorKind, label: string): Promise<GapRow> {
  const anchor = await startAnchor(lab, kind, `${lab.topology.net}.${ANCHOR_VIP_HOST}`);
  const results: KillResult[] = [];
  try {
    for (let k = 0; k < KILLS; k += 1) {
      const master = await anchor.holder();
      results.push(await killUnderLoad(lab, anchor.url, master, TIMING[kind]));
      await anchor.startHost(master);
    }
  } finally {
    await anchor.stop();
  }
  return { label, results };
}

/**
 * Waits until the load balancer is ACTIVE, exactly one host holds its VIP, and (ACTIVE_STANDBY) its MASTER and
 * BACKUP are on two different live agents; returns the host holding the VIP.
 */
async function serving(lab: Lab, lb: LabLoadBalancer, topology: Topology): Promise<string> {
  const liveAgents = new Set(
    [...lab.agents.values()]
      .filter((a) => a.process && a.process.child.exitCode === null && a.process.child.signalCode === null)
      .map((a) => a.id),
  );
  return until(`${lb.id} serving`, 20_000, async () => {
    const got = await lab.api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`);
    if ((got.body.loadbalancer as { provisioning_status: string }).provisioning_status !== 'ACTIVE')
      return undefined;
    if (topology === 'ACTIVE_STANDBY') {
      const listed = await lab.api.call('GET', `/v2/octavia/amphorae?loadbalancer_id=${lb.id}`);
      const amphorae = listed.body.amphorae as { role: string; compute_id: string | null }[];
      const on = (role: string) => amphorae.find((a) => a.role === role)?.compute_id ?? '';
      if (!liveAgents.has(on('MASTER')) || !liveAgents.has(on('BACKUP')) || on('MASTER') === on('BACKUP'))
        return undefined;
    }
    const hosts = await lab.hostsHolding(lb.vip);
    return hosts.length === 1 ? hosts[0] : undefined;
  });
}

async function sluiceRow(lab: Lab, provider: string, topology: Topology): Promise<GapRow> {
  const extra =
    topology === 'ACTIVE_STANDBY' ? { flavor_id: await activeStandbyFlavor(lab, provider) } : { provider };
  const lb = await createHttpLoadBalancer(lab, { extra });
  const results: KillResult[] = [];
  for (let k = 0; k < KILLS; k += 1) {
    const host = await serving(lab, lb, topology);
    results.push(await killUnderLoad(lab, lb.url, host, TIMING.sluice));
    // The killed host comes back as after a reboot (its kernel forgets the VIP) and its agent starts again.
    await forgetAddresses(lab.topology.host(host));
    await lab.startAgent(host);
  }
  await lab.api.call('DELETE', `/v2/lbaas/loadbalancers/${lb.id}?cascade=true`);
  await until(`${lb.id} deleted`, 20_000, async () => {
    const got = await lab.api.call('GET', `/v2/lbaas/loadbalancers/${lb.id}`);
    const status = (got.body.loadbalancer as { provisioning_status?: string } | undefined)
      ?.provisioning_status;
    return got.status === 404 || status === 'DELETED' ? true : undefined;
  });
  const label =
    topology === 'SINGLE'
      ? `${provider} SINGLE (controller moves it)`
      : `${provider} ACTIVE_STANDBY (keepalived moves the VIP)`;
  return { label, results };
}

/** Measures every row in one lab; the anchors first, before any agent runs on lb1 and lb2. */
export async function measureFailoverGaps(): Promise<GapRow[]> {
  const lab = await startLab();
  try {
    const rows = [
      await anchorRow(lab, 'floor', 'anchor: keepalived floor (VRRPv3, 0.1 s)'),
      await anchorRow(lab, 'octavia', 'anchor: Octavia defaults (1 s, 100/90)'),
    ];
    await lab.startAgent('lb1');
    await lab.startAgent('lb2');
    const providers = ['native', ...(haproxyAvailable() ? ['haproxy'] : [])];
    for (const provider of providers)
      for (const topology of ['SINGLE', 'ACTIVE_STANDBY'] as const)
        rows.push(await sluiceRow(lab, provider, topology));
    return rows;
  } finally {
    await lab.close();
  }
}

/** Measures and prints the table, or prints why it cannot run here. */
export async function failoverGap(): Promise<void> {
  const skip = failoverSkipReason();
  if (skip) {
    console.log(`\nfailover gap: skipped (${skip})`);
    return;
  }
  const started = Date.now();
  const rows = await measureFailoverGaps();
  const [floor, octavia] = rows;
  console.log(
    `\nfailover gap: kill -9 of every process on the host holding the VIP, under load from the lab's client host (a new connection every 20 ms, each ≤ ${TIMEOUT_MS / 1000} s); ${KILLS} kills per row, all rows from this run (${((Date.now() - started) / 1000).toFixed(0)} s)`,
  );
  console.log(failoverTable(rows, floor, octavia));
  console.log(
    'anchors: two plain keepalived processes on lb1/lb2 holding one VIP, an HTTP responder on each host answering on 0.0.0.0:80; the killed host comes back (VIP forgotten, as after a reboot) before the next kill',
  );
  console.log(
    "a BACKUP takes over one Master_Down_Interval after the last advert it heard (floor ≈ 0.36 s, Octavia ≈ 3.65 s), and a kill falls anywhere in an advert interval: the anchors' gaps lie up to one advert below that",
  );
}

if (import.meta.main) await failoverGap();
