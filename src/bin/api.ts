// `sluice api`: one stateless API replica. Any number share one PostgreSQL store (docs/three-hosts.md);
// agents list several of them (--server) and move on when one stops answering.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/app.ts';
import { type ConfigFlags, loadConfig } from '../config/config.ts';
import { type ControlPlane, openControlPlane, requireSharedStore } from './control-plane.ts';
import { onStopSignals } from './stop-signals.ts';

/** The API of `plane`, listening; logs how to log in. */
export async function startApi(plane: ControlPlane): Promise<FastifyInstance> {
  const { store, config, identity, changes, providers, secrets, secretCipher, logger, boot } = plane;
  const app = await buildApp({ store, config, identity, changes, providers, secrets, secretCipher }, logger);
  await app.listen({ host: config.listenHost, port: config.listenPort });
  const login = boot.openrcPath
    ? `source ${boot.openrcPath}`
    : 'user admin, project admin, password from SLUICE_ADMIN_PASSWORD';
  logger.info(
    `Sluice listening on ${config.publicUrl} (OS_AUTH_URL=${config.publicUrl}/v3); log in: ${login}; store ${store.dialect}`,
  );
  return app;
}

export async function runApi(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  requireSharedStore(config, 'api');
  const plane = await openControlPlane(config, 'sluice-api');
  const app = await startApi(plane);
  onStopSignals(plane.logger, async () => {
    await app.close();
    await plane.close();
  });
}
