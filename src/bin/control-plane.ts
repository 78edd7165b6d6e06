// What `sluice serve`, `sluice api` and `sluice controller` share: the store opened (migrations under
// Kysely's lock), first-start state made by one process at a time (store-lock.ts), the secret store, the
// change feed, the providers, and the controller loops run while this process leads (several controllers on
// one PostgreSQL: one leads, leader-campaign.ts; on SQLite one process owns the store and always leads).
import type { Logger } from 'pino';
import type { SluiceConfig } from '../config/config.ts';
import { HealthManager } from '../controller/health-manager.ts';
import { Housekeeping } from '../controller/housekeeping.ts';
import { Provisioner } from '../controller/provisioner.ts';
import { StatusAggregator } from '../controller/status-aggregator.ts';
import type { BootstrapResult } from '../identity/bootstrap.ts';
import { IdentityService } from '../identity/identity-service.ts';
import { providerAliases } from '../model/provider-aliases.ts';
import type { ProviderDriver, ProviderInfo } from '../model/provider-driver.ts';
import { haproxyAvailable } from '../providers/haproxy/haproxy-available.ts';
import { haproxyProviderInfo } from '../providers/haproxy/haproxy-provider-info.ts';
import { nativeProviderInfo } from '../providers/native/native-provider.ts';
import { NoopProvider } from '../providers/noop/noop-provider.ts';
import { ChangeFeed } from '../store/change-feed.ts';
import { dialectOf, openStore, type Store } from '../store/database.ts';
import { campaign } from '../store/leadership/leader-campaign.ts';
import { withStoreLock } from '../store/leadership/store-lock.ts';
import { startChangeRelay } from '../store/pg-change-relay.ts';
import { ensurePrivateDir } from '../store/private-files.ts';
import { backfillListenerCertificates } from '../store/repositories/listener-certificate-backfill.ts';
import { ensurePublicNetwork } from '../store/repositories/network-repository.ts';
import { storeSecretReaders } from '../store/repositories/secret-readers.ts';
import type { SecretCipher } from '../store/secret-cipher.ts';
import { openSecretCipher } from '../store/secret-store-key.ts';
import type { SecretReaders } from '../tls/secret-reader.ts';
import { createLogger } from './human-log.ts';

export type ControlPlane = Readonly<{
  config: SluiceConfig;
  logger: Logger;
  store: Store;
  identity: IdentityService;
  boot: BootstrapResult;
  secretCipher: SecretCipher;
  secrets: SecretReaders;
  changes: ChangeFeed;
  /** providers applied in the controller's process (noop); the others run on agents */
  localDrivers: ReadonlyMap<string, ProviderDriver>;
  /** what the API offers */
  providers: readonly ProviderInfo[];
  /** stops carrying changes between processes, closes the store */
  close(): Promise<void>;
}>;

/**
 * `sluice api` and `sluice controller` share one PostgreSQL store; on SQLite one process owns the store, so
 * only `sluice serve` runs there.
 */
export function requireSharedStore(config: SluiceConfig, command: string): void {
  if (dialectOf(config.databaseUrl) !== 'postgres') {
    throw new Error(
      `sluice ${command} runs beside other processes on one PostgreSQL store (--database-url postgres://…); with SQLite run sluice serve`,
    );
  }
}

export async function openControlPlane(config: SluiceConfig, service: string): Promise<ControlPlane> {
  const logger = createLogger({ level: config.logLevel, base: { service } });
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
  // Processes starting together on one PostgreSQL would each make the admin, the public network and the
  // secret store's key check: one at a time, the later ones find them made.
  const { boot, secretCipher } = await withStoreLock(store, 'bootstrap', async () => {
    const boot = await identity.bootstrap();
    await ensurePublicNetwork(store.db, boot.adminProjectId);
    // One secret store cipher: the key-manager API seals with it, certificate refs are read through it.
    const secretCipher = await openSecretCipher(store.db, config.dataDir, config.secretStoreKey);
    await backfillListenerCertificates(store.db, storeSecretReaders(store.db, secretCipher));
    return { boot, secretCipher };
  });
  const secrets = storeSecretReaders(store.db, secretCipher);
  const changes = new ChangeFeed();
  // Several processes on one PostgreSQL: a change committed by one wakes the others' long-polls and
  // provisioner at once, not at their next poll.
  const relay =
    store.dialect === 'postgres'
      ? await startChangeRelay({ url: config.databaseUrl, feed: changes, logger })
      : undefined;
  const close = async () => {
    await relay?.close();
    for (const driver of localDrivers.values()) await driver.close?.();
    await store.close();
  };
  return {
    config,
    logger,
    store,
    identity,
    boot,
    secretCipher,
    secrets,
    changes,
    localDrivers,
    providers,
    close,
  };
}

/** The controller loops over `store`; stopping waits for the work in flight. */
function startControllerLoops(plane: ControlPlane, store: Store): { stop(): Promise<void> } {
  const { changes, localDrivers: drivers, logger, secrets, config } = plane;
  const provisioner = new Provisioner({ store, changes, drivers, logger, secrets });
  const aggregator = new StatusAggregator({ store, drivers, logger });
  const health = new HealthManager({
    store,
    changes,
    logger,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    intervalMs: config.heartbeatIntervalMs,
    localProviders: [...drivers.keys()],
  });
  const housekeeping = new Housekeeping({ store, logger });
  provisioner.start();
  aggregator.start();
  health.start();
  housekeeping.start();
  return {
    async stop() {
      await provisioner.stop();
      await aggregator.stop();
      await health.stop();
      housekeeping.stop();
    },
  };
}

/**
 * Runs the controller loops whenever this process leads. On SQLite it always does. On PostgreSQL it campaigns,
 * runs the loops through the leader's own session while it leads, and campaigns again when it loses.
 */
export function startController(plane: ControlPlane): { stop(): Promise<void> } {
  const { store, logger, config } = plane;
  if (store.dialect !== 'postgres') {
    logger.info('controller leading (the store is SQLite: one process)');
    return startControllerLoops(plane, store);
  }
  logger.info('controller started; campaigning for the lead');
  const abort = new AbortController();
  let resign: (() => Promise<void>) | undefined;
  const running = (async () => {
    while (!abort.signal.aborted) {
      const leadership = await campaign(
        { url: config.databaseUrl, name: 'controller', logger },
        abort.signal,
      ).catch(() => undefined);
      if (!leadership) return;
      // Stopped while the lock was being granted: give it up rather than lead with nobody to resign.
      if (abort.signal.aborted) return leadership.resign();
      logger.info({ pid: process.pid }, 'controller leading');
      resign = leadership.resign;
      const loops = startControllerLoops(plane, leadership.store);
      const reason = await leadership.lost;
      resign = undefined;
      await loops.stop();
      if (!abort.signal.aborted) logger.warn({ reason }, 'controller lost the lead; campaigning again');
    }
  })();
  return {
    async stop() {
      abort.abort();
      await resign?.();
      await running;
    },
  };
}
