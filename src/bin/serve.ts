// `sluice serve`: the all-in-one process. Wires the store, identity, providers, controller and API together,
// bootstraps first-start state, listens, and shuts down cleanly on SIGINT/SIGTERM.
import fs from 'node:fs';
import { pino } from 'pino';
import { buildApp } from '../api/app.js';
import { type ConfigFlags, loadConfig } from '../config/config.js';
import { Provisioner } from '../controller/provisioner.js';
import { StatusAggregator } from '../controller/status-aggregator.js';
import { IdentityService } from '../identity/identity-service.js';
import type { ProviderDriver } from '../model/provider-driver.js';
import { createHealthTracker } from '../providers/native/health/health-tracker.js';
import { NativeProvider } from '../providers/native/native-provider.js';
import { NoopProvider } from '../providers/noop/noop-provider.js';
import { ChangeFeed } from '../store/change-feed.js';
import { openStore } from '../store/database.js';
import { ensurePublicNetwork } from '../store/repositories/network-repository.js';

export async function runServe(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  const logger = pino({ level: config.logLevel, base: { service: 'sluice' } });
  const native = new NativeProvider({ healthFactory: (pools) => createHealthTracker(pools) });
  const drivers = new Map<string, ProviderDriver>([
    ['native', native],
    ['noop', new NoopProvider()],
  ]);
  if (!drivers.has(config.defaultProvider)) {
    throw new Error(
      `unknown provider '${config.defaultProvider}'; available: ${[...drivers.keys()].join(', ')}`,
    );
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config.databaseUrl);
  const identity = new IdentityService(store, config);
  const boot = await identity.bootstrap();
  await ensurePublicNetwork(store.db, boot.adminProjectId);

  const changes = new ChangeFeed();
  const provisioner = new Provisioner({ store, changes, drivers, logger });
  provisioner.start();
  const aggregator = new StatusAggregator({ store, drivers, logger });
  aggregator.start();
  const providers = [...drivers.values()].map((d) => d.info);
  const app = await buildApp({ store, config, identity, changes, providers }, logger);
  await app.listen({ host: config.listenHost, port: config.listenPort });

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
    await app.close();
    await provisioner.stop();
    await aggregator.stop();
    for (const driver of drivers.values()) await driver.close?.();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
