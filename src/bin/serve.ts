// `sluice serve`: the all-in-one process. The API and the controller (control-plane.ts) in one process, and an
// agent as a supervised child process talking the real agent protocol over loopback (architecture §1, unless
// --agent none); shuts down cleanly on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { ChildSupervisor } from '../agent/agent-supervisor.ts';
import { type ConfigFlags, loadConfig, type SluiceConfig } from '../config/config.ts';
import type { Store } from '../store/database.ts';
import { ensureAgentWithToken } from '../store/repositories/agent-repository.ts';
import { startApi } from './api.ts';
import { openControlPlane, startController } from './control-plane.ts';
import { SLUICE_BIN } from './sluice-bin.ts';
import { onStopSignals } from './stop-signals.ts';

export async function runServe(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  const plane = await openControlPlane(config, 'sluice');
  const controller = startController(plane);
  const app = await startApi(plane);
  const { logger } = plane;
  const agent = config.agent === 'local' ? await startLocalAgent(config, plane.store, logger) : undefined;
  onStopSignals(logger, async () => {
    await agent?.stop();
    await app.close();
    await controller.stop();
    await plane.close();
  });
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
        SLUICE_CONNECTION_LOGGING: config.connectionLogging ? 'on' : 'off',
      },
    },
    logger.child({ component: 'agent-supervisor' }),
  );
  supervisor.start();
  return supervisor;
}
