// Runs the real `openstack` client (Debian python3-openstackclient + python3-octaviaclient) as the admin of
// a running `sluice serve`, for end-to-end compatibility tests. Tests skip when the client is missing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The `openstack` command the tests run: SLUICE_TEST_OPENSTACK names another one (a newer
 * python-octaviaclient than Debian's, say), `openstack` otherwise.
 */
export const OPENSTACK_COMMAND = process.env.SLUICE_TEST_OPENSTACK || 'openstack';

export const openstackMissing: string | false = await run(OPENSTACK_COMMAND, ['--version']).then(
  () => false,
  () => 'the openstack client is not installed (apt-get install python3-octaviaclient)',
);

/** An OpenStack command-line client run as the admin: `cli(...args)` is its stdout, `cli.json` parses `-f json`. */
export type ClientCli = {
  (...args: string[]): Promise<string>;
  /** `-f json` output, parsed: loosely typed on purpose, tests read whatever shape each command prints */
  json(...args: string[]): Promise<ReturnType<typeof JSON.parse>>;
};

export type OpenStackCli = ClientCli;

/** Who a client logs in as: a user of the Default domain, scoped to one of its projects. */
export type CliUser = Readonly<{ user: string; project: string }>;
const ADMIN: CliUser = { user: 'admin', project: 'admin' };

/** The environment an OpenStack client needs to act as the admin (or `as`) of the server at `url` (Keystone v3). */
export function clientEnv(url: string, password: string, as: CliUser = ADMIN): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    OS_AUTH_URL: `${url}/v3`,
    OS_USERNAME: as.user,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: as.project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  };
}

/** `command` (openstack, neutron, …) as the admin (or `as`) of the server at `url`; a failure throws with its output. */
export function clientCli(
  command: string,
  url: string,
  password: string,
  timeoutMs: number,
  as: CliUser = ADMIN,
): ClientCli {
  const env = clientEnv(url, password, as);
  const cli = async (...args: string[]) => {
    try {
      return (await run(command, args, { env, timeout: timeoutMs })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
  cli.json = async (...args: string[]) => JSON.parse(await cli(...args, '-f', 'json'));
  return cli as ClientCli;
}

export function openstackCli(url: string, password: string, as: CliUser = ADMIN): OpenStackCli {
  return clientCli(OPENSTACK_COMMAND, url, password, 90_000, as);
}

/**
 * Runs a command line through `/bin/sh -c` in `cwd`, as the admin of the server at `url`: for documented
 * sequences typed as they are, `$(…)` and `< file` included (the Octavia cookbook). Returns its stdout; a
 * failure throws with its output.
 */
export function clientShell(url: string, password: string, cwd: string): (line: string) => Promise<string> {
  const env = { ...clientEnv(url, password), SLUICE_TEST_OPENSTACK: OPENSTACK_COMMAND };
  // The line says `openstack`; a shell function makes that the command SLUICE_TEST_OPENSTACK names.
  const prelude = OPENSTACK_COMMAND === 'openstack' ? '' : 'openstack() { "$SLUICE_TEST_OPENSTACK" "$@"; }; ';
  return async (line) => {
    try {
      return (await run('/bin/sh', ['-c', prelude + line], { env, cwd, timeout: 120_000 })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${line} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
}

/** Why `openstack <args…> --help` lacks `option` (the client predates it), or false when it has it. */
export async function openstackLacks(option: string, ...args: string[]): Promise<string | false> {
  if (openstackMissing) return openstackMissing;
  const help = await run(OPENSTACK_COMMAND, [...args, '--help']).then(
    (out) => out.stdout,
    () => '',
  );
  return help.includes(option)
    ? false
    : `${OPENSTACK_COMMAND} ${args.join(' ')} has no ${option} (Debian's python3-octaviaclient 3.1.0 predates it; ` +
        'set SLUICE_TEST_OPENSTACK to an openstack command whose python-octaviaclient is from 2025.1 or later)';
}
