// Entry point of the `sluice` command: parses the command line and hands over to the wired subcommands, each
// loaded only when it runs (a native worker or an agent does not load the API server's modules).
import { Command } from 'commander';
import { SERVER_URLS_OPTION } from '../agent/server-urls.ts';
import type { ConfigFlags } from '../config/config.ts';
import { MAX_REQUEST_BODY_SIZE_OPTION } from '../config/request-limit-options.ts';
import { TLS_POLICY_OPTIONS } from '../config/tls-policy-options.ts';
import type { AgentFlags } from './agent.ts';

const NATIVE_WORKERS_FLAG = '--native-workers <n>';
const NATIVE_WORKERS_HELP =
  "worker processes of the native data plane (they outlive the agent, which adopts them): 1 to 64, or 'auto' for one per CPU; each load balancer lives in one (env SLUICE_NATIVE_WORKERS, default 1)";

const VRRP_FLAG = '--vrrp <mode>';
const VRRP_HELP =
  'hold the VIPs of ACTIVE_STANDBY load balancers with keepalived (docs/ha.md): auto (when keepalived runs, the agent is root and an --interface-mapping is given), on (a missing one is a start error) or off (env SLUICE_VRRP, default auto)';

const program = new Command();
program
  .name('sluice')
  .description('Load balancing as a service, speaking the OpenStack Octavia and Neutron APIs.');

const serve = program
  .command('serve')
  .description('Run the all-in-one Sluice service (API and controller) with a SQLite or PostgreSQL store.')
  .option('--listen <host:port>', 'where the API listens (env SLUICE_LISTEN, default 127.0.0.1:9876)')
  .option('--data-dir <dir>', 'state directory (env SLUICE_DATA_DIR, default ./sluice-data)')
  .option(
    '--database-url <url>',
    'sqlite:<file> or postgres://… (env SLUICE_DATABASE_URL, default SQLite in the data dir)',
  )
  .option('--provider <name>', 'default provider for new load balancers (env SLUICE_PROVIDER)')
  .option(
    '--amphora-provider <name>',
    "the provider serving load balancers asked for as 'amphora' or 'octavia', Octavia's names (env SLUICE_AMPHORA_PROVIDER, default the default provider)",
  )
  .option(
    '--rbac <policy>',
    "Octavia RBAC policy: advanced (the load-balancer_* roles) or keystone-default (Keystone's reader/member/admin/service roles, Octavia's default since 2025.1; env SLUICE_RBAC, default advanced)",
  )
  .option(
    '--network-driver <driver>',
    'neutron (VIPs are ports on Sluice networks) or noop (ids accepted without lookup; env SLUICE_NETWORK_DRIVER)',
  )
  .option('--public-url <url>', 'base URL written into the service catalog (env SLUICE_PUBLIC_URL)')
  .option('--token-ttl <seconds>', 'lifetime of issued tokens (env SLUICE_TOKEN_TTL, default 3600)')
  .option('--log-level <level>', 'pino log level (env SLUICE_LOG_LEVEL, default info)')
  .option(
    '--agent <mode>',
    'local: run and supervise an agent child process; none: agents run elsewhere (env SLUICE_AGENT)',
  )
  .option(
    '--heartbeat-timeout <ms>',
    'silence after which an agent is DOWN and its load balancers move (env SLUICE_HEARTBEAT_TIMEOUT_MS, default 2500)',
  )
  .option(
    '--denylist-vip-networks <ids>',
    "comma-separated network ids no VIP may be on, Octavia's denylist_vip_networks (env SLUICE_DENYLIST_VIP_NETWORKS)",
  )
  .option(NATIVE_WORKERS_FLAG, `${NATIVE_WORKERS_HELP}, for the local agent`)
  .option(VRRP_FLAG, `${VRRP_HELP}, for the local agent`);
for (const { flag, help } of [...Object.values(TLS_POLICY_OPTIONS), MAX_REQUEST_BODY_SIZE_OPTION])
  serve.option(flag, help);
serve.action(async (flags: ConfigFlags) => (await import('./serve.ts')).runServe(flags));

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
  .option(NATIVE_WORKERS_FLAG, NATIVE_WORKERS_HELP)
  .option(VRRP_FLAG, VRRP_HELP)
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
  .action(async (flags: { socket?: string; pidFile?: string }) =>
    (await import('./native-worker.ts')).runNativeWorker(flags),
  );

const db = program.command('db').description('Database maintenance.');
db.command('upgrade')
  .description('Apply pending schema migrations and exit.')
  .option('--data-dir <dir>', 'state directory (env SLUICE_DATA_DIR)')
  .option('--database-url <url>', 'database URL (env SLUICE_DATABASE_URL)')
  .action(async (flags) => (await import('./db-upgrade.ts')).runDbUpgrade(flags));

await program.parseAsync(process.argv);
