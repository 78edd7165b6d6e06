// `sluice agent`: one agent process. Wires the data-plane providers this host can run, VIP plumbing for its
// interface mappings, and the agent runner talking to the server; exits cleanly on SIGINT/SIGTERM, and when
// started by `sluice serve` (IPC channel), also when its parent goes away.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import { AgentClient } from '../agent/agent-client.ts';
import { AgentRunner } from '../agent/agent-runner.ts';
import { Reconciler } from '../agent/reconciler.ts';
import { parseInterfaceMappings, VipPlumbing } from '../agent/vip-plumbing.ts';
import { parseNativeWorkers } from '../config/config.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import { haproxyAvailable } from '../providers/haproxy/haproxy-available.ts';
import { HaproxyProvider } from '../providers/haproxy/haproxy-provider.ts';
import { createHealthTracker } from '../providers/native/health/health-tracker.ts';
import { NativeProvider } from '../providers/native/native-provider.ts';
import { NativeWorkerPool } from '../providers/native/workers/native-worker-pool.ts';
import { NoopProvider } from '../providers/noop/noop-provider.ts';
import { SLUICE_BIN } from './sluice-bin.ts';

const STOP_GRACE_MS = 5000;

export type AgentFlags = Partial<{
  server: string;
  token: string;
  availabilityZone: string;
  interfaceMapping: string[];
  dataDir: string;
  logLevel: string;
  nativeWorkers: string;
}>;

export async function runAgent(flags: AgentFlags): Promise<void> {
  const server = flags.server ?? process.env.SLUICE_SERVER;
  const token = flags.token ?? process.env.SLUICE_AGENT_TOKEN;
  if (!server || !token)
    throw new Error('sluice agent needs --server URL and --token T (or SLUICE_AGENT_TOKEN)');
  const logger = pino({
    level: flags.logLevel ?? process.env.SLUICE_LOG_LEVEL ?? 'info',
    base: { service: 'sluice-agent' },
  });
  const drivers = new Map<string, ProviderDriver>([
    [
      'native',
      nativeDriver(parseNativeWorkers(flags.nativeWorkers ?? process.env.SLUICE_NATIVE_WORKERS), logger),
    ],
    ['noop', new NoopProvider()],
  ]);
  // The haproxy provider only where its binary runs: the agent advertises what this host can serve.
  const dataDir = path.resolve(flags.dataDir ?? process.env.SLUICE_DATA_DIR ?? './sluice-agent');
  if (haproxyAvailable()) {
    drivers.set('haproxy', new HaproxyProvider({ runDir: path.join(dataDir, 'haproxy'), logger }));
  }
  const plumbing = new VipPlumbing(parseInterfaceMappings(flags.interfaceMapping ?? []));
  const reconciler = new Reconciler(drivers, plumbing, logger);
  const runner = new AgentRunner({
    client: new AgentClient(server, token),
    reconciler,
    logger,
    registration: {
      host: os.hostname(),
      pid: process.pid,
      epoch: randomUUID(),
      availabilityZone: flags.availabilityZone ?? process.env.SLUICE_AVAILABILITY_ZONE ?? null,
      providers: [...drivers.keys()],
    },
  });
  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${why}: stopping the agent`);
    // Data planes drain open connections when they close; the exit must not wait on a client forever.
    const bound = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([runner.stop(), bound]);
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Started by `sluice serve`: its death closes the IPC channel, and an orphaned agent must not keep VIPs.
  // (It may have gone while this process was still loading: then the channel is already closed.)
  if (process.send) {
    if (!process.connected) return shutdown('parent went away');
    process.once('disconnect', () => void shutdown('parent went away'));
  }
  await runner.start();
}

/** One worker: the native data plane runs in this process. More: each in a process of its own. */
function nativeDriver(workers: number, logger: Logger): ProviderDriver {
  if (workers === 1) return new NativeProvider({ healthFactory: (pools) => createHealthTracker(pools) });
  logger.info({ workers }, 'native data plane in worker processes');
  return new NativeWorkerPool({
    workers,
    spawn: () =>
      spawn(process.execPath, [SLUICE_BIN, 'native-worker'], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    log: (message) => logger.warn(message),
  });
}
