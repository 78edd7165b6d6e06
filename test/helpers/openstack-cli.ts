// Runs the real `openstack` client (Debian python3-openstackclient + python3-octaviaclient) as the admin of
// a running `sluice serve`, for end-to-end compatibility tests. Tests skip when the client is missing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const openstackMissing: string | false = await run('openstack', ['--version']).then(
  () => false,
  () => 'the openstack client is not installed (apt-get install python3-octaviaclient)',
);

export type OpenStackCli = {
  (...args: string[]): Promise<string>;
  /** `-f json` output, parsed: loosely typed on purpose, tests read whatever shape each command prints */
  json(...args: string[]): Promise<ReturnType<typeof JSON.parse>>;
};

export function openstackCli(url: string, password: string): OpenStackCli {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    OS_AUTH_URL: `${url}/v3`,
    OS_USERNAME: 'admin',
    OS_PASSWORD: password,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  };
  const cli = async (...args: string[]) => {
    try {
      return (await run('openstack', args, { env, timeout: 90_000 })).stdout;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`openstack ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
    }
  };
  cli.json = async (...args: string[]) => JSON.parse(await cli(...args, '-f', 'json'));
  return cli as OpenStackCli;
}
