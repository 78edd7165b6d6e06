// Resolves who the CLI logs in as: the OS_* variables of an openrc (admin-openrc from `sluice serve` is
// enough), or OS_CLOUD and its clouds.yaml entry, with OS_* variables overriding the file as in openstacksdk.
import { CliError } from './cli-error.ts';
import { cloudsYamlCandidates, readCloud } from './clouds-yaml.ts';

export type Credentials = {
  authUrl: string;
  username?: string;
  userId?: string;
  password: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  region?: string;
  interface: string;
};

const AUTH_KEYS = {
  auth_url: 'OS_AUTH_URL',
  username: 'OS_USERNAME',
  user_id: 'OS_USER_ID',
  password: 'OS_PASSWORD',
  project_name: 'OS_PROJECT_NAME',
  project_id: 'OS_PROJECT_ID',
  user_domain_name: 'OS_USER_DOMAIN_NAME',
  user_domain_id: 'OS_USER_DOMAIN_ID',
  project_domain_name: 'OS_PROJECT_DOMAIN_NAME',
  project_domain_id: 'OS_PROJECT_DOMAIN_ID',
} as const;

type AuthKey = keyof typeof AUTH_KEYS;

export function resolveCredentials(
  env: NodeJS.ProcessEnv,
  candidates = cloudsYamlCandidates(env),
): Credentials {
  const fromFile: Partial<Record<AuthKey | 'region_name' | 'interface', string>> = {};
  if (env.OS_CLOUD) {
    const cloud = readCloud(env.OS_CLOUD, candidates);
    for (const key of Object.keys(AUTH_KEYS) as AuthKey[]) {
      const value = cloud.auth?.[key];
      if (value !== undefined && value !== null) fromFile[key] = String(value);
    }
    if (cloud.region_name) fromFile.region_name = String(cloud.region_name);
    if (cloud.interface) fromFile.interface = String(cloud.interface);
  }
  const pick = (key: AuthKey) => env[AUTH_KEYS[key]] || fromFile[key] || undefined;
  const source = env.OS_CLOUD ? `OS_CLOUD=${env.OS_CLOUD}` : 'the environment';
  const authUrl = pick('auth_url');
  if (!authUrl)
    throw new CliError(
      `OS_AUTH_URL is not set (source an openrc such as sluice-data/admin-openrc, or set OS_CLOUD)`,
    );
  const password = pick('password');
  if (!password) throw new CliError(`OS_PASSWORD is not set in ${source}`);
  const username = pick('username');
  const userId = pick('user_id');
  if (!username && !userId) throw new CliError(`OS_USERNAME (or OS_USER_ID) is not set in ${source}`);
  const projectName = pick('project_name');
  const projectId = pick('project_id');
  if (!projectName && !projectId)
    throw new CliError(`OS_PROJECT_NAME (or OS_PROJECT_ID) is not set in ${source}`);
  return {
    authUrl,
    username,
    userId,
    password,
    projectName,
    projectId,
    userDomainName: pick('user_domain_name'),
    userDomainId: pick('user_domain_id'),
    projectDomainName: pick('project_domain_name'),
    projectDomainId: pick('project_domain_id'),
    region: env.OS_REGION_NAME || fromFile.region_name || undefined,
    interface: (env.OS_INTERFACE || fromFile.interface || 'public').replace(/URL$/, ''),
  };
}
