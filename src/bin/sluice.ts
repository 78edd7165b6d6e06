// Entry point of the `sluice` command: parses the command line and hands over to the wired subcommands, each
// loaded only when it runs (a native worker or an agent does not load the API server's modules).
import { Command } from 'commander';
import { HEALTH_LISTEN_OPTION } from '../agent/health-listen-option.ts';
import { SERVER_URLS_OPTION } from '../agent/server-urls.ts';
import { registerCliCommands } from '../cli/cli-commands.ts';
import type { ConfigFlags } from '../config/config.ts';
import { AGENT_DATA_PLANE_OPTIONS, SERVER_OPTIONS, type ServerRole } from '../config/server-options.ts';
import type { AgentFlags } from './agent.ts';

const program = new Command();
program
  .name('sluice')
  .description('Load balancing as a service, speaking the OpenStack Octavia and Neutron APIs.');

/** A control-plane command with the options of its role (server-options.ts), loaded only when it runs. */
function serverCommand(role: ServerRole, description: string, run: (flags: ConfigFlags) => Promise<void>) {
  const command = program.command(role).description(description);
  for (const option of Object.values(SERVER_OPTIONS)) {
    if ((option.roles as readonly ServerRole[]).includes(role)) command.option(option.flag, option.help);
  }
  command.action(run);
}

serverCommand(
  'serve',
  'Run the all-in-one Sluice service (API, controller and a local agent) with a SQLite or PostgreSQL store.',
  async (flags) => (await import('./serve.ts')).runServe(flags),
);
serverCommand(
  'api',
  'Run one API replica (stateless; any number of them share one PostgreSQL store; docs/three-hosts.md).',
  async (flags) => (await import('./api.ts')).runApi(flags),
);
serverCommand(
  'controller',
  'Run a controller (scheduler, provisioner, status aggregation, health manager, housekeeping); with PostgreSQL any number run and one leads.',
  async (flags) => (await import('./controller.ts')).runController(flags),
);

const collect = (value: string, previous: string[] = []) => [...previous, value];
program
  .command('agent')
  .description('Run an agent: serve the load balancers the server binds to this host on its data planes.')
  .option(SERVER_URLS_OPTION.flag, SERVER_URLS_OPTION.help, collect)
  .option('--token <token>', "this agent's token, from POST /agent/v1/agents (env SLUICE_AGENT_TOKEN)")
  .option('--availability-zone <az>', 'the availability zone this host is in (env SLUICE_AVAILABILITY_ZONE)')
  .option(
    '--interface-mapping <physnet:iface>',
    'host interface carrying a physical network (repeatable)',
    collect,
  )
  .option('--data-dir <dir>', 'state directory for data planes that need files')
  .option('--log-level <level>', 'pino log level (env SLUICE_LOG_LEVEL, default info)')
  .option(AGENT_DATA_PLANE_OPTIONS.nativeWorkers.flag, AGENT_DATA_PLANE_OPTIONS.nativeWorkers.help)
  .option(AGENT_DATA_PLANE_OPTIONS.vrrp.flag, AGENT_DATA_PLANE_OPTIONS.vrrp.help)
  .option(AGENT_DATA_PLANE_OPTIONS.connectionLogging.flag, AGENT_DATA_PLANE_OPTIONS.connectionLogging.help)
  .option(HEALTH_LISTEN_OPTION.flag, HEALTH_LISTEN_OPTION.help)
  .action(async (flags: AgentFlags) => (await import('./agent.ts')).runAgent(flags));

program
  .command('vrrp-check')
  .description(
    "keepalived's host check: exit 0 while the agent's data planes under --data-dir run, else 1 saying why",
  )
  .option('--data-dir <dir>', "the agent's state directory")
  .action(async (flags: { dataDir?: string }) => (await import('./vrrp-check.ts')).runVrrpCheck(flags));

program
  .command('native-worker', { hidden: true })
  .option('--socket <path>', 'the UNIX socket its agent talks to it on')
  .option('--pid-file <path>', 'where it writes its pid')
  .option(
    '--no-connection-logging',
    'write no access log lines (the agent passes its --connection-logging off)',
  )
  .action(async (flags: { socket?: string; pidFile?: string; connectionLogging?: boolean }) =>
    (await import('./native-worker.ts')).runNativeWorker(flags),
  );

const db = program.command('db').description('Database maintenance.');
db.command('upgrade')
  .description('Apply pending schema migrations and exit.')
  .option('--data-dir <dir>', 'state directory (env SLUICE_DATA_DIR)')
  .option('--database-url <url>', 'database URL (env SLUICE_DATABASE_URL)')
  .action(async (flags) => (await import('./db-upgrade.ts')).runDbUpgrade(flags));

// The operator CLI (lb, listener, pool, member, healthmonitor, l7policy, l7rule, status, apply, export): an
// HTTP client of the APIs above, its code loaded only when one of its commands runs.
registerCliCommands(program);

await program.parseAsync(process.argv);
