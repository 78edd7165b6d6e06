// `sluice serve`: the all-in-one process. Wires the store, identity, controller and API together, bootstraps
// first-start state, listens, runs an agent as a supervised child process talking the real agent protocol over
// loopback (architecture §1, unless --agent none), and shuts down cleanly on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { type Logger, pino } from 'pino';
import { ChildSupervisor } from '../agent/agent-supervisor.ts';
import { buildApp } from '../api/app.ts';
import { type ConfigFlags, loadConfig, type SluiceConfig } from '../config/config.ts';
import { HealthManager } from '../controller/health-manager.ts';
import { Housekeeping } from '../controller/housekeeping.ts';
import { Provisioner } from '../controller/provisioner.ts';
import { StatusAggregator } from '../controller/status-aggregator.ts';
import { IdentityService } from '../identity/identity-service.ts';
import { providerAliases } from '../model/provider-aliases.ts';
import type { ProviderDriver } from '../model/provider-driver.ts';
import { haproxyAvailable } from '../providers/haproxy/haproxy-available.ts';
import { haproxyProviderInfo } from '../providers/haproxy/haproxy-provider-info.ts';
import { nativeProviderInfo } from '../providers/native/native-provider.ts';
import { NoopProvider } from '../providers/noop/noop-provider.ts';
import { ChangeFeed } from '../store/change-feed.ts';
import { openStore, type Store } from '../store/database.ts';
import { ensurePrivateDir } from '../store/private-files.ts';
import { ensureAgentWithToken } from '../store/repositories/agent-repository.ts';
import { backfillListenerCertificates } from '../store/repositories/listener-certificate-backfill.ts';
import { ensurePublicNetwork } from '../store/repositories/network-repository.ts';
import { storeSecretReaders } from '../store/repositories/secret-readers.ts';
import { openSecretCipher } from '../store/secret-store-key.ts';
import { SLUICE_BIN } from './sluice-bin.ts';

export async function runServe(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  const logger = pino({ level: config.logLevel, base: { service: 'sluice' } });
  // Providers applied in this process need no host (noop); the others run on agents.
  const localDrivers = new Map<string, ProviderDriver>([['noop', new NoopProvider()]]);
  // The API offers haproxy when this host can run it (an all-in-one agent here then advertises it too).
  const providers = [
    nativeProviderInfo,
    ...(haproxyAvailable() ? [haproxyProviderInfo] : []),
    ...[...localDrivers.values()].map((d) => d.info),
  ];
  for (const wanted of [config.defaultProvider, config.amphoraProvider]) {
    if (!providers.some((p) => p.name === wanted)) {
      throw new Error(`unknown provider '${wanted}'; available: ${providers.map((p) => p.name).join(', ')}`);
    }
  }
  // `amphora` and `octavia` name the provider the operator chose (docs/providers.md).
  const target = providers.find((p) => p.name === config.amphoraProvider);
  if (target) providers.push(...providerAliases(target));
  ensurePrivateDir(config.dataDir);
  const store = await openStore(config.databaseUrl);
  const identity = new IdentityService(store, config);
  const boot = await identity.bootstrap();
  await ensurePublicNetwork(store.db, boot.adminProjectId);

  // One secret store cipher: the key-manager API seals with it, certificate refs are read through it.
  const secretCipher = await openSecretCipher(store.db, config.dataDir, config.secretStoreKey);
  const secrets = storeSecretReaders(store.db, secretCipher);
  await backfillListenerCertificates(store.db, secrets);
  const changes = new ChangeFeed();
  const provisioner = new Provisioner({ store, changes, drivers: localDrivers, logger, secrets });
  provisioner.start();
  const aggregator = new StatusAggregator({ store, drivers: localDrivers, logger });
  aggregator.start();
  const health = new HealthManager({
    store,
    changes,
    logger,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    intervalMs: config.heartbeatIntervalMs,
    localProviders: [...localDrivers.keys()],
  });
  health.start();
  const housekeeping = new Housekeeping({ store, logger });
  housekeeping.start();
  const app = await buildApp({ store, config, identity, changes, providers, secrets, secretCipher }, logger);
  await app.listen({ host: config.listenHost, port: config.listenPort });
  const agent = config.agent === 'local' ? await startLocalAgent(config, store, logger) : undefined;

  const login = boot.openrcPath
    ? `source ${boot.openrcPath}`
    : 'user admin, project admin, password from SLUICE_ADMIN_PASSWORD';
  logger.info(
    `Sluice listening on ${config.publicUrl} (OS_AUTH_URL=${config.publicUrl}/v3); log in: ${login}; store ${store.dialect}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`received ${signal}, shutting down`);
    await agent?.stop();
    await app.close();
    await provisioner.stop();
    await aggregator.stop();
    await health.stop();
    housekeeping.stop();
    for (const driver of localDrivers.values()) await driver.close?.();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * The all-in-one agent: a child process on this host, registered under a stable name with a token made fresh
 * at every start (handed over in the environment, not on the command line where `ps` shows it).
 */
async function startLocalAgent(config: SluiceConfig, store: Store, logger: Logger): Promise<ChildSupervisor> {
  const token = randomBytes(32).toString('base64url');
  await ensureAgentWithToken(store.db, `local@${os.hostname()}`, token);
  const host = ['0.0.0.0', '::', ''].includes(config.listenHost) ? '127.0.0.1' : config.listenHost;
  const server = `http://${host.includes(':') ? `[${host}]` : host}:${config.listenPort}`;
  const supervisor = new ChildSupervisor(
    {
      name: 'agent',
      command: process.execPath,
      args: [SLUICE_BIN, 'agent', '--server', server, '--data-dir', path.join(config.dataDir, 'agent')],
      env: {
        ...process.env,
        SLUICE_AGENT_TOKEN: token,
        SLUICE_LOG_LEVEL: config.logLevel,
        SLUICE_NATIVE_WORKERS: String(config.nativeWorkers),
        SLUICE_VRRP: config.vrrp,
      },
    },
    logger.child({ component: 'agent-supervisor' }),
  );
  supervisor.start();
  return supervisor;
}
