// `sluice agent`: one agent process. Wires the data-plane providers this host can run, VIP plumbing for its
// interface mappings, keepalived for ACTIVE_STANDBY (`--vrrp`), and the agent runner talking to the server.
// SIGINT/SIGTERM stop keepalived, then the data planes; when started by `sluice serve` (IPC channel) and its
// parent dies, or when killed, it leaves keepalived and the data planes running, for the next agent on the
// data dir (one at a time: data-dir-lock.ts) to adopt (architecture §7).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { AgentClient } from '../agent/agent-client.ts';
import { startAgentHealthServer } from '../agent/agent-health-server.ts';
import { AgentRunner } from '../agent/agent-runner.ts';
import { lockDataDir } from '../agent/data-dir-lock.ts';
import { decideVrrp } from '../agent/decide-vrrp.ts';
import { HEALTH_LISTEN_OPTION } from '../agent/health-listen-option.ts';
import { vrrpAddresses } from '../agent/interface-addresses.ts';
import { LinkWatch } from '../agent/link-watch.ts';
import { enableNonlocalBind } from '../agent/nonlocal-bind.ts';
import { Reconciler, type VrrpKeeper } from '../agent/reconciler.ts';
import { parseServerUrls, SERVER_URLS_OPTION } from '../agent/server-urls.ts';
import { nftAvailable, VipFence } from '../agent/vip-fence.ts';
import { VipLedger } from '../agent/vip-ledger.ts';
import { parseInterfaceMappings, VipPlumbing } from '../agent/vip-plumbing.ts';
import { parseConnectionLogging, parseListen, parseNativeWorkers, parseVrrpMode } from '../config/config.ts';
import { AGENT_DATA_PLANE_OPTIONS } from '../config/server-options.ts';
import type { AgentRegistration, Assignment } from '../model/agent-protocol.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import { haproxyAvailable } from '../providers/haproxy/haproxy-available.ts';
import { HaproxyProvider } from '../providers/haproxy/haproxy-provider.ts';
import { checkDataPlane, forgetStoppedHaproxyMasters } from '../providers/keepalived/data-plane-check.ts';
import {
  DEFAULT_KEEPALIVED_BINARY,
  keepalivedAvailable,
} from '../providers/keepalived/keepalived-available.ts';
import { KeepalivedManager } from '../providers/keepalived/keepalived-manager.ts';
import { KeepalivedProcess, keepalivedPaths } from '../providers/keepalived/keepalived-process.ts';
import { NativeWorkerPool } from '../providers/native/workers/native-worker-pool.ts';
import { NoopProvider } from '../providers/noop/noop-provider.ts';
import { createLogger } from './human-log.ts';
import { SLUICE_BIN } from './sluice-bin.ts';

const STOP_GRACE_MS = 5000;
const EPOCH_FILE = 'epoch';
/** the VIP addresses this host's agents added (vip-ledger.ts) */
const VIP_LEDGER_FILE = 'vips.json';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The epoch names the data-plane instance whose counters the agent reports (the server keeps what an earlier
 * instance counted as a base when it changes). The data plane outlives the agent, so the epoch lives as long
 * as it does: kept in the data dir, reused by an agent that adopts, renewed after a clean stop.
 */
function dataPlaneEpoch(dataDir: string): string {
  const file = path.join(dataDir, EPOCH_FILE);
  const kept = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  if (UUID.test(kept)) return kept;
  const epoch = randomUUID();
  fs.writeFileSync(file, `${epoch}\n`, { mode: 0o600 });
  return epoch;
}

export type AgentFlags = Partial<{
  /** each a comma-separated list of API replicas' base URLs (server-urls.ts) */
  server: string[];
  token: string;
  availabilityZone: string;
  interfaceMapping: string[];
  dataDir: string;
  logLevel: string;
  nativeWorkers: string;
  vrrp: string;
  connectionLogging: string;
  healthListen: string;
}>;

export async function runAgent(flags: AgentFlags): Promise<void> {
  const servers = parseServerUrls(flags.server, process.env[SERVER_URLS_OPTION.env]);
  const token = flags.token ?? process.env.SLUICE_AGENT_TOKEN;
  if (servers.length === 0 || !token)
    throw new Error('sluice agent needs --server URL and --token T (or SLUICE_AGENT_TOKEN)');
  const logger = createLogger({
    level: flags.logLevel ?? process.env.SLUICE_LOG_LEVEL ?? 'info',
    base: { service: 'sluice-agent' },
  });
  const dataDir = path.resolve(flags.dataDir ?? process.env.SLUICE_DATA_DIR ?? './sluice-agent');
  // Before anything adopts a data plane: an earlier agent on this data dir may still be exiting.
  const lock = await lockDataDir(dataDir);
  process.once('exit', () => lock.release());
  const workers = parseNativeWorkers(flags.nativeWorkers ?? process.env.SLUICE_NATIVE_WORKERS);
  const connectionLogging = parseConnectionLogging(
    flags.connectionLogging ?? process.env[AGENT_DATA_PLANE_OPTIONS.connectionLogging.env],
  );
  logger.info({ workers }, 'native data plane in worker processes');
  const native = new NativeWorkerPool({
    workers,
    dir: path.join(dataDir, 'native'),
    command: [
      process.execPath,
      SLUICE_BIN,
      'native-worker',
      ...(connectionLogging ? [] : ['--no-connection-logging']),
    ],
    log: (message) => logger.warn(message),
  });
  const drivers = new Map<string, ProviderDriver>([
    ['native', native],
    ['noop', new NoopProvider()],
  ]);
  // The haproxy provider only where its binary runs: the agent advertises what this host can serve.
  const haproxy = haproxyAvailable()
    ? new HaproxyProvider({ runDir: path.join(dataDir, 'haproxy'), logger, connectionLogging })
    : undefined;
  if (haproxy) drivers.set('haproxy', haproxy);
  const mappings = parseInterfaceMappings(flags.interfaceMapping ?? []);
  const vrrp = await startVrrp(flags, mappings, dataDir, logger);
  const plumbing = new VipPlumbing(
    mappings,
    undefined,
    undefined,
    undefined,
    new VipLedger(path.join(dataDir, VIP_LEDGER_FILE)),
    (error) => logger.warn(error.message),
  );
  const reconciler = new SettlingReconciler(
    drivers,
    plumbing,
    logger,
    async () => {
      await native.settle();
      await haproxy?.settle();
    },
    vrrp?.keeper ?? null,
    vrrp?.fence ?? null,
  );
  const runner = new AgentRunner({
    client: new AgentClient(servers, token, {
      onMove: (from, to, reason) => logger.warn({ from, to, reason }, 'API replica not answering: moving on'),
    }),
    reconciler,
    logger,
    registration: {
      host: os.hostname(),
      pid: process.pid,
      epoch: dataPlaneEpoch(dataDir),
      availabilityZone: flags.availabilityZone ?? process.env.SLUICE_AVAILABILITY_ZONE ?? null,
      providers: [...drivers.keys()],
      ...(vrrp && { vrrp: vrrp.registration }),
    },
  });
  // A mapped interface without link: its VIPs are withdrawn; back, they wait for a set asked for after its return.
  const links = new LinkWatch({
    interfaces: [...new Set(mappings.values())],
    onChange: (iface, up) => {
      if (up) {
        logger.info({ iface }, 'link is back: asking the server before answering for its VIPs again');
        reconciler.linkUp(iface);
        runner.refresh();
        return;
      }
      logger.warn({ iface }, 'link is down: withdrawing the VIPs plumbed on it');
      reconciler
        .linkDown(iface)
        .catch((error: Error) => logger.warn({ err: error, iface }, 'withdrawing VIPs failed'));
    },
  });
  let stopping = false;
  // A clean stop ends keepalived first (the reconciler's close), so the peer takes the VIPs at once; an exit
  // without one (orphaned, kill -9) leaves keepalived holding them for the next agent to adopt.
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${why}: stopping the agent`);
    links.stop();
    // Data planes drain open connections when they close; the exit must not wait on a client forever.
    const bound = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([runner.stop(), bound]);
    // The data planes are stopped: the next agent starts new ones, whose counters start at zero.
    fs.rmSync(path.join(dataDir, EPOCH_FILE), { force: true });
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Started by `sluice serve`: its death closes the IPC channel. This agent exits at once and leaves the data
  // planes (native workers, HAProxy) serving; the restarted serve's agent adopts them. (Its parent may have
  // gone while this process was still loading: then the channel is already closed.)
  const orphaned = () => {
    logger.warn('parent went away: exiting, keepalived and the data planes serve on for the next agent');
    process.exit(0);
  };
  if (process.send) {
    if (!process.connected) return orphaned();
    process.once('disconnect', orphaned);
  }
  links.start();
  const healthListen = flags.healthListen ?? process.env[HEALTH_LISTEN_OPTION.env];
  if (healthListen) {
    const listen = parseListen(healthListen);
    await startAgentHealthServer(listen, {
      checkDataPlanes: () => checkDataPlane(dataDir),
      unready: () => runner.unready(),
    });
    logger.info(`agent health on http://${healthListen}/healthz and /readyz`);
  }
  await runner.start();
}

/** keepalived's router_id: the host name cut down to what keepalived-words.ts plainId lets through. */
const hostId = () =>
  os
    .hostname()
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]/, 'h')
    .slice(0, 64) || 'host';

/**
 * `--vrrp`: when keepalived is to run, non-local binds are enabled (listeners bind VIPs keepalived has not added
 * yet: hot BACKUPs), the addresses to register are read, and the manager adopts a keepalived an earlier agent
 * left running. When it is not, a keepalived an earlier agent left on this data dir is stopped.
 */
async function startVrrp(
  flags: AgentFlags,
  mappings: ReadonlyMap<string, string>,
  dataDir: string,
  logger: Logger,
): Promise<
  | { keeper: VrrpKeeper; registration: NonNullable<AgentRegistration['vrrp']>; fence: VipFence | null }
  | undefined
> {
  const mode = parseVrrpMode(flags.vrrp ?? process.env.SLUICE_VRRP);
  const binary = DEFAULT_KEEPALIVED_BINARY;
  const on = decideVrrp(mode, {
    keepalived: mode !== 'off' && keepalivedAvailable(binary),
    root: process.getuid?.() === 0,
    mappings: mappings.size,
  });
  if (!on) {
    const leftover = new KeepalivedProcess(dataDir, { binary });
    if (fs.existsSync(keepalivedPaths(dataDir).pidFile) && leftover.adopt()) {
      logger.warn('keepalived is off (--vrrp): stopping the keepalived an earlier agent left running');
      await leftover.stop();
    }
    return undefined;
  }
  enableNonlocalBind();
  for (const file of forgetStoppedHaproxyMasters(dataDir))
    logger.info(`removed ${file}: its haproxy no longer runs (keepalived's check would fail on it)`);
  const addresses = await vrrpAddresses(mappings);
  const keeper = new KeepalivedManager({
    dataDir,
    binary,
    hostId: hostId(),
    mappings,
    checkCommand: [process.execPath, SLUICE_BIN, 'vrrp-check', '--data-dir', dataDir],
  });
  logger.info(
    { addresses, adopted: keeper.adopted },
    'keepalived holds the VIPs of ACTIVE_STANDBY load balancers',
  );
  const fence = (await nftAvailable()) ? new VipFence() : null;
  if (!fence)
    logger.warn(
      "nft (nftables) is missing: if this host's processes die, its kernel refuses connections to the VIPs it still holds until the peer takes them",
    );
  return { keeper, registration: { addresses }, fence };
}

/**
 * After its first full desired set is applied, the data planes adopted from an earlier agent drop what is
 * no longer desired (deleted or moved while no agent ran), and so do the VIP addresses an earlier agent added
 * (its ledger); later sets are handled by the reconciler itself. A clean stop removes those addresses too.
 */
class SettlingReconciler extends Reconciler {
  readonly #plumbing: VipPlumbing;
  readonly #fence: VipFence | null;
  readonly #logger: Logger;
  #settle: (() => Promise<void>) | undefined;

  constructor(
    drivers: ReadonlyMap<string, ProviderDriver>,
    plumbing: VipPlumbing,
    logger: Logger,
    settle: () => Promise<void>,
    keeper: VrrpKeeper | null,
    fence: VipFence | null,
  ) {
    super(drivers, plumbing, logger, keeper);
    this.#plumbing = plumbing;
    this.#settle = settle;
    this.#fence = fence;
    this.#logger = logger;
  }

  override async converge(assignments: readonly Assignment[], removals: readonly string[]) {
    const results = await super.converge(assignments, removals);
    // Every VIP this host serves is fenced (vip-fence.ts): after a kill -9 of its processes, clients' SYNs
    // to it go unanswered rather than refused until the peer's keepalived takes it.
    await this.#fence
      ?.sync(
        assignments.flatMap(({ desired: { vip } }) => [vip.address, ...vip.additional.map((a) => a.address)]),
      )
      .catch((error: Error) => this.#logger.warn({ err: error }, 'VIP fence update failed'));
    const settle = this.#settle;
    this.#settle = undefined;
    if (settle) {
      await this.#plumbing.releaseOthers(new Set(assignments.map((a) => a.desired.id)));
      await settle();
    }
    return results;
  }

  override async close(): Promise<void> {
    await super.close();
    await this.#fence
      ?.clear()
      .catch((error: Error) => this.#logger.warn({ err: error }, 'VIP fence removal failed'));
    // Inherited addresses of load balancers never applied by this process (stopped before its first set).
    await this.#plumbing.releaseOthers(new Set());
  }
}
