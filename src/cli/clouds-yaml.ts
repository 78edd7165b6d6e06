// Finds and reads clouds.yaml the way openstacksdk does (./clouds.yaml, ~/.config/openstack/clouds.yaml,
// /etc/openstack/clouds.yaml, first found wins; OS_CLIENT_CONFIG_FILE names one explicitly):
// https://docs.openstack.org/openstacksdk/latest/user/config/configuration.html#config-files
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CliError } from './cli-error.ts';

/** One cloud's entry: the `auth` block plus the region and interface, as clouds.yaml spells them. */
export type CloudEntry = {
  auth?: Record<string, unknown>;
  region_name?: string;
  interface?: string;
  [key: string]: unknown;
};

export function cloudsYamlCandidates(env: NodeJS.ProcessEnv, cwd = process.cwd()): string[] {
  if (env.OS_CLIENT_CONFIG_FILE) return [env.OS_CLIENT_CONFIG_FILE];
  const home = env.HOME ?? os.homedir();
  return [
    path.join(cwd, 'clouds.yaml'),
    path.join(home, '.config', 'openstack', 'clouds.yaml'),
    '/etc/openstack/clouds.yaml',
  ];
}

/** The entry for `cloud` in the first clouds.yaml found; a clear error when no file or no such cloud. */
export function readCloud(cloud: string, candidates: string[]): CloudEntry {
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file)
    throw new CliError(`OS_CLOUD=${cloud} but no clouds.yaml found (looked in ${candidates.join(', ')})`);
  let document: unknown;
  try {
    document = parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  const clouds = (document as { clouds?: Record<string, CloudEntry> } | null)?.clouds;
  const entry = clouds?.[cloud];
  if (!entry || typeof entry !== 'object') throw new CliError(`cloud '${cloud}' is not defined in ${file}`);
  return entry;
}
