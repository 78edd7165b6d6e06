// Entry point of the `sluice` command: parses the command line and hands over to the wired subcommands.
import { Command } from 'commander';
import { runDbUpgrade } from './db-upgrade.js';
import { runServe } from './serve.js';

const program = new Command();
program
  .name('sluice')
  .description('Load balancing as a service, speaking the OpenStack Octavia and Neutron APIs.');

program
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
    '--network-driver <driver>',
    'neutron (VIPs are ports on Sluice networks) or noop (ids accepted without lookup; env SLUICE_NETWORK_DRIVER)',
  )
  .option('--public-url <url>', 'base URL written into the service catalog (env SLUICE_PUBLIC_URL)')
  .option('--token-ttl <seconds>', 'lifetime of issued tokens (env SLUICE_TOKEN_TTL, default 3600)')
  .option('--log-level <level>', 'pino log level (env SLUICE_LOG_LEVEL, default info)')
  .action(runServe);

const db = program.command('db').description('Database maintenance.');
db.command('upgrade')
  .description('Apply pending schema migrations and exit.')
  .option('--data-dir <dir>', 'state directory (env SLUICE_DATA_DIR)')
  .option('--database-url <url>', 'database URL (env SLUICE_DATABASE_URL)')
  .action(runDbUpgrade);

await program.parseAsync(process.argv);
